"""Reads of the working-day calendar."""

from __future__ import annotations

from django.db.models import QuerySet

from yufang.policy.models import CalendarDay, DayKind


def calendar_days(*, year: int | None = None, kind: str = "") -> QuerySet[CalendarDay]:
    qs = CalendarDay.objects.all()
    if year is not None:
        qs = qs.filter(day__year=year)
    if kind in DayKind.values:
        qs = qs.filter(kind=kind)
    return qs.order_by("day")
