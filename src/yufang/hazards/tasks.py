"""Periodic hazard work: escalation (hourly) and the quarterly and annual statistics (on the
first day after each period). The schedule is declared here, beside the tasks."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from yufang.celery import app
from yufang.hazards.models import PeriodKind
from yufang.hazards.services import escalations_run, statistics_generate


@shared_task
def escalate_hazards(now_iso: str | None = None) -> int:
    """Escalates major and overdue hazards; `now_iso` lets tests fix the clock."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else timezone.now()
    return len(escalations_run(now=now))


@shared_task
def generate_previous_period_statistics(today_iso: str | None = None) -> int:
    """Generates the statistics of the quarter (and, in January, the year) that just ended."""
    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    last_day = today.replace(day=1) - dt.timedelta(days=1)
    rows = statistics_generate(
        kind=PeriodKind.QUARTER, year=last_day.year, quarter=(last_day.month - 1) // 3 + 1
    )
    if today.month == 1:
        rows += statistics_generate(kind=PeriodKind.YEAR, year=last_day.year)
    return rows


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "hazards-escalate": {
        "task": "yufang.hazards.tasks.escalate_hazards",
        "schedule": crontab(minute=7),
    },
    "hazards-statistics": {
        "task": "yufang.hazards.tasks.generate_previous_period_statistics",
        "schedule": crontab(minute=30, hour=1, day_of_month=1, month_of_year="1,4,7,10"),
    },
}
