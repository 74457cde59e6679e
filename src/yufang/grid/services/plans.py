"""Screening plans and the tasks they generate.

Generation is set-based: the enterprises due in a period are found, balanced across their
grid's workers and inserted by one INSERT ... SELECT (window functions, on PostgreSQL and
SQLite alike); the unique constraint on (enterprise, plan, period_start) makes a rerun (or two
runs at once) add nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role, User
from yufang.accounts.scoping.grid import may_plan_campaign
from yufang.audit.services import audit_create, audit_create_bulk
from yufang.enterprises.models import Enterprise
from yufang.grid.models import (
    CampaignTarget,
    EnterpriseClosure,
    GridAssignment,
    PlanKind,
    ScreeningPlan,
    ScreeningTask,
    TaskStatus,
)
from yufang.grid.services.common import GridInvalid
from yufang.grid.services.coverage_counts import new_tasks_counted
from yufang.regions.models import Region

COLOUR_BATCH = 5000
UPDATE_BATCH = 500


@dataclass
class GenerationResult:
    """Tasks created, and (campaigns) targets that already had theirs."""

    created: int = 0
    already: int = 0

    def __add__(self, other: GenerationResult) -> GenerationResult:
        return GenerationResult(self.created + other.created, self.already + other.already)


def routine_plan() -> ScreeningPlan:
    """The one routine plan (frequency by risk colour), made on first use."""
    plan, _created = ScreeningPlan.objects.get_or_create(
        kind=PlanKind.ROUTINE, defaults={"name": "routine"}
    )
    return plan


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1, day=1)


def interval_months(colour: str | None, on: dt.date) -> int:
    intervals = policy.value("grid_screening_interval_months", on=on)
    return int(intervals.get(colour or "unassessed", intervals["unassessed"]))


def _in_region(qs: QuerySet[Enterprise], region: Region | None) -> QuerySet[Enterprise]:
    if region is None or region.level == Region.Level.PROVINCE:
        return qs
    field = {Region.Level.CITY: "city", Region.Level.COUNTY: "county"}.get(
        Region.Level(region.level), "township"
    )
    return qs.filter(**{f"{field}_id": region.pk})


def _screenable() -> QuerySet[Enterprise]:
    """Enterprises in a grid and not closed."""
    return Enterprise.objects.filter(grid__isnull=False).exclude(
        Exists(EnterpriseClosure.objects.filter(enterprise=OuterRef("pk")))
    )


def _sql(qs: QuerySet[Any]) -> tuple[str, tuple[Any, ...]]:
    sql, params = qs.query.sql_with_params()
    return sql, tuple(params)


# The tasks of one plan and period, inserted by one statement. Each grid's new tasks, in
# enterprise order, take the grid's workers' "slots" in order: worker w's j-th new task is the
# slot (open load of w + j, w). Taking the n smallest slots is what handing each task in turn
# to the least-loaded worker (lowest id on a tie) does, so the assignment is the same as one by
# one, without reading a row into Python. A worker never gets more than
# (the grid's highest load - its load) + ceil(n / workers) tasks, so only those slots are made.
# `WHERE 1 = 1` lets SQLite parse ON CONFLICT after a SELECT with joins.
_INSERT_TASKS = """
INSERT INTO {task} (enterprise_id, grid_id, worker_id, plan_id, period_start, period_end,
                    due_on, status, created_at, cancel_reason)
WITH due (enterprise_id, grid_id) AS ({due}),
numbered AS (
    SELECT enterprise_id, grid_id,
           ROW_NUMBER() OVER (PARTITION BY grid_id ORDER BY enterprise_id) - 1 AS rn,
           COUNT(*) OVER (PARTITION BY grid_id) AS n
    FROM due
),
assigned (grid_id, worker_id) AS ({assigned}),
bound (grid_id, worker_id) AS ({bound}),
members AS (
    SELECT grid_id, worker_id FROM assigned WHERE grid_id IN (SELECT grid_id FROM due)
    UNION
    SELECT grid_id, worker_id FROM bound WHERE grid_id IN (SELECT grid_id FROM due)
),
loads AS (
    SELECT worker_id, COUNT(*) AS load FROM {task}
    WHERE status = %s AND worker_id IN (SELECT worker_id FROM members)
    GROUP BY worker_id
),
loaded AS (
    SELECT m.grid_id, m.worker_id, COALESCE(l.load, 0) AS load
    FROM members m LEFT JOIN loads l ON l.worker_id = m.worker_id
),
sized AS (
    SELECT grid_id, worker_id, load,
           COUNT(*) OVER (PARTITION BY grid_id) AS k,
           MAX(load) OVER (PARTITION BY grid_id) AS top
    FROM loaded
),
slots AS (
    SELECT s.grid_id, s.worker_id,
           ROW_NUMBER() OVER (PARTITION BY s.grid_id ORDER BY s.load + j.rn, s.worker_id) - 1
               AS slot
    FROM sized s
    JOIN numbered j ON j.grid_id = s.grid_id AND j.rn < s.top - s.load + (j.n + s.k - 1) / s.k
)
SELECT t.enterprise_id, t.grid_id, s.worker_id, %s, %s, %s, %s, %s, %s, ''
FROM numbered t LEFT JOIN slots s ON s.grid_id = t.grid_id AND s.slot = t.rn
WHERE 1 = 1
ON CONFLICT DO NOTHING
"""


def _insert(
    plan: ScreeningPlan,
    due: QuerySet[Enterprise],
    start: dt.date,
    end: dt.date,
    stamp: dt.datetime,
) -> int:
    """Inserts a task of [start, end] for every enterprise of `due` that has none for this plan
    and period, each handed to the least-loaded worker of its grid; returns how many were new.
    The unique constraint makes a concurrent run's tasks conflicts, skipped."""
    sql, params = insert_statement(plan, due, start, end, stamp)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and connection.in_atomic_block:
            # The planner's row estimates for the CTEs are far above the truth, enough to
            # trigger JIT compilation, which costs more than the statement saves from it.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


def insert_statement(
    plan: ScreeningPlan,
    due: QuerySet[Enterprise],
    start: dt.date,
    end: dt.date,
    stamp: dt.datetime,
) -> tuple[str, tuple[Any, ...]]:
    """The statement `_insert` runs (apart, so that a benchmark can EXPLAIN it)."""
    due = due.exclude(
        Exists(
            ScreeningTask.objects.filter(enterprise=OuterRef("pk"), plan=plan, period_start=start)
        )
    )
    due_sql, due_params = _sql(due.order_by().values_list("pk", "grid_id"))
    active = User.objects.filter(role=Role.GRID_WORKER, is_active=True)
    assigned_sql, assigned_params = _sql(
        GridAssignment.objects.filter(ended_on__isnull=True, worker__in=active)
        .order_by()
        .values_list("grid_id", "worker_id")
    )
    bound_sql, bound_params = _sql(
        active.filter(grid__isnull=False).order_by().values_list("grid_id", "pk")
    )
    sql = _INSERT_TASKS.format(
        task=connection.ops.quote_name(ScreeningTask._meta.db_table),
        due=due_sql,
        assigned=assigned_sql,
        bound=bound_sql,
    )
    # `due` is read by several CTEs but defined once, so its parameters appear once.
    params = (
        *due_params,
        *assigned_params,
        *bound_params,
        TaskStatus.OPEN.value,
        plan.pk,
        start,
        end,
        end,
        TaskStatus.OPEN.value,
        stamp,
    )
    ops = connection.ops
    params = tuple(
        ops.adapt_datetimefield_value(p)
        if isinstance(p, dt.datetime)
        else ops.adapt_datefield_value(p)
        if isinstance(p, dt.date)
        else p
        for p in params
    )
    return sql, params


def routine_tasks_generate(*, on: dt.date, region: Region | None = None) -> GenerationResult:
    """Generates the routine tasks of the month of `on`: every screenable enterprise whose
    last routine period has ended gets a task for [month start, month start + its interval).
    The interval is the enterprise's risk colour's (`grid_screening_interval_months`).

    Who is due, and the balancing, are one INSERT ... SELECT; every task is first given the
    unassessed interval, then the few enterprises with a completed assessment get their
    colour's period (the colour rule, exposure limits included, stays in hazards)."""
    from yufang.hazards.selectors import assessed_enterprise_ids, enterprise_risk_colours

    plan = routine_plan()
    start = on.replace(day=1)
    covered = ScreeningTask.objects.filter(
        enterprise=OuterRef("pk"), plan=plan, period_end__gte=start
    )
    due = _in_region(_screenable(), region).exclude(Exists(covered))
    default_end = _period_end(start, None)
    stamp = timezone.now()
    with transaction.atomic():
        assessed = list(
            due.filter(pk__in=assessed_enterprise_ids()).values_list("pk", flat=True).order_by("pk")
        )
        created = _insert(plan, due, start, default_end, stamp)
        by_end: dict[dt.date, list[int]] = {}
        for batch_start in range(0, len(assessed), COLOUR_BATCH):
            batch = assessed[batch_start : batch_start + COLOUR_BATCH]
            for pk, colour in enterprise_risk_colours(batch).items():
                by_end.setdefault(_period_end(start, colour), []).append(pk)
        mine = ScreeningTask.objects.filter(plan=plan, period_start=start, created_at=stamp)
        for end, pks in by_end.items():
            if end == default_end:
                continue
            for i in range(0, len(pks), UPDATE_BATCH):
                mine.filter(enterprise_id__in=pks[i : i + UPDATE_BATCH]).update(
                    period_end=end, due_on=end
                )
        if created:
            new_tasks_counted(mine)
        if created:
            audit_create_bulk(
                None, ScreeningTask, count=created, reason=f"routine {start.isoformat()}"
            )
    # Who was due and already had a task (a concurrent run's) is not counted: it would cost a
    # second pass over every enterprise.
    return GenerationResult(created=created)


def _period_end(start: dt.date, colour: str | None) -> dt.date:
    return add_months(start, interval_months(str(colour) if colour else None, start)) - (
        dt.timedelta(days=1)
    )


def _campaign_enterprises(plan: ScreeningPlan) -> QuerySet[Enterprise]:
    qs = _in_region(_screenable(), plan.region)
    if plan.target == CampaignTarget.INDUSTRIES:
        codes = [str(c) for c in plan.industry_codes]
        q = Q(pk__in=[])
        for code in codes:
            q |= Q(industry__code__startswith=code) | Q(industry__full_code__startswith=code)
        return qs.filter(q)
    if plan.target == CampaignTarget.PRIORITY_LIST:
        return qs.filter(is_key_industry=True)
    from yufang.hazards.selectors import enterprises_with_open_major_hazards

    return qs.filter(pk__in=enterprises_with_open_major_hazards())


def campaign_tasks_generate(*, plan: ScreeningPlan) -> GenerationResult:
    """A campaign's tasks: one per enterprise it targets, due on its last day. Rerunning adds
    only the enterprises that became targets since."""
    if plan.starts_on is None or plan.ends_on is None:
        return GenerationResult()
    targets = _campaign_enterprises(plan)
    with transaction.atomic():
        target_count = targets.count()
        stamp = timezone.now()
        created = _insert(plan, targets, plan.starts_on, plan.ends_on, stamp)
        if created:
            new_tasks_counted(
                ScreeningTask.objects.filter(
                    plan=plan, period_start=plan.starts_on, created_at=stamp
                )
            )
            audit_create_bulk(None, ScreeningTask, count=created, reason=f"campaign {plan.pk}")
    return GenerationResult(created=created, already=target_count - created)


def tasks_generate(*, on: dt.date, region: Region | None = None) -> GenerationResult:
    """The periodic run: the routine tasks of `on`'s month and the tasks of every campaign
    running on `on`. Safe to rerun (and to run twice at once)."""
    result = routine_tasks_generate(on=on, region=region)
    campaigns = ScreeningPlan.objects.filter(
        kind=PlanKind.CAMPAIGN, starts_on__lte=on, ends_on__gte=on
    )
    for plan in campaigns.select_related("region"):
        result = result + campaign_tasks_generate(plan=plan)
    return result


@transaction.atomic
def campaign_create(
    *,
    actor: Any,
    name: str,
    target: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    region: Region | None = None,
    industry_codes: Iterable[str] = (),
    note: str = "",
) -> ScreeningPlan:
    """A campaign drive (a two-week confined-space drive for chosen industries, the injury
    priority list, enterprises with open major hazards); its tasks are generated at once."""
    if not may_plan_campaign(actor, region):
        raise PermissionDenied(_("You cannot plan a campaign for this region."))
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the campaign a name.")
    elif len(name) > 100:
        errors["name"] = _("At most 100 characters.")
    if target not in CampaignTarget.values:
        errors["target"] = _("Choose which enterprises the campaign screens.")
    codes = [c.strip() for c in industry_codes if c and c.strip()]
    if target == CampaignTarget.INDUSTRIES and not codes:
        errors["industry_codes"] = _("Choose at least one industry.")
    if any(not c.isalnum() or len(c) > 5 for c in codes):
        errors["industry_codes"] = _("Industry codes are GB/T 4754 codes such as C or C26.")
    if ends_on is None:
        ends_on = starts_on + dt.timedelta(
            days=int(policy.value("grid_campaign_default_days", on=starts_on)) - 1
        )
    if ends_on < starts_on:
        errors["ends_on"] = _("The campaign cannot end before it starts.")
    elif (ends_on - starts_on).days > 366:
        errors["ends_on"] = _("A campaign lasts at most a year.")
    if errors:
        raise GridInvalid(errors)
    plan = ScreeningPlan.objects.create(
        kind=PlanKind.CAMPAIGN,
        name=name,
        target=target,
        industry_codes=codes if target == CampaignTarget.INDUSTRIES else [],
        starts_on=starts_on,
        ends_on=ends_on,
        region=region,
        note=note.strip()[:2000],
        created_by=actor,
    )
    audit_create(actor, plan)
    campaign_tasks_generate(plan=plan)
    return plan
