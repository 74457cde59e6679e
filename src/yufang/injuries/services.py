"""Writes of injury cases and exposure, and the rollup the dashboards read.

Every change of a case or of a headcount passes its effect on the counts to `rollup_apply`
in the same transaction, so the rollup equals the raw aggregation at every commit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import OFFICIAL_ROLES, ScopePaths, may_write_at, scope_q
from yufang.audit.models import AuditEntry
from yufang.audit.services import (
    audit_create,
    audit_delete,
    audit_update,
    snapshot,
)
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.enterprises.services import EnterpriseInvalid, headcount_set
from yufang.injuries.models import (
    ACCIDENT_CATEGORY_NAMES,
    BODY_PART_NAMES,
    RATE_KINDS,
    AccidentCategory,
    BodyPart,
    CaseKind,
    InjuryCase,
    InjuryRollup,
    RollupDimension,
)
from yufang.lib.errors import InvalidInput
from yufang.lib.identifiers import check_id_number, mask_id_number, normalise_id_number
from yufang.lib.protected import id_number_decrypt, id_number_digest, id_number_encrypt


class CaseInvalid(InvalidInput):
    pass


# Enum `.values` builds a new list on each access; validation runs it per imported row.
_CASEKIND_VALUES = frozenset(CaseKind.values)
_ACCIDENTCATEGORY_VALUES = frozenset(AccidentCategory.values)
_BODYPART_VALUES = frozenset(BodyPart.values)


# --- the injured person's ID number -------------------------------------------------------


def may_reveal_id_number(user: Any, case: InjuryCase) -> bool:
    """Only officials (province, city, county) of the case's region see the full number."""
    if getattr(user, "role", None) not in OFFICIAL_ROLES:
        return False
    q = scope_q(user, _CASE_SCOPE_PATHS)
    return q is None or InjuryCase.objects.filter(q, pk=case.pk).exists()


def case_reveal_id_number(*, actor: Any, case: InjuryCase) -> str:
    """The full ID number, written to the audit log as a reveal."""
    if not may_reveal_id_number(actor, case):
        raise PermissionDenied(_("Only officials of this region may see the full ID number."))
    AuditEntry.objects.create(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        model=InjuryCase._meta.label,
        object_id=str(case.pk),
        object_repr=str(case)[:200],
        changes={},
        reason="reveal id_number",
    )
    return id_number_decrypt(case.id_number_encrypted)


_CASE_SCOPE_PATHS = ScopePaths.via_enterprise("enterprise")


# --- validation -----------------------------------------------------------------------------


@dataclass
class CaseLookups:
    """What validating cases needs from the database, loaded once for a whole file."""

    enterprises_by_code: dict[str, Enterprise] = field(default_factory=dict)
    # (enterprise_id, year) -> (insured headcount, hours worked or None)
    headcounts: dict[tuple[int, int], tuple[int, Decimal | None]] = field(default_factory=dict)
    # case number -> pk of the stored case
    existing_numbers: dict[str, int] = field(default_factory=dict)

    @classmethod
    def for_codes(cls, credit_codes: Iterable[str], case_numbers: Iterable[str]) -> CaseLookups:
        codes = {c for c in credit_codes if c}
        enterprises: dict[str, Enterprise] = {}
        code_list = list(codes)
        for start in range(0, len(code_list), 900):
            for e in Enterprise.objects.filter(credit_code__in=code_list[start : start + 900]).only(
                "credit_code",
                "name",
                "city_id",
                "county_id",
                "grid_id",
                "industry_id",
                "risk_class",
                "is_key_industry",
                "size",
            ):
                enterprises[e.credit_code] = e
        lookups = cls(enterprises_by_code=enterprises)
        lookups.load_headcounts([e.pk for e in enterprises.values()])
        numbers = [n for n in set(case_numbers) if n]
        for start in range(0, len(numbers), 900):
            lookups.existing_numbers.update(
                InjuryCase.objects.filter(case_number__in=numbers[start : start + 900]).values_list(
                    "case_number", "pk"
                )
            )
        return lookups

    def load_headcounts(self, enterprise_ids: list[int]) -> None:
        for start in range(0, len(enterprise_ids), 900):
            for eid, year, count, hours in InsuredHeadcount.objects.filter(
                enterprise_id__in=enterprise_ids[start : start + 900]
            ).values_list("enterprise_id", "year", "insured_headcount", "hours_worked"):
                self.headcounts[(eid, year)] = (count, hours)


@dataclass
class CaseFields:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


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


_TRUE = {"1", "true", "yes", "y", "是", "死亡", "√"}
_FALSE = {"", "0", "false", "no", "n", "否"}
_KIND_NAMES = {
    "工伤": CaseKind.WORK_INJURY,
    "认定工伤": CaseKind.WORK_INJURY,
    "视同工伤": CaseKind.DEEMED,
    "职业病": CaseKind.OCCUPATIONAL_DISEASE,
}


def case_clean(
    data: dict[str, Any],
    *,
    lookups: CaseLookups,
    today: dt.date,
    existing_pk: int | None = None,
) -> CaseFields:
    """Check one case as typed by a person or read from a file; the messages name the field."""
    out = CaseFields()
    v, err = out.values, out.errors

    number = _text(data, "case_number")
    if not number:
        err["case_number"] = _("The case number is required.")
    elif len(number) > 40:
        err["case_number"] = _("The case number has at most 40 characters.")
    elif lookups.existing_numbers.get(number, existing_pk) != existing_pk:
        err["case_number"] = _("A case with number %(number)s is already recorded.") % {
            "number": number
        }
    v["case_number"] = number

    enterprise = data.get("enterprise")
    if not isinstance(enterprise, Enterprise):
        code = _text(data, "enterprise").upper()
        enterprise = lookups.enterprises_by_code.get(code)
        if enterprise is None:
            err["enterprise"] = (
                _("No enterprise with credit code %(code)s is registered.") % {"code": code}
                if code
                else _("The enterprise is required.")
            )
    v["enterprise"] = enterprise

    name = _text(data, "person_name")
    if not name:
        err["person_name"] = _("The injured person's name is required.")
    v["person_name"] = name[:60]

    id_number = normalise_id_number(_text(data, "id_number"))
    check = check_id_number(id_number, today=today)
    if not id_number:
        err["id_number"] = _("The injured person's ID number is required.")
    elif not check.ok:
        err["id_number"] = _("Not a valid resident ID number (%(reason)s).") % {
            "reason": check.reason
        }
    v["id_number"] = id_number

    accident = _date(_text(data, "accident_date"))
    recognition = _date(_text(data, "recognition_date"))
    if accident is None:
        err["accident_date"] = _("Not a valid date: %(value)s") % {
            "value": _text(data, "accident_date")
        }
    elif accident > today:
        err["accident_date"] = _("The accident date lies in the future.")
    if recognition is None:
        err["recognition_date"] = _("Not a valid date: %(value)s") % {
            "value": _text(data, "recognition_date")
        }
    elif recognition > today:
        err["recognition_date"] = _("The recognition date lies in the future.")
    if accident and recognition and accident > recognition:
        err["accident_date"] = _("The accident date is after the recognition date.")
    v["accident_date"], v["recognition_date"] = accident, recognition

    kind_text = _text(data, "kind")
    kind = _KIND_NAMES.get(kind_text, kind_text)
    if kind not in _CASEKIND_VALUES:
        err["kind"] = _("Unknown kind of case: %(value)s") % {"value": kind_text}
    v["kind"] = kind
    disease = _text(data, "occupational_disease")
    if kind == CaseKind.OCCUPATIONAL_DISEASE and not disease:
        err["occupational_disease"] = _("Name the occupational disease.")
    if kind != CaseKind.OCCUPATIONAL_DISEASE and disease:
        err["occupational_disease"] = _("Only an occupational-disease case names a disease.")
    v["occupational_disease"] = disease[:100]

    death_text = _text(data, "is_death").lower()
    if isinstance(data.get("is_death"), bool):
        v["is_death"] = data["is_death"]
    elif death_text in _TRUE:
        v["is_death"] = True
    elif death_text in _FALSE:
        v["is_death"] = False
    else:
        err["is_death"] = _("Write yes or no: %(value)s") % {"value": death_text}

    grade_text = _text(data, "disability_grade").replace("级", "")
    grade: int | None = None
    if grade_text:
        grade = int(grade_text) if grade_text.isdigit() else None
        if grade is None or not 1 <= grade <= 10:
            err["disability_grade"] = _("The disability grade is a whole number from 1 to 10.")
    v["disability_grade"] = grade

    days_text = _text(data, "lost_workdays")
    days: int | None = None
    if days_text:
        days = int(days_text) if days_text.isdigit() else None
        if days is None:
            err["lost_workdays"] = _("Lost workdays must be a whole number of 0 or more.")
    v["lost_workdays"] = days

    category_text = _text(data, "accident_category")
    category = ACCIDENT_CATEGORY_NAMES.get(category_text, category_text.zfill(2))
    if category not in _ACCIDENTCATEGORY_VALUES:
        err["accident_category"] = _("Unknown accident category (GB 6441): %(value)s") % {
            "value": category_text
        }
    v["accident_category"] = category

    part_text = _text(data, "body_part")
    part = BODY_PART_NAMES.get(part_text, part_text)
    if part not in _BODYPART_VALUES:
        err["body_part"] = _("Unknown body part: %(value)s") % {"value": part_text}
    v["body_part"] = part

    payout_text = _text(data, "payout").replace(",", "") or "0"
    try:
        payout = Decimal(payout_text).quantize(Decimal("0.01"))
    except InvalidOperation:
        err["payout"] = _("Not an amount: %(value)s") % {"value": payout_text}
        payout = Decimal(0)
    else:
        if payout < 0:
            err["payout"] = _("The fund payout cannot be negative.")
        elif payout >= Decimal("1e10"):
            err["payout"] = _("The fund payout is too large.")
    v["payout"] = payout

    if isinstance(enterprise, Enterprise) and accident is not None:
        exposure = lookups.headcounts.get((enterprise.pk, accident.year))
        if exposure is None:
            err.setdefault(
                "enterprise",
                _("%(enterprise)s has no insured headcount for %(year)s: not insured that year.")
                % {"enterprise": enterprise.name, "year": accident.year},
            )
        elif exposure[0] == 0:
            err.setdefault(
                "enterprise",
                _("%(enterprise)s has an insured headcount of 0 in %(year)s but a case that year.")
                % {"enterprise": enterprise.name, "year": accident.year},
            )
    return out


# --- the rollup -----------------------------------------------------------------------------

COUNTERS = (
    "cases",
    "deaths",
    "lost_time",
    "disease_cases",
    "payout",
    "headcount",
    "hours",
    "hours_cases",
    "hours_lost_time",
)
# dimension, year, city, county (the city for a city total), value, level ("county"/"city")
CellKey = tuple[str, int, int, int, str, str]


@dataclass(frozen=True)
class EnterpriseDims:
    city_id: int
    county_id: int
    section: str
    division: str
    risk_class: str
    is_key: str
    size: str

    @classmethod
    def of(cls, enterprise: Enterprise) -> EnterpriseDims:
        return cls(
            enterprise.city_id,
            enterprise.county_id,
            enterprise.industry.section,
            enterprise.industry.division_code,
            str(enterprise.risk_class or ""),
            "1" if enterprise.is_key_industry else "0",
            enterprise.size,
        )


class Deltas:
    """Changes to rollup cells, summed before they touch the database."""

    def __init__(self) -> None:
        self.cells: dict[CellKey, dict[str, Any]] = defaultdict(dict)

    def _add(self, key: CellKey, counters: dict[str, Any], sign: int) -> None:
        cell = self.cells[key]
        for name, amount in counters.items():
            if amount:
                cell[name] = cell.get(name, 0) + sign * amount

    def add(
        self,
        dims: EnterpriseDims,
        year: int,
        counters: dict[str, Any],
        *,
        sign: int = 1,
        category: str | None = None,
    ) -> None:
        for dimension, value in (
            (RollupDimension.ALL, ""),
            (RollupDimension.SECTION, dims.section),
            (RollupDimension.DIVISION, dims.division),
            (RollupDimension.RISK_CLASS, dims.risk_class),
            (RollupDimension.KEY_INDUSTRY, dims.is_key),
            (RollupDimension.SIZE, dims.size),
        ):
            self._add_both(str(dimension), year, dims, value, counters, sign)
        if category is not None:
            case_only = {k: v for k, v in counters.items() if k not in ("headcount", "hours")}
            self._add_both(str(RollupDimension.CATEGORY), year, dims, category, case_only, sign)

    def _add_both(
        self,
        dimension: str,
        year: int,
        dims: EnterpriseDims,
        value: str,
        counters: dict[str, Any],
        sign: int,
    ) -> None:
        self._add((dimension, year, dims.city_id, dims.county_id, value, "county"), counters, sign)
        self._add((dimension, year, dims.city_id, dims.city_id, value, "city"), counters, sign)

    def add_case(
        self, dims: EnterpriseDims, case: InjuryCase, *, hours_known: bool, sign: int
    ) -> None:
        self.add(
            dims,
            case.accident_date.year,
            case_counters(case, hours_known=hours_known),
            sign=sign,
            category=case.accident_category,
        )


def case_counters(case: InjuryCase, *, hours_known: bool) -> dict[str, Any]:
    counted = case.kind in RATE_KINDS
    lost = counted and case.is_lost_time
    return {
        "cases": int(counted),
        "deaths": int(counted and case.is_death),
        "lost_time": int(lost),
        "disease_cases": int(case.kind == CaseKind.OCCUPATIONAL_DISEASE),
        "payout": case.payout,
        "hours_cases": int(counted and hours_known),
        "hours_lost_time": int(lost and hours_known),
    }


def rollup_apply(deltas: Deltas) -> None:
    """Add summed changes to the rollup; the caller holds the transaction.

    Existing cells are incremented in SQL (`cases = cases + %s`), so two transactions that
    touch the same cell both count; missing cells are inserted.
    """
    cells = {k: c for k, c in deltas.cells.items() if any(c.values())}
    if not cells:
        return
    years = {k[1] for k in cells}
    counties = {k[3] for k in cells}
    rows = InjuryRollup.objects.filter(year__in=years)
    if len(counties) < 500:
        rows = rows.filter(county_id__in=counties)
    existing = {
        (d, y, c, co, v, t): pk
        for pk, d, y, c, co, v, t in rows.values_list(
            "pk", "dimension", "year", "city_id", "county_id", "value", "level"
        )
    }
    updates: list[list[Any]] = []
    new: list[dict[str, Any]] = []
    for key, cell in cells.items():
        pk = existing.get(key)
        if pk is None:
            dimension, year, city_id, county_id, value, level = key
            # Plain rows, not model instances: an import can open tens of thousands of cells.
            new.append(
                {
                    **{name: 0 for name in COUNTERS},
                    "level": level,
                    "dimension": dimension,
                    "year": year,
                    "city_id": city_id,
                    "county_id": county_id,
                    "value": value,
                    **cell,
                }
            )
        else:
            updates.append([cell.get(name, 0) for name in COUNTERS] + [pk])
    if updates:
        _rollup_increment(updates)
    if new:
        _insert_values(InjuryRollup, new)


_PG_CASTS = {
    "payout": "numeric",
    "hours": "numeric",
    "headcount": "bigint",
}


def _rollup_increment(updates: list[list[Any]]) -> None:
    """`counter = counter + delta` for many cells. On PostgreSQL the deltas are COPied into a
    temporary table and added by one UPDATE (a statement per cell made imports crawl); SQLite
    runs in process, where executemany is as fast."""
    table = connection.ops.quote_name(InjuryRollup._meta.db_table)
    q = connection.ops.quote_name
    rows = [[str(v) if isinstance(v, Decimal) else v for v in row] for row in updates]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{q(n)} = {q(n)} + %s" for n in COUNTERS)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                rows,
            )
            return
        # COPY the deltas into a temporary table and add them in one statement.
        types = ", ".join(f"{q(c)} {_PG_CASTS.get(c, 'integer')}" for c in COUNTERS)
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS injury_rollup_delta (id bigint, {types}) "
            "ON COMMIT DELETE ROWS"
        )
        cursor.execute("DELETE FROM injury_rollup_delta")
        names = ", ".join(q(c) for c in COUNTERS)
        with cursor.cursor.copy(f"COPY injury_rollup_delta ({names}, id) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        assignments = ", ".join(f"{q(n)} = {table}.{q(n)} + d.{q(n)}" for n in COUNTERS)
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM injury_rollup_delta d "  # noqa: S608
            f"WHERE {table}.id = d.id"
        )


def rollup_rebuild() -> int:
    """Recompute the whole rollup from cases and headcounts (after changes made elsewhere,
    such as an enterprise moved to another county or headcounts imported with the registry).
    The database groups the raw rows; Python only spreads the groups over the dimensions."""
    dim_fields = [
        "enterprise__city_id",
        "enterprise__county_id",
        "enterprise__industry__section",
        "enterprise__industry__division_code",
        "enterprise__risk_class",
        "enterprise__is_key_industry",
        "enterprise__size",
    ]

    def dims_of(row: dict[str, Any]) -> EnterpriseDims:
        return EnterpriseDims(
            row["enterprise__city_id"],
            row["enterprise__county_id"],
            row["enterprise__industry__section"],
            row["enterprise__industry__division_code"],
            str(row["enterprise__risk_class"] or ""),
            "1" if row["enterprise__is_key_industry"] else "0",
            row["enterprise__size"],
        )

    with transaction.atomic():
        InjuryRollup.objects.all().delete()
        deltas = Deltas()
        for row in (
            InsuredHeadcount.objects.values("year", *dim_fields)
            .annotate(n=Sum("insured_headcount"), h=Sum("hours_worked"))
            .order_by()
        ):
            deltas.add(dims_of(row), row["year"], {"headcount": row["n"], "hours": row["h"] or 0})
        lost = Q(is_death=True) | Q(disability_grade__isnull=False) | Q(lost_workdays__gt=0)
        cases = (
            InjuryCase.objects.annotate(
                year=ExtractYear("accident_date"),
                lost=ExpressionWrapper(lost, output_field=BooleanField()),
                hours_known=Exists(
                    InsuredHeadcount.objects.filter(
                        enterprise_id=OuterRef("enterprise_id"),
                        year=OuterRef("year"),
                        hours_worked__isnull=False,
                    )
                ),
            )
            .values(
                "year", *dim_fields, "accident_category", "kind", "is_death", "lost", "hours_known"
            )
            .annotate(n=Count("pk"), paid=Sum("payout"))
            .order_by()
        )
        for row in cases:
            n = row["n"]
            counted = row["kind"] in RATE_KINDS
            lost_time = counted and bool(row["lost"])
            deltas.add(
                dims_of(row),
                row["year"],
                {
                    "cases": n if counted else 0,
                    "deaths": n if counted and row["is_death"] else 0,
                    "lost_time": n if lost_time else 0,
                    "disease_cases": n if row["kind"] == CaseKind.OCCUPATIONAL_DISEASE else 0,
                    "payout": row["paid"] or 0,
                    "hours_cases": n if counted and row["hours_known"] else 0,
                    "hours_lost_time": n if lost_time and row["hours_known"] else 0,
                },
                category=row["accident_category"],
            )
        rollup_apply(deltas)
        return InjuryRollup.objects.count()


def _hours_known(enterprise_id: int, year: int) -> bool:
    return InsuredHeadcount.objects.filter(
        enterprise_id=enterprise_id, year=year, hours_worked__isnull=False
    ).exists()


# --- cases ------------------------------------------------------------------------------------

CASE_WRITERS = frozenset(
    {Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN}
)


def _require_case_writer(actor: Any, enterprise: Enterprise | None) -> None:
    if getattr(actor, "role", None) not in CASE_WRITERS:
        raise PermissionDenied(_("Only HRSS officials record injury cases."))
    if enterprise is not None and not may_write_at(
        actor,
        city_id=enterprise.city_id,
        county_id=enterprise.county_id,
        grid_id=enterprise.grid_id,
        enterprise_id=enterprise.pk,
    ):
        raise PermissionDenied(_("This enterprise lies outside the region you may change."))


def _lookups_for(data: dict[str, Any], enterprise: Enterprise | None) -> CaseLookups:
    lookups = CaseLookups.for_codes(
        [_text(data, "enterprise").upper()] if enterprise is None else [],
        [_text(data, "case_number")],
    )
    if enterprise is not None:
        lookups.enterprises_by_code[enterprise.credit_code] = enterprise
        lookups.load_headcounts([enterprise.pk])
    return lookups


def _case_attrs(values: dict[str, Any]) -> dict[str, Any]:
    attrs = {k: v for k, v in values.items() if k != "id_number"}
    number = values["id_number"]
    attrs["id_number_digest"] = id_number_digest(number)
    attrs["id_number_encrypted"] = id_number_encrypt(number)
    attrs["id_number_masked"] = mask_id_number(number)
    return attrs


@transaction.atomic
def case_create(*, actor: Any, data: dict[str, Any]) -> InjuryCase:
    """Record a recognised case. `data["enterprise"]` is an Enterprise or a credit code."""
    enterprise = data.get("enterprise") if isinstance(data.get("enterprise"), Enterprise) else None
    _require_case_writer(actor, enterprise)
    cleaned = case_clean(data, lookups=_lookups_for(data, enterprise), today=timezone.localdate())
    if cleaned.errors:
        raise CaseInvalid(cleaned.errors)
    enterprise = cleaned.values["enterprise"]
    _require_case_writer(actor, enterprise)
    case = InjuryCase.objects.create(created_by=actor, **_case_attrs(cleaned.values))
    audit_create(actor, case)
    deltas = Deltas()
    deltas.add_case(
        EnterpriseDims.of(enterprise),
        case,
        hours_known=_hours_known(enterprise.pk, case.accident_date.year),
        sign=1,
    )
    rollup_apply(deltas)
    return case


def _case_as_data(case: InjuryCase) -> dict[str, Any]:
    return {
        "case_number": case.case_number,
        "enterprise": case.enterprise,
        "person_name": case.person_name,
        "accident_date": case.accident_date.isoformat(),
        "recognition_date": case.recognition_date.isoformat(),
        "kind": case.kind,
        "occupational_disease": case.occupational_disease,
        "is_death": case.is_death,
        "disability_grade": case.disability_grade or "",
        "lost_workdays": "" if case.lost_workdays is None else case.lost_workdays,
        "accident_category": case.accident_category,
        "body_part": case.body_part,
        "payout": case.payout,
    }


@transaction.atomic
def case_update(*, actor: Any, case: InjuryCase, data: dict[str, Any]) -> InjuryCase:
    """Change a case; an empty ID number keeps the stored one."""
    case = (
        InjuryCase.objects.select_for_update()
        .select_related("enterprise__industry")
        .get(pk=case.pk)
    )
    _require_case_writer(actor, case.enterprise)
    merged = {**_case_as_data(case), **data}
    keep_id = not _text(merged, "id_number")
    if keep_id:
        merged["id_number"] = id_number_decrypt(case.id_number_encrypted)
    new_enterprise = merged["enterprise"] if isinstance(merged["enterprise"], Enterprise) else None
    cleaned = case_clean(
        merged,
        lookups=_lookups_for(merged, new_enterprise),
        today=timezone.localdate(),
        existing_pk=case.pk,
    )
    if cleaned.errors:
        raise CaseInvalid(cleaned.errors)
    enterprise = cleaned.values["enterprise"]
    _require_case_writer(actor, enterprise)
    before = snapshot(case)
    deltas = Deltas()
    deltas.add_case(
        EnterpriseDims.of(case.enterprise),
        case,
        hours_known=_hours_known(case.enterprise_id, case.accident_date.year),
        sign=-1,
    )
    attrs = _case_attrs(cleaned.values)
    if keep_id:
        for name in ("id_number_digest", "id_number_encrypted", "id_number_masked"):
            attrs.pop(name)
    for name, value in attrs.items():
        setattr(case, name, value)
    case.save()
    audit_update(actor, case, before)
    deltas.add_case(
        EnterpriseDims.of(enterprise),
        case,
        hours_known=_hours_known(enterprise.pk, case.accident_date.year),
        sign=1,
    )
    rollup_apply(deltas)
    return case


@transaction.atomic
def case_delete(*, actor: Any, case: InjuryCase, reason: str = "") -> None:
    case = (
        InjuryCase.objects.select_for_update()
        .select_related("enterprise__industry")
        .get(pk=case.pk)
    )
    _require_case_writer(actor, case.enterprise)
    deltas = Deltas()
    deltas.add_case(
        EnterpriseDims.of(case.enterprise),
        case,
        hours_known=_hours_known(case.enterprise_id, case.accident_date.year),
        sign=-1,
    )
    audit_delete(actor, case, reason=reason)
    case.delete()
    rollup_apply(deltas)


def cases_create_many(*, actor: Any, rows: list[CaseFields], lookups: CaseLookups) -> int:
    """Bulk insert of validated rows (imports, demo data, benchmark); the caller holds the
    transaction. Rows go in as plain values (no model instances: this is the import's hot
    path), each with its audit entry, and the rollup gets the summed effect of the batch."""
    from yufang.industries.models import Industry

    industry_ids = {r.values["enterprise"].industry_id for r in rows}
    industries = {
        pk: (section, division)
        for pk, section, division in Industry.objects.filter(pk__in=industry_ids).values_list(
            "pk", "section", "division_code"
        )
    }
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    groups: dict[tuple[Any, ...], list[Any]] = {}
    dims_cache: dict[int, EnterpriseDims] = {}
    records: list[dict[str, Any]] = []
    for row in rows:
        values = row.values
        enterprise: Enterprise = values["enterprise"]
        record = _case_attrs(values)
        del record["enterprise"]
        record.update(
            enterprise_id=enterprise.pk, created_by_id=actor_id, created_at=now, updated_at=now
        )
        records.append(record)
        dims = dims_cache.get(enterprise.pk)
        if dims is None:
            dims = dims_cache[enterprise.pk] = EnterpriseDims(
                enterprise.city_id,
                enterprise.county_id,
                *industries[enterprise.industry_id],
                str(enterprise.risk_class or ""),
                "1" if enterprise.is_key_industry else "0",
                enterprise.size,
            )
        year = values["accident_date"].year
        exposure = lookups.headcounts.get((enterprise.pk, year))
        lost = bool(
            values["is_death"] or values["disability_grade"] or (values["lost_workdays"] or 0) > 0
        )
        key = (
            dims,
            year,
            values["accident_category"],
            values["kind"],
            bool(values["is_death"]),
            lost,
            bool(exposure and exposure[1] is not None),
        )
        group = groups.get(key)
        if group is None:
            groups[key] = [1, values["payout"]]
        else:
            group[0] += 1
            group[1] += values["payout"]
    _insert_values(InjuryCase, records)
    ids: dict[str, int] = {}
    numbers = [r["case_number"] for r in records]
    for start in range(0, len(numbers), 900):
        ids.update(
            InjuryCase.objects.filter(case_number__in=numbers[start : start + 900]).values_list(
                "case_number", "pk"
            )
        )
    label = InjuryCase._meta.label
    entries = []
    for record in records:
        pk = ids[record["case_number"]]
        entries.append(
            {
                "at": now,
                "actor_id": actor_id,
                "action": AuditEntry.Action.CREATE,
                "model": label,
                "object_id": str(pk),
                "object_repr": record["case_number"],
                "changes": {"id": pk, **{k: _plain(v) for k, v in record.items()}},
                "reason": "import",
            }
        )
    _insert_values(AuditEntry, entries)
    deltas = Deltas()
    for (dims, year, category, kind, death, lost, hours_known), (n, paid) in groups.items():
        counted = kind in RATE_KINDS
        deltas.add(
            dims,
            year,
            {
                "cases": n if counted else 0,
                "deaths": n if counted and death else 0,
                "lost_time": n if counted and lost else 0,
                "disease_cases": n if kind == CaseKind.OCCUPATIONAL_DISEASE else 0,
                "payout": paid,
                "hours_cases": n if counted and hours_known else 0,
                "hours_lost_time": n if counted and lost and hours_known else 0,
            },
            category=category,
        )
    rollup_apply(deltas)
    return len(records)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _insert_values(model: type[Any], rows: list[dict[str, Any]]) -> None:
    """INSERT plain rows (attname -> value) with executemany; missing fields take their
    defaults. Django's bulk_create compiles SQL per 999 parameters on SQLite and builds a
    model instance per row, which made imports several times slower than the database."""
    db = connections[DEFAULT_DB_ALIAS]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = db.ops.quote_name(model._meta.db_table)
    columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    prepared = {"DecimalField", "JSONField", "DateTimeField", "DateField"}
    specs = [
        (
            f.attname,
            f.get_default() if f.has_default() else None,
            f.get_internal_type() in prepared,
            f,
        )
        for f in fields
    ]
    # Dates, the batch's timestamp and many amounts repeat: convert each distinct value once.
    memo: dict[tuple[str, Any], Any] = {}

    def prep(f: Any, name: str, value: Any) -> Any:
        if isinstance(value, dict | list):
            return f.get_db_prep_save(value, db)
        key = (name, value)
        if key not in memo:
            memo[key] = f.get_db_prep_save(value, db)
        return memo[key]

    params = [
        [
            prep(f, name, row.get(name, default)) if needs else row.get(name, default)
            for name, default, needs, f in specs
        ]
        for row in rows
    ]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in params:
                    copy.write_row(row)
            return
        for start in range(0, len(params), 5000):
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                params[start : start + 5000],
            )


def _insert_many(model: type[Any], objects: list[Any]) -> None:
    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    _insert_values(model, [{name: getattr(obj, name) for name in fields} for obj in objects])


# --- exposure -------------------------------------------------------------------------------


@transaction.atomic
def exposure_set(
    *,
    actor: Any,
    enterprise: Enterprise,
    year: int,
    insured_headcount: int,
    hours_worked: Decimal | None = None,
) -> InsuredHeadcount:
    """Set an enterprise's insured headcount (and hours) for a year. A year with cases cannot
    drop to 0 insured; the rollup follows through `rollup_watch`."""
    if (
        insured_headcount == 0
        and InjuryCase.objects.filter(enterprise=enterprise, accident_date__year=year).exists()
    ):
        raise EnterpriseInvalid(
            _("%(year)s has injury cases, so the insured headcount cannot be 0.") % {"year": year},
            "insured_headcount",
        )
    return headcount_set(
        actor=actor,
        enterprise=enterprise,
        year=year,
        insured_headcount=insured_headcount,
        hours_worked=hours_worked,
    )


@contextmanager
def rollup_watch(enterprise_ids: list[int]) -> Iterator[None]:
    """Keep the rollup exact across a change in the registry (a headcount, an enterprise moved
    to another county, industry, size or class): take out what these enterprises add to the
    rollup now, let the change happen, put back what they add after it. Registered with the
    enterprises app, which calls it around its own writes."""
    if not enterprise_ids:
        yield
        return
    deltas = Deltas()
    _enterprises_contribution(deltas, enterprise_ids, sign=-1)
    yield
    _enterprises_contribution(deltas, enterprise_ids, sign=1)
    rollup_apply(deltas)


def _enterprises_contribution(deltas: Deltas, enterprise_ids: list[int], *, sign: int) -> None:
    dims = {
        e.pk: EnterpriseDims.of(e)
        for e in Enterprise.objects.filter(pk__in=enterprise_ids).select_related("industry")
    }
    hours_known: set[tuple[int, int]] = set()
    for row in InsuredHeadcount.objects.filter(enterprise_id__in=enterprise_ids):
        deltas.add(
            dims[row.enterprise_id],
            row.year,
            {"headcount": row.insured_headcount, "hours": row.hours_worked or 0},
            sign=sign,
        )
        if row.hours_worked is not None:
            hours_known.add((row.enterprise_id, row.year))
    for case in InjuryCase.objects.filter(enterprise_id__in=enterprise_ids):
        deltas.add_case(
            dims[case.enterprise_id],
            case,
            hours_known=(case.enterprise_id, case.accident_date.year) in hours_known,
            sign=sign,
        )
