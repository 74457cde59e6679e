"""Screening plans and the tasks they generate.

Generation is set-based: the enterprises due in a period are found by one query, their risk
colours read in batches, and the tasks inserted in bulk; the unique constraint on
(enterprise, plan, period_start) makes a rerun (or two runs at once) add nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.scoping.grid import may_plan_campaign
from yufang.audit.services import audit_create, audit_create_bulk
from yufang.enterprises.models import Enterprise
from yufang.grid.models import (
    CampaignTarget,
    EnterpriseClosure,
    PlanKind,
    ScreeningPlan,
    ScreeningTask,
    TaskStatus,
)
from yufang.grid.services.common import GridInvalid, balanced_pick, open_loads, workers_by_grid
from yufang.regions.models import Region

COLOUR_BATCH = 5000


@dataclass
class GenerationResult:
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


def _colours(ids: list[int]) -> dict[int, str | None]:
    from yufang.hazards.selectors import enterprise_risk_colours

    found: dict[int, str | None] = {}
    for start in range(0, len(ids), COLOUR_BATCH):
        batch = enterprise_risk_colours(ids[start : start + COLOUR_BATCH])
        found.update({i: (str(c) if c else None) for i, c in batch.items()})
    return found


def _insert(
    plan: ScreeningPlan, rows: list[tuple[int, int, dt.date, dt.date]], *, due_on_end: bool = True
) -> int:
    """Inserts tasks for (enterprise, grid, period_start, period_end) rows, each given to the
    least-loaded worker of its grid; returns how many were new."""
    if not rows:
        return 0
    by_grid = workers_by_grid(sorted({r[1] for r in rows}))
    # One grouped query for every worker's open load, not one per grid.
    loads = open_loads(sorted({w for workers in by_grid.values() for w in workers}))
    loads_of = {g: {w: loads[w] for w in workers} for g, workers in by_grid.items()}
    stamp = timezone.now()
    tasks = [
        ScreeningTask(
            enterprise_id=enterprise_id,
            grid_id=grid_id,
            worker_id=balanced_pick(loads_of[grid_id]),
            plan=plan,
            period_start=start,
            period_end=end,
            due_on=end,
            status=TaskStatus.OPEN,
            created_at=stamp,
        )
        for enterprise_id, grid_id, start, end in rows
    ]
    before = ScreeningTask.objects.filter(plan=plan).count()
    ScreeningTask.objects.bulk_create(tasks, batch_size=2000, ignore_conflicts=True)
    return ScreeningTask.objects.filter(plan=plan).count() - before


def routine_tasks_generate(*, on: dt.date, region: Region | None = None) -> GenerationResult:
    """Generates the routine tasks of the month of `on`: every screenable enterprise whose
    last routine period has ended gets a task for [month start, month start + its interval).
    The interval is the enterprise's risk colour's (`grid_screening_interval_months`)."""
    plan = routine_plan()
    start = on.replace(day=1)
    covered = ScreeningTask.objects.filter(
        enterprise=OuterRef("pk"), plan=plan, period_end__gte=start
    )
    due = list(
        _in_region(_screenable(), region)
        .exclude(Exists(covered))
        .values_list("pk", "grid_id")
        .order_by("pk")
    )
    colours = _colours([pk for pk, _g in due])
    rows = []
    for pk, grid_id in due:
        months = interval_months(colours.get(pk), start)
        rows.append((pk, grid_id, start, add_months(start, months) - dt.timedelta(days=1)))
    with transaction.atomic():
        created = _insert(plan, rows)
        if created:
            audit_create_bulk(
                None, ScreeningTask, count=created, reason=f"routine {start.isoformat()}"
            )
    return GenerationResult(created=created, already=len(rows) - created)


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
    # hazards has no selector for this yet: read its table, never write it.
    from yufang.hazards.models import OPEN_STATUSES, Hazard, HazardLevel

    majors = Hazard.objects.filter(level=HazardLevel.MAJOR, status__in=OPEN_STATUSES)
    return qs.filter(pk__in=majors.values("enterprise_id"))


def campaign_tasks_generate(*, plan: ScreeningPlan) -> GenerationResult:
    """A campaign's tasks: one per enterprise it targets, due on its last day. Rerunning adds
    only the enterprises that became targets since."""
    if plan.starts_on is None or plan.ends_on is None:
        return GenerationResult()
    rows = [
        (pk, grid_id, plan.starts_on, plan.ends_on)
        for pk, grid_id in _campaign_enterprises(plan).values_list("pk", "grid_id").order_by("pk")
    ]
    with transaction.atomic():
        created = _insert(plan, rows)
        if created:
            audit_create_bulk(None, ScreeningTask, count=created, reason=f"campaign {plan.pk}")
    return GenerationResult(created=created, already=len(rows) - created)


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
