"""The five-year plan's yearly progress report of a region, assembled from the platform's own
figures when it is shown: injury rates against the targets (injuries), training (training),
hazards (hazards), the joint meeting's tasks and work plan, and the fee when `yufang.funds`
offers it. Nothing here is typed in; the report's text sections are."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yufang import policy
from yufang.accounts.scoping.council import region_records_q
from yufang.council.models import TaskStatus, YearlyReport
from yufang.council.selectors import (
    _filtered,
    plan_progress,
    plans_visible,
    require_reader,
    tasks_visible,
)
from yufang.council.selectors.shared import shared_fee
from yufang.regions.models import Region


def reports_visible(user: Any) -> Any:
    return _filtered(YearlyReport.objects.select_related("region"), region_records_q(user))


def report_get(user: Any, pk: int) -> YearlyReport:
    require_reader(user)
    return get_object_or_404(reports_visible(user), pk=pk)


def due_date(year: int) -> dt.date:
    due = policy.value("council_yearly_report_due", dt.date(year, 12, 31))
    return dt.date(year, int(due["month"]), int(due["day"]))


def _place_q(region: Region, prefix: str) -> Q:
    if region.level == Region.Level.PROVINCE:
        return Q()
    if region.level == Region.Level.CITY:
        return Q(**{f"{prefix}city_id": region.pk})
    return Q(**{f"{prefix}county_id": region.pk})


def report_figures(user: Any, report: YearlyReport) -> dict[str, Any]:
    region, year = report.region, report.year
    from yufang.hazards.models import HazardLevel, HazardStatus
    from yufang.hazards.selectors import hazards_visible
    from yufang.injuries.selectors import target_progress
    from yufang.training.selectors.statistics import attendances, sessions_held

    targets = [
        {
            "plan": t.plan,
            "industry_set": t.industry_set,
            "baseline_year": t.baseline_year,
            "baseline_rate": t.baseline_rate,
            "target_year": t.target_year,
            "target_rate": t.target_rate,
            "latest_year": t.latest_year,
            "latest_rate": t.latest_rate,
            "change_so_far": t.change_so_far,
            "change_percent": t.change_percent,
            "status": t.status_label,
        }
        for t in (
            target_progress(user, region=region, on=dt.date(year, 12, 31))
            if region.level != Region.Level.COUNTY
            else []
        )
    ]
    hazards = hazards_visible(user).filter(_place_q(region, "enterprise__"), reported_at__year=year)
    tasks = tasks_visible(user).filter(
        resolution__meeting__joint_meeting__region=region, deadline__year=year
    )
    plan = plans_visible(user).filter(region=region, year=year).first()
    fee = shared_fee(user, year=year)
    fee_row = None
    if fee is not None:
        fee_row = next((r for r in fee.get("regions", []) if r.get("code") == region.code), None)
        if fee_row is None and region.level == Region.Level.PROVINCE:
            fee_row = fee.get("totals")
    return {
        "targets": targets,
        "training": {
            "sessions": sessions_held(user, year=year).filter(_place_q(region, "")).count(),
            "person_times": attendances(user, year=year)
            .filter(_place_q(region, "session__"))
            .count(),
        },
        "hazards": {
            "found": hazards.count(),
            "closed": hazards.filter(status=HazardStatus.CLOSED).count(),
            "major": hazards.filter(level=HazardLevel.MAJOR).count(),
            "major_closed": hazards.filter(
                level=HazardLevel.MAJOR, status=HazardStatus.CLOSED
            ).count(),
        },
        "tasks": {
            "total": tasks.count(),
            "done": tasks.filter(status=TaskStatus.DONE).count(),
            "overdue": tasks.filter(
                status=TaskStatus.OPEN, deadline__lt=timezone.localdate()
            ).count(),
        },
        "plan": plan,
        "plan_percent": plan_progress(user, plan)["overall_percent"] if plan else None,
        "fee": fee_row,
        "fee_available": fee is not None,
        "due": due_date(year),
    }
