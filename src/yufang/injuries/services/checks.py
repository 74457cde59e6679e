"""Checking injury cases, a whole file at once.

A case is checked in two steps. `_case_columns` checks what each row says on its own (required
fields, dates, ID number, categories, amounts), a column at a time. `cases_check` then puts
the rows' keys in a temporary table and lets the database check them against the registry in
one query: enterprise registered and in the user's region, insured that year with people,
case number not recorded yet. A person's form is a file of one row (`cases.case_clean`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from yufang.accounts.scoping import may_change_enterprise, may_write_anywhere
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.enterprises.selectors import enterprise_names
from yufang.injuries.models import (
    ACCIDENT_CATEGORY_NAMES,
    BODY_PART_NAMES,
    AccidentCategory,
    BodyPart,
    CaseKind,
    InjuryCase,
    lost_time,
)
from yufang.injuries.services.rollup import Deltas, EnterpriseDims, case_profile
from yufang.lib.identifiers import check_id_number, mask_id_number, normalise_id_number
from yufang.lib.money import CENT
from yufang.lib.protected import id_numbers_protect
from yufang.support.bulk import DatabaseStep, collector_paused, rows_insert, while_database_runs

# Enum `.values` builds a new list on each access; validation runs it per imported row.
_CASEKIND_VALUES = frozenset(CaseKind.values)
_ACCIDENTCATEGORY_VALUES = frozenset(AccidentCategory.values)
_BODYPART_VALUES = frozenset(BodyPart.values)


class EnterpriseRef(NamedTuple):
    """What checking and counting a case needs of its enterprise: a plain row, because a
    file looks up a hundred thousand enterprises at once. Its name is asked only where a
    message or a preview shows it (`enterprise_names`): decoding a hundred thousand names
    cost a tenth of a file's lookup."""

    pk: int
    city_id: int
    county_id: int
    grid_id: int | None
    dims: EnterpriseDims


@dataclass
class CaseFields:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value.strip() if type(value) is str else str(value).strip()


@lru_cache(maxsize=8192)
def _date(text: str) -> dt.date | None:
    text = text.strip().replace("/", "-").replace(".", "-")
    if " " in text:
        text = text.split(" ", 1)[0]
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        try:
            y, m, d = (int(p) for p in text.split("-"))
            return dt.date(y, m, d)
        except ValueError:
            return None


_NOT_A_NUMBER = -1
# What is wrong with an ID number, in words (`check_id_number`'s reasons are codes).
_ID_NUMBER_REASONS = {
    "length": _lazy("wrong number of characters"),
    "characters": _lazy("only digits and a final X are allowed"),
    "date": _lazy("invalid birth date"),
    "check_digit": _lazy("check character does not match"),
}


@lru_cache(maxsize=4096)
def _whole(text: str) -> int | None:
    """A whole number of 0 or more, None for an empty cell, _NOT_A_NUMBER otherwise."""
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() else _NOT_A_NUMBER


_DEATH_WORDS = {
    **dict.fromkeys(("1", "true", "yes", "y", "是", "死亡", "√"), True),
    **dict.fromkeys(("", "0", "false", "no", "n", "否"), False),
}
_KIND_NAMES = {
    "工伤": CaseKind.WORK_INJURY,
    "认定工伤": CaseKind.WORK_INJURY,
    "视同工伤": CaseKind.DEEMED,
    "职业病": CaseKind.OCCUPATIONAL_DISEASE,
}
# A file may leave out what the analytics do not need (`cases_check(optional=True)`): an
# empty cell takes the default shown in the import's preview and template.
CASE_DEFAULTS = {
    "kind": CaseKind.WORK_INJURY.value,
    "accident_category": AccidentCategory.OTHER.value,
    "body_part": BodyPart.OTHER.value,
}
_KIND_NAMES_OPTIONAL = {**_KIND_NAMES, "": CaseKind.WORK_INJURY}
_CATEGORY_NAMES_OPTIONAL = {**ACCIDENT_CATEGORY_NAMES, "": CASE_DEFAULTS["accident_category"]}
_BODY_PART_NAMES_OPTIONAL = {**BODY_PART_NAMES, "": CASE_DEFAULTS["body_part"]}
_PAYOUT_LIMIT = Decimal("1e10")


def _payout(text: str) -> Decimal | str:
    """The amount, or the message saying what is wrong with it."""
    text = text.replace(",", "") or "0"
    try:
        amount = Decimal(text)
        if not amount.is_finite():
            raise InvalidOperation
        amount = amount.quantize(CENT)
    except InvalidOperation:
        return _("Not an amount: %(value)s") % {"value": text}
    if amount < 0:
        return _("The fund payout cannot be negative.")
    if amount >= _PAYOUT_LIMIT:
        return _("The fund payout is too large.")
    return amount


# The values of a checked case, in this order (the enterprise as its credit code).
_VALUE_NAMES = (
    "case_number",
    "enterprise",
    "person_name",
    "id_number",
    "accident_date",
    "recognition_date",
    "kind",
    "occupational_disease",
    "is_death",
    "disability_grade",
    "lost_workdays",
    "accident_category",
    "body_part",
    "payout",
)


def _cells(records: list[dict[str, Any]], name: str) -> list[str]:
    """One field of every row as stripped text (forms give numbers, booleans, instances)."""
    return [
        "" if (x := r.get(name)) is None else x.strip() if type(x) is str else str(x).strip()
        for r in records
    ]


class _Keys(NamedTuple):
    """What the registry is asked about each row: case number, credit code, accident date."""

    numbers: list[str]
    codes: list[str]
    accidents: list[dt.date | None]
    accident_texts: list[str]


def _case_keys(records: list[dict[str, Any]]) -> _Keys:
    texts = _cells(records, "accident_date")
    return _Keys(
        _cells(records, "case_number"),
        [
            given.credit_code if isinstance(given := r.get("enterprise"), Enterprise) else c.upper()
            for r, c in zip(records, _cells(records, "enterprise"), strict=True)
        ],
        list(map(_date, texts)),
        texts,
    )


def _case_columns(
    records: list[dict[str, Any]], today: dt.date, keys: _Keys, optional: bool = False
) -> tuple[dict[str, list[Any]], list[dict[str, str]]]:
    """What each row says, checked on its own: the values by name (one list per field, a
    row per position) and each row's errors by field, in messages that name the field.
    `optional`: the person's name and ID number may be empty, and an empty kind, accident
    category or body part takes its default (CASE_DEFAULTS).

    A file is checked a column at a time: each column's cells go through the same small
    step, and messages are only written for the cells that fail.
    """
    n = len(records)
    errors: list[dict[str, str]] = [{} for _ in range(n)]

    def cells(name: str) -> list[str]:
        return _cells(records, name)

    numbers = keys.numbers
    for i, number in enumerate(numbers):
        if not number or len(number) > 40:
            errors[i]["case_number"] = (
                _("The case number has at most 40 characters.")
                if number
                else _("The case number is required.")
            )

    codes = keys.codes
    for i in (i for i, code in enumerate(codes) if not code):
        errors[i]["enterprise"] = _("The enterprise is required.")

    names = [name[:60] for name in cells("person_name")]
    if not optional:
        for i in (i for i, name in enumerate(names) if not name):
            errors[i]["person_name"] = _("The injured person's name is required.")

    id_numbers = [normalise_id_number(x) for x in cells("id_number")]
    for i, number in enumerate(id_numbers):
        if not number:
            if not optional:
                errors[i]["id_number"] = _("The injured person's ID number is required.")
        elif not (check := check_id_number(number, today=today)).ok:
            errors[i]["id_number"] = _("Not a valid resident ID number (%(reason)s).") % {
                "reason": _ID_NUMBER_REASONS.get(check.reason, _lazy("invalid"))
            }

    accident_texts, recognition_texts = keys.accident_texts, cells("recognition_date")
    accidents = keys.accidents
    recognitions = list(map(_date, recognition_texts))
    for i, (accident, recognition) in enumerate(zip(accidents, recognitions, strict=True)):
        if accident is None or recognition is None or recognition > today or accident > recognition:
            err = errors[i]
            if accident is None:
                err["accident_date"] = _("Not a valid date: %(value)s") % {
                    "value": accident_texts[i]
                }
            elif accident > today:
                err["accident_date"] = _("The accident date lies in the future.")
            if recognition is None:
                err["recognition_date"] = _("Not a valid date: %(value)s") % {
                    "value": recognition_texts[i]
                }
            elif recognition > today:
                err["recognition_date"] = _("The recognition date lies in the future.")
            if accident and recognition and accident > recognition:
                err["accident_date"] = _("The accident date is after the recognition date.")

    kind_texts = cells("kind")
    kind_names = _KIND_NAMES_OPTIONAL if optional else _KIND_NAMES
    kinds = [kind_names.get(x, x) for x in kind_texts]
    diseases = [x[:100] for x in cells("occupational_disease")]
    disease_kind = CaseKind.OCCUPATIONAL_DISEASE
    for i, (kind, disease) in enumerate(zip(kinds, diseases, strict=True)):
        if kind not in _CASEKIND_VALUES:
            errors[i]["kind"] = _("Unknown kind of case: %(value)s") % {"value": kind_texts[i]}
        if (kind == disease_kind) != bool(disease):
            errors[i]["occupational_disease"] = (
                _("Only an occupational-disease case names a disease.")
                if disease
                else _("Name the occupational disease.")
            )

    deaths: list[bool] = []
    for i, (r, text) in enumerate(zip(records, cells("is_death"), strict=True)):
        given = r.get("is_death")
        death = given if type(given) is bool else _DEATH_WORDS.get(text.lower())
        if death is None:
            errors[i]["is_death"] = _("Write yes or no: %(value)s") % {"value": text.lower()}
            death = False
        deaths.append(death)

    grades = [_whole(x.replace("级", "")) for x in cells("disability_grade")]
    for i, grade in enumerate(grades):
        if grade is not None and not 1 <= grade <= 10:
            errors[i]["disability_grade"] = _(
                "The disability grade is a whole number from 1 to 10."
            )
            grades[i] = None
    days = list(map(_whole, cells("lost_workdays")))
    for i in (i for i, d in enumerate(days) if d == _NOT_A_NUMBER):
        errors[i]["lost_workdays"] = _("Lost workdays must be a whole number of 0 or more.")
        days[i] = None

    category_texts = cells("accident_category")
    category_names = _CATEGORY_NAMES_OPTIONAL if optional else ACCIDENT_CATEGORY_NAMES
    categories = [category_names.get(x) or x.zfill(2) for x in category_texts]
    for i in (i for i, c in enumerate(categories) if c not in _ACCIDENTCATEGORY_VALUES):
        errors[i]["accident_category"] = _("Unknown accident category (GB 6441): %(value)s") % {
            "value": category_texts[i]
        }

    part_texts = cells("body_part")
    part_names = _BODY_PART_NAMES_OPTIONAL if optional else BODY_PART_NAMES
    parts = [part_names.get(x, x) for x in part_texts]
    for i in (i for i, p in enumerate(parts) if p not in _BODYPART_VALUES):
        errors[i]["body_part"] = _("Unknown body part: %(value)s") % {"value": part_texts[i]}

    payouts: list[Any] = list(map(_payout, cells("payout")))
    for i in (i for i, p in enumerate(payouts) if type(p) is str):
        errors[i]["payout"] = payouts[i]
        payouts[i] = Decimal(0)

    columns: dict[str, list[Any]] = dict(
        zip(
            _VALUE_NAMES,
            (
                numbers,
                codes,
                names,
                id_numbers,
                accidents,
                recognitions,
                kinds,
                diseases,
                deaths,
                grades,
                days,
                categories,
                parts,
                payouts,
            ),
            strict=True,
        )
    )
    return columns, errors


@dataclass
class CaseBatch:
    """A file of cases checked as a whole (`cases_check`), ready for `cases_create_many`,
    which protects the good rows' ID numbers and writes them a chunk at a time."""

    # Row numbers of the good rows, in file order.
    lines: list[int] = field(default_factory=list)
    # (row, field, message)
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    # Every row's values by name (see _VALUE_NAMES); which rows are good, and the lookup's
    # row of each (`_look_up_steps`: its enterprise, whether its enterprise-year has hours
    # worked). An enterprise's reference is made from its row when first needed
    # (`refs_of`): by the writes, beside the database's work, rather than by the checks.
    columns: dict[str, list[Any]] = field(default_factory=dict)
    good: list[int] = field(default_factory=list)
    found: list[tuple[Any, ...]] = field(default_factory=list)
    _refs: dict[int, EnterpriseRef] = field(default_factory=dict, init=False, repr=False)
    # Every row's protected ID number (digest, encrypted copy) where the checks made it
    # ahead (`cases_check`), by position; None where the writes have to.
    protected: list[tuple[str, str] | None] = field(default_factory=list)

    @property
    def rows(self) -> list[CaseFields]:
        return self.first_rows(len(self.good))

    @property
    def enterprise_ids(self) -> list[int]:
        """Each good row's enterprise."""
        return [row[_ENTERPRISE] for row in self.found]

    def refs_of(self, part: Sequence[int]) -> list[EnterpriseRef]:
        """The enterprises of the good rows `part` (positions in `good`)."""
        refs, found = self._refs, self.found
        # Inline for an enterprise already made: this runs per written case.
        return [refs.get((row := found[g])[_ENTERPRISE]) or self.ref(row) for g in part]

    def ref(self, row: tuple[Any, ...]) -> EnterpriseRef:
        """The enterprise of a row of the lookup, made once per enterprise."""
        ref = self._refs.get(row[_ENTERPRISE])
        if ref is None:
            ref = self._refs[row[_ENTERPRISE]] = _enterprise_ref(row)
        return ref

    def first_rows(self, count: int) -> list[CaseFields]:
        """Good rows as fields by name, the enterprise as an EnterpriseRef."""
        return [
            CaseFields(
                {
                    "enterprise": ref,
                    **{n: self.columns[n][i] for n in _VALUE_NAMES if n != "enterprise"},
                }
            )
            for i, ref in zip(
                self.good[:count], self.refs_of(range(min(count, len(self.good)))), strict=True
            )
        ]

    def count(self, deltas: Deltas, part: Sequence[int]) -> None:
        """Add what the good rows `part` (positions in `good`) change in the rollup."""
        if not part:
            return
        take = _picker([self.good[g] for g in part])
        c = self.columns
        found = self.found
        deltas.spread_cases(
            [ref.dims for ref in self.refs_of(part)],
            [accident.year for accident in take(c["accident_date"])],
            take(c["accident_category"]),
            [
                case_profile(kind, death, lost_time(death, grade, days), bool(found[g][_HOURS]))
                for g, kind, death, grade, days in zip(
                    part,
                    take(c["kind"]),
                    take(c["is_death"]),
                    take(c["disability_grade"]),
                    take(c["lost_workdays"]),
                    strict=True,
                )
            ],
            take(c["payout"]),
        )

    def case_rows(self, part: Sequence[int], extra: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """The good rows `part` (positions in `good`) as rows of the cases table
        (CASE_ROW_COLUMNS, then `extra`), their ID numbers protected."""
        good = [self.good[g] for g in part]
        protected = [self.protected[i] for i in good] if self.protected else [None] * len(good)
        missing = [k for k, sealed in enumerate(protected) if sealed is None]
        numbers = self.columns["id_number"]
        for k, sealed in zip(
            missing, id_numbers_protect([numbers[good[k]] for k in missing]), strict=True
        ):
            protected[k] = sealed
        return _case_rows(
            self.columns,
            good,
            self.refs_of(part),
            protected,  # type: ignore[arg-type]
            extra,
        )


def _picker(rows: list[int]) -> Callable[[list[Any]], Sequence[Any]]:
    """What picks these rows' cells of a column, in one C call per column."""
    if len(rows) == 1:
        return lambda column: (column[rows[0]],)
    return itemgetter(*rows)


_KEYS = "injury_case_keys"
# ID numbers protected at a time while the database looks a file up (a few hundredths of a
# second each), so that Python stops soon after the database is done.
_AHEAD = 4000
_FOUND = "injury_case_found"
# The columns of the cases table an import writes, in the order of `CaseBatch.case_rows`.
CASE_ROW_COLUMNS = (
    "enterprise_id",
    "case_number",
    "person_name",
    "id_number_digest",
    "id_number_encrypted",
    "id_number_masked",
    *_VALUE_NAMES[_VALUE_NAMES.index("accident_date") :],
)


def _case_rows(
    columns: dict[str, list[Any]],
    good: list[int],
    refs: list[EnterpriseRef],
    protected: list[tuple[str, str]],
    extra: tuple[Any, ...],
) -> list[tuple[Any, ...]]:
    """Good rows (positions in `columns`, their enterprises and protected ID numbers) as the
    database takes them, each followed by the same `extra` values."""
    sqlite = connection.vendor != "postgresql"
    take = _picker(good)

    def pick(name: str) -> Sequence[Any]:
        return take(columns[name])  # type: ignore[no-any-return]

    def dates(name: str) -> Sequence[Any]:
        picked = pick(name)
        if not sqlite:
            return picked
        text = {d: str(d) for d in set(picked)}  # a few thousand days for any file
        return [text[d] for d in picked]

    return list(
        zip(
            [ref.pk for ref in refs],
            pick("case_number"),
            pick("person_name"),
            [digest for digest, _copy in protected],
            [copy for _digest, copy in protected],
            list(map(mask_id_number, pick("id_number"))),
            dates("accident_date"),
            dates("recognition_date"),
            pick("kind"),
            pick("occupational_disease"),
            list(map(int, pick("is_death"))) if sqlite else pick("is_death"),
            pick("disability_grade"),
            pick("lost_workdays"),
            pick("accident_category"),
            pick("body_part"),
            list(map(str, pick("payout"))) if sqlite else pick("payout"),
            *(repeat(value, len(good)) for value in extra),
            strict=True,
        )
    )


def _temporary_table(
    name: str, columns: Sequence[tuple[str, str]], rows: list[tuple[Any, ...]]
) -> None:
    """(Re)create a temporary table of this connection with these rows."""
    q = connection.ops.quote_name
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {name} ("
            + ", ".join(
                f"{q(column)} {kind if postgres else kind.replace('boolean', 'bool')}"
                for column, kind in columns
            )
            + ")"
        )
    _temporary_rows(name, [column for column, _kind in columns], rows)


def _temporary_rows(name: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Add rows (values as the database takes them) to a temporary table (`rows_insert`), on
    SQLite in one transaction of the temporary database when the caller holds none."""
    if not rows:
        return
    own = connection.vendor != "postgresql" and not connection.in_atomic_block
    if not own:
        rows_insert(name, columns, rows)
        return
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        try:
            rows_insert(name, columns, rows)
        finally:
            cursor.execute("COMMIT")


def _look_up_drop() -> None:
    with connection.cursor() as cursor:
        for name in (_KEYS, _FOUND):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")


# What the lookup says of a row's keys, by column: its enterprise (None when no enterprise
# has the credit code), the enterprise's insured headcount that year and whether its hours
# are known (None: no headcount), and the stored case with the same number (None).
_ENTERPRISE, _PEOPLE, _HOURS, _KNOWN = 1, 2, 3, 4


def _enterprise_ref(row: tuple[Any, ...]) -> EnterpriseRef:
    """The enterprise of a row of the lookup (its city, county and grid once for the
    reference, once for the dims)."""
    return EnterpriseRef._make((row[1], *row[5:8], EnterpriseDims._make(row[5:])))


def _look_up_steps(result: list[Any]) -> list[DatabaseStep]:
    """Statements that look every staged key up in the registry in one query, a row per
    key: its position in the file, what was found (_ENTERPRISE … _KNOWN), then the
    enterprise as an EnterpriseRef's fields and its EnterpriseDims'. The last step leaves a
    driver cursor on the rows in `result`, for the calling thread to read.

    The stored case with a key's number is asked of the unique index, key by key: a new
    number is found missing in the index alone, where a hash join read every stored case
    (0.4 s of 2 s for a 200,000-row file on PostgreSQL, at province scale).

    PostgreSQL sends the rows as soon as the query ends, which the driver takes in while
    Python's lock is free; SQLite makes its rows as they are read, so it keeps them in a
    temporary table first, lest the reading thread do the joins.
    """
    from yufang.industries.models import Industry

    q = connection.ops.quote_name
    select = (
        "SELECT k.position, e.id AS enterprise, h.insured_headcount AS people, "  # noqa: S608
        "h.hours_worked IS NOT NULL AS hours, "
        f"(SELECT c.id FROM {q(InjuryCase._meta.db_table)} c "
        "WHERE c.case_number = k.case_number) AS known, e.city_id, "
        "e.county_id, e.grid_id, i.section, i.division_code, "
        "COALESCE(CAST(e.risk_class AS TEXT), '') AS risk, "
        "CASE WHEN e.is_key_industry THEN '1' ELSE '0' END AS is_key, e.size "
        f"FROM {_KEYS} k "
        f"LEFT JOIN {q(Enterprise._meta.db_table)} e ON e.credit_code = k.credit_code "
        f"LEFT JOIN {q(Industry._meta.db_table)} i ON i.id = e.industry_id "
        f"LEFT JOIN {q(InsuredHeadcount._meta.db_table)} h "
        "ON h.enterprise_id = e.id AND h.year = k.year"
    )

    def open_rows(sql: str) -> Callable[[Any], None]:
        def run(cursor: Any) -> None:
            rows = cursor.connection.cursor()
            rows.execute(sql)
            result.append(rows)

        return run

    if connection.vendor != "postgresql":
        return [
            (f"CREATE TEMPORARY TABLE {_FOUND} AS {select}", [], None),
            (open_rows(f"SELECT * FROM {_FOUND}"), [], None),  # noqa: S608
        ]
    return [
        # Hash joins over a province's registry; the default 4 MB spills them to disk.
        ("SET work_mem = '64MB'", [], None),
        # Compiling the plan costs more than it saves on a query run once (0.1-0.2 s of
        # about 2 s at province scale).
        ("SET jit = off", [], None),
        # A fresh temporary table has no statistics; without them the planner joins a
        # hundred thousand rows as if they were a handful.
        (f"ANALYZE {_KEYS}", [], None),
        (open_rows(select), [], None),
        ("RESET work_mem", [], None),
        ("RESET jit", [], None),
    ]


@collector_paused()
def cases_check(
    records: list[tuple[int, dict[str, Any]]],
    *,
    user: Any,
    today: dt.date,
    existing_pk: int | None = None,
    optional: bool = False,
) -> CaseBatch:
    """Check a file of cases (row number, fields; rows in order) without writing any: each
    row on its own, case numbers against each other and against the stored cases,
    enterprises against the registry and the user's region (`user=None` skips the region).
    `existing_pk` is the case being edited, if any. `optional`: only what the analytics
    need is required (case number, enterprise, accident and recognition dates); see
    `_case_columns`.

    The rows' keys go to the database first, which looks them up in the registry in a
    second thread (the driver lets go of Python's lock) while Python checks the rest of each
    row: an import uses both of a machine's cores.
    """
    lines = [number for number, _record in records]
    if any(a >= b for a, b in zip(lines, lines[1:], strict=False)):
        raise ValueError("rows must come in order, each with its own number")
    fields = [record for _number, record in records]
    keys = _case_keys(fields)
    _look_up_drop()
    _temporary_table(
        _KEYS,
        (
            ("position", "integer PRIMARY KEY"),
            ("case_number", "varchar(40)"),
            ("credit_code", "varchar(18)"),
            ("year", "integer"),
        ),
        list(
            zip(
                range(len(lines)),
                [n[:40] for n in keys.numbers],
                [c[:18] for c in keys.codes],
                [a.year if a else None for a in keys.accidents],
                strict=True,
            )
        ),
    )

    # While the database still looks the keys up, Python protects the ID numbers of the
    # rows that passed their own checks, which the writes would do anyway: slices of
    # positions and their numbers, the first last.
    protected: list[tuple[str, str] | None] = [None] * len(lines)
    ahead: list[tuple[list[int], list[str]]] = []

    def check_rows() -> tuple[dict[str, list[Any]], list[dict[str, str]]]:
        columns, errors = _case_columns(fields, today, keys, optional)
        seen: dict[str, int] = {}
        for i, number in enumerate(keys.numbers):
            first = seen.setdefault(number, lines[i]) if number else lines[i]
            if first != lines[i]:
                errors[i]["case_number"] = _("Same case number as row %(row)s.") % {"row": first}
        clean = [i for i, err in enumerate(errors) if not err]
        numbers = columns["id_number"]
        if optional and "" in numbers:
            # A case without an ID number stores none: no digest that would make all such
            # cases one person; its encrypted copy is of nothing, so that a reveal shows
            # nothing rather than failing. (The scan for one is a C loop: a file with every
            # number given pays a millisecond.)
            nothing = ("", id_numbers_protect([""])[0][1])
            for i in (i for i, number in enumerate(numbers) if not number):
                protected[i] = nothing
            clean = [i for i in clean if numbers[i]]
        for a in reversed(range(0, len(clean), _AHEAD)):
            part = clean[a : a + _AHEAD]
            ahead.append((part, [numbers[i] for i in part]))
        return columns, errors

    def protect_ahead() -> bool:
        if ahead:
            part, numbers = ahead.pop()
            for i, sealed in zip(part, id_numbers_protect(numbers), strict=True):
                protected[i] = sealed
        return bool(ahead)

    result: list[Any] = []
    columns, errors = while_database_runs(
        _look_up_steps(result), check_rows, None, meanwhile=protect_ahead
    )
    [rows] = result
    try:
        # Rows as they come: a named tuple per row cost more than the rest of this loop.
        found: list[Any] = [None] * len(lines)
        for row in rows.fetchall():
            found[row[0]] = row
    finally:
        rows.close()
    # The tables die with the connection anyway; a pooled PostgreSQL connection lives on.
    _look_up_drop()

    batch = CaseBatch(columns=columns, protected=protected)
    numbers, codes, accidents = keys.numbers, keys.codes, keys.accidents
    # Most rows of a good file pass every check: find those in one pass, then write the
    # messages of the others.
    allowed: dict[int, bool] = {}

    # A province official may write anywhere: no enterprise needs asking.
    anywhere = user is None or may_write_anywhere(user)

    def may(row: tuple[Any, ...]) -> bool:
        ok = allowed.get(row[_ENTERPRISE])
        if ok is None:
            ok = allowed[row[_ENTERPRISE]] = anywhere or may_change_enterprise(user, batch.ref(row))
        return ok

    passing = [
        not err
        and (pk := row[_ENTERPRISE]) is not None
        and row[_PEOPLE]
        and (row[_KNOWN] is None or row[_KNOWN] == existing_pk)
        and (anywhere or may(row))
        for err, row in zip(errors, found, strict=True)
    ]
    # Rows whose enterprise was not insured that year: (position, enterprise, headcount, year)
    uninsured: list[tuple[int, int, int | None, int]] = []
    for i in (i for i, ok in enumerate(passing) if not ok):
        pk, people, case = found[i][_ENTERPRISE], found[i][_PEOPLE], found[i][_KNOWN]
        err = errors[i]
        if case is not None and case != existing_pk:
            err.setdefault(
                "case_number",
                _("A case with number %(number)s is already recorded.") % {"number": numbers[i]},
            )
        if pk is None:
            if codes[i]:
                err["enterprise"] = _("No enterprise with credit code %(code)s is registered.") % {
                    "code": codes[i]
                }
            continue
        if not may(found[i]):
            err["enterprise"] = _("Outside the region you may change.")
        accident = accidents[i]
        if accident is not None and not people:
            uninsured.append((i, pk, people, accident.year))
    names = enterprise_names({pk for _i, pk, _people, _year in uninsured})
    for i, pk, people, year in uninsured:
        errors[i].setdefault(
            "enterprise",
            (
                _("%(enterprise)s has no insured headcount for %(year)s: not insured that year.")
                if people is None
                else _(
                    "%(enterprise)s has an insured headcount of 0 in %(year)s but a case that year."
                )
            )
            % {"enterprise": names[pk], "year": year},
        )
    good = batch.good
    good += (i for i, ok in enumerate(passing) if ok)
    batch.found = [found[i] for i in good]
    batch.lines = [lines[i] for i in good]
    batch.errors = [
        (line, name, message)
        for line, err in zip(lines, errors, strict=True)
        for name, message in err.items()
    ]
    return batch
