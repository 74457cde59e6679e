"""Quarterly and annual hazard statistics, and when they are due."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.hazards.models import (
    Hazard,
    HazardLevel,
    HazardStatistic,
    PeriodKind,
)
from yufang.hazards.services.core import (
    HazardInvalid,
)


def period_bounds(kind: str, year: int, quarter: int | None = None) -> tuple[dt.date, dt.date]:
    if not 2000 <= year <= 2999:
        raise HazardInvalid(_("Give a year such as %(year)s.") % {"year": 2025}, "year")
    if kind == PeriodKind.YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if quarter not in (1, 2, 3, 4):
        raise HazardInvalid(_("The quarter must be 1 to 4."), "quarter")
    start = dt.date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    end = (
        dt.date(year, 12, 31)
        if end_month == 12
        else dt.date(year, end_month + 1, 1) - dt.timedelta(days=1)
    )
    return start, end


def statistics_generate(
    *, kind: str, year: int, quarter: int | None = None, now: dt.datetime | None = None
) -> int:
    """(Re)generates the hazard statistics of one period for every enterprise that had a
    hazard by its end. Idempotent: rows of the period are replaced. Returns the row count."""
    start, end = period_bounds(kind, year, quarter)
    now = now or timezone.now()
    if start > timezone.localdate(now):
        raise HazardInvalid(_("That period has not started yet."), "period")
    tz = timezone.get_current_timezone()
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    start_at = dt.datetime.combine(start, dt.time(), tzinfo=tz)
    rows: dict[int, HazardStatistic] = {}
    for h in (
        Hazard.objects.filter(reported_at__lt=end_at)
        .select_related("enterprise")
        .iterator(chunk_size=2000)
    ):
        row = rows.get(h.enterprise_id)
        if row is None:
            row = rows[h.enterprise_id] = HazardStatistic(
                kind=kind,
                period_start=start,
                period_end=end,
                enterprise_id=h.enterprise_id,
                city_id=h.enterprise.city_id,
                county_id=h.enterprise.county_id,
                generated_at=now,
            )
        major = h.level == HazardLevel.MAJOR
        if h.reported_at >= start_at:
            if major:
                row.found_major += 1
            else:
                row.found_ordinary += 1
        closed_in_period = h.closed_at is not None and start_at <= h.closed_at < end_at
        if closed_in_period:
            if major:
                row.closed_major += 1
            else:
                row.closed_ordinary += 1
        open_at_end = h.closed_at is None or h.closed_at >= end_at
        if open_at_end:
            row.open_at_end += 1
            # Rectification still pending at the period end is judged from the hazard's
            # present state: a hazard submitted after the period counts as pending then.
            if h.deadline < end and (h.submitted_at is None or h.submitted_at >= end_at):
                row.overdue_at_end += 1
    with transaction.atomic():
        HazardStatistic.objects.filter(kind=kind, period_start=start).delete()
        HazardStatistic.objects.bulk_create(rows.values(), batch_size=1000)
    return len(rows)


def statistics_due(kind: str, end: dt.date) -> dt.date:
    due = policy.value("hazard_statistics_due", end)
    if kind == PeriodKind.YEAR:
        month, day = (int(p) for p in str(due["annual"]).split("-"))
        return dt.date(end.year + 1, month, day)
    first_next = end + dt.timedelta(days=1)
    return first_next.replace(day=int(due["quarter_day"]))
