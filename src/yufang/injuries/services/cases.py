"""Writes of injury cases and insured headcounts: one case from a form or the API, or the
good rows of a checked file (`cases_create_many`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial
from itertools import accumulate
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import OFFICIAL_ROLES, ScopePaths, may_change_enterprise, scope_q
from yufang.audit.models import AuditEntry
from yufang.audit.services import (
    audit_create,
    audit_create_bulk,
    audit_delete,
    audit_event,
    audit_update,
    snapshot,
)
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.enterprises.services import EnterpriseInvalid, headcount_set
from yufang.injuries.models import InjuryCase
from yufang.injuries.services.checks import (
    CASE_ROW_COLUMNS,
    CaseBatch,
    CaseFields,
    EnterpriseRef,
    _temporary_rows,
    _text,
    cases_check,
)
from yufang.injuries.services.priority import priority_mark_stale
from yufang.injuries.services.rollup import Deltas, EnterpriseDims, rollup_apply, rollup_steps
from yufang.lib.errors import InvalidInput
from yufang.lib.identifiers import mask_id_number
from yufang.lib.protected import (
    id_number_decrypt,
    id_number_digest,
    id_number_encrypt,
)
from yufang.support.bulk import (
    DatabaseStep,
    Rows,
    collector_paused,
    copy_data,
    rows_writer,
    steps_run,
    while_database_runs,
)


class CaseInvalid(InvalidInput):
    pass


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
    audit_event(actor, case, AuditEntry.Action.UPDATE, reason="reveal id_number")
    return id_number_decrypt(case.id_number_encrypted)


_CASE_SCOPE_PATHS = ScopePaths.via_enterprise("enterprise")


# --- cases ------------------------------------------------------------------------------------

CASE_WRITERS = frozenset(
    {Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN}
)


def _require_case_writer(actor: Any, enterprise: Enterprise | EnterpriseRef | None) -> None:
    if getattr(actor, "role", None) not in CASE_WRITERS:
        raise PermissionDenied(_("Only HRSS officials record injury cases."))
    if enterprise is not None and not may_change_enterprise(actor, enterprise):
        raise PermissionDenied(_("This enterprise lies outside the region you may change."))


def _case_attrs(values: dict[str, Any]) -> dict[str, Any]:
    attrs = {k: v for k, v in values.items() if k not in ("id_number", "enterprise")}
    attrs["enterprise_id"] = values["enterprise"].pk
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
    cleaned = case_clean(data, user=None, today=timezone.localdate())
    if cleaned.errors:
        raise CaseInvalid(cleaned.errors)
    enterprise = cleaned.values["enterprise"]
    _require_case_writer(actor, enterprise)
    case = InjuryCase.objects.create(created_by=actor, **_case_attrs(cleaned.values))
    audit_create(actor, case)
    deltas = Deltas()
    deltas.add_stored_case(enterprise.dims, case, sign=1)
    rollup_apply(deltas)
    priority_mark_stale()
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
    keep_id = not _text(merged.get("id_number"))
    if keep_id:
        merged["id_number"] = id_number_decrypt(case.id_number_encrypted)
    cleaned = case_clean(merged, user=None, today=timezone.localdate(), existing_pk=case.pk)
    if cleaned.errors:
        raise CaseInvalid(cleaned.errors)
    enterprise = cleaned.values["enterprise"]
    _require_case_writer(actor, enterprise)
    before = snapshot(case)
    deltas = Deltas()
    deltas.add_stored_case(EnterpriseDims.of(case.enterprise), case, sign=-1)
    attrs = _case_attrs(cleaned.values)
    if keep_id:
        for name in ("id_number_digest", "id_number_encrypted", "id_number_masked"):
            attrs.pop(name)
    for name, value in attrs.items():
        setattr(case, name, value)
    case.save()
    audit_update(actor, case, before)
    deltas.add_stored_case(enterprise.dims, case, sign=1)
    rollup_apply(deltas)
    priority_mark_stale()
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
    deltas.add_stored_case(EnterpriseDims.of(case.enterprise), case, sign=-1)
    audit_delete(actor, case, reason=reason)
    case.delete()
    rollup_apply(deltas)
    priority_mark_stale()


# Rows of an import written between two progress reports.
CASE_CHUNK = 20_000


@collector_paused()
def cases_create_many(
    *,
    actor: Any,
    batch: CaseBatch,
    import_job_id: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert the good rows of a checked file (imports, demo data); the caller holds the
    transaction.

    A chunk at a time, the database takes the rows into the cases table, each case naming
    the import it came from (whose stored file holds what the row said). While it does, in a
    second thread (the driver lets go of Python's lock), Python protects the next chunk's ID
    numbers, makes its rows ready and adds this chunk to the rollup's changes; beside the
    last chunk, it makes the rollup's changes ready. The rollup is changed once, and the
    audit log gets one entry for the import.
    """
    count = len(batch.good)
    if not count:
        return 0
    stamp = InjuryCase._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
    prepare, steps = _case_insert_steps(
        batch,
        {
            "created_by_id": getattr(actor, "pk", None),
            "created_at": stamp,
            "updated_at": stamp,
            "import_job_id": import_job_id,
        },
    )
    postgres = connection.vendor == "postgresql"
    if postgres:
        # Check each case's references as it is inserted (beside Python's work) rather than
        # queue a check per case for the commit, as Django's deferred constraints would.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    # The rows go in their enterprises' order, so that the database meets each enterprise's
    # registry row and index entries once and in order, not all over their pages: a third
    # less of PostgreSQL's CPU time for the writes, measured at province scale.
    order = sorted(range(count), key=batch.enterprise_ids.__getitem__)
    # A small first chunk: its ID numbers are protected before anything can run beside it.
    bounds = [0, *range(min(count, CASE_CHUNK // 10), count, CASE_CHUNK), count]
    parts = [order[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
    ends = list(accumulate(map(len, parts)))
    deltas = Deltas()
    rollup: list[DatabaseStep] = []
    rows = prepare(parts[0])
    for k, part in enumerate(parts):

        def beside(k: int = k, part: list[int] = part) -> Rows:
            batch.count(deltas, part)
            if k + 1 < len(parts):
                return prepare(parts[k + 1])
            rollup.extend(rollup_steps(deltas))
            return []

        rows = while_database_runs(steps(rows, ends[k]), beside, progress)
    with connection.cursor() as cursor:
        cursor.execute(
            "SET CONSTRAINTS ALL DEFERRED" if postgres else f"DROP TABLE IF EXISTS {_CASE_STAGE}"
        )
    steps_run(rollup)
    audit_create_bulk(
        actor,
        InjuryCase,
        count=count,
        object_id=f"import:{import_job_id}" if import_job_id else "",
        changes={"import_job": import_job_id},
        reason="import",
    )
    priority_mark_stale()
    return count


_CASE_STAGE = "injury_case_stage"


def _case_insert_steps(
    batch: CaseBatch, same: dict[str, Any]
) -> tuple[Callable[[list[int]], Rows], Callable[[Rows, int], list[DatabaseStep]]]:
    """How the good rows `part` of a batch are made ready beside the database's work, and
    what the database then does with them, in `cases_create_many`. `same` holds the columns
    every imported case has alike (who, when, which import). On SQLite this creates the
    temporary stage table, which `cases_create_many` drops when it is done."""
    table = InjuryCase._meta.db_table
    if connection.vendor == "postgresql":
        # COPY straight into the cases table, the data made beside the previous chunk.
        columns = (*CASE_ROW_COLUMNS, *same)
        write = rows_writer(table, columns)
        values = tuple(same.values())
        return (
            lambda part: copy_data(InjuryCase, columns, batch.case_rows(part, values)),
            lambda data, done: [(partial(write, rows=data), (), done)],
        )
    # SQLite's driver takes Python's lock back for every row it inserts, which stalls beside
    # Python's work; so the chunk goes to a temporary table first, and the database copies
    # it over in one statement, adding the columns alike.
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in CASE_ROW_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_CASE_STAGE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_CASE_STAGE} AS SELECT {names} FROM {q(table)} WHERE 0"  # noqa: S608
        )
    insert = (
        f"INSERT INTO {q(table)} ({names}, {', '.join(q(c) for c in same)}) "  # noqa: S608
        f"SELECT {names}, {', '.join(['%s'] * len(same))} FROM {_CASE_STAGE}"
    )

    def steps(rows: Rows, done: int) -> list[DatabaseStep]:
        _temporary_rows(_CASE_STAGE, CASE_ROW_COLUMNS, rows)  # type: ignore[arg-type]
        return [(insert, list(same.values()), done), (f"DELETE FROM {_CASE_STAGE}", (), None)]  # noqa: S608

    return lambda part: batch.case_rows(part, ()), steps


# --- exposure -------------------------------------------------------------------------------


def headcount_guard(*, enterprise: Enterprise, year: int, insured_headcount: int) -> None:
    """Registered with the enterprises' `headcount_set`: a year with cases cannot drop to 0
    insured (its rates would divide by nothing)."""
    if (
        insured_headcount == 0
        and InjuryCase.objects.filter(
            enterprise=enterprise,
            accident_date__gte=dt.date(year, 1, 1),
            accident_date__lte=dt.date(year, 12, 31),
        ).exists()
    ):
        raise EnterpriseInvalid(
            _("%(year)s has injury cases, so the insured headcount cannot be 0.") % {"year": year},
            "insured_headcount",
        )


def exposure_set(
    *,
    actor: Any,
    enterprise: Enterprise,
    year: int,
    insured_headcount: int,
    hours_worked: Decimal | None = None,
) -> InsuredHeadcount:
    """Set an enterprise's insured headcount (and hours) for a year through the registry's
    one writer, `headcount_set`, which asks `headcount_guard`; the rollup follows through
    `rollup_watch`."""
    return headcount_set(
        actor=actor,
        enterprise=enterprise,
        year=year,
        insured_headcount=insured_headcount,
        hours_worked=hours_worked,
    )


def case_clean(
    data: dict[str, Any], *, user: Any, today: dt.date, existing_pk: int | None = None
) -> CaseFields:
    """Check one case as typed by a person: a file of one row."""
    batch = cases_check([(1, data)], user=user, today=today, existing_pk=existing_pk)
    if batch.good:
        return batch.rows[0]
    return CaseFields(
        values={name: column[0] for name, column in batch.columns.items()},
        errors={name: message for _row, name, message in batch.errors},
    )
