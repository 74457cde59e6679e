"""Periodic floating-rate work: every city's run for the year just ended, in January, for the
bureau to review. The schedule is declared here, beside the task."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from yufang.celery import app
from yufang.portal.services import floating_rates_run_all


@shared_task
def run_floating_rates(year: int | None = None, today_iso: str | None = None) -> int:
    """Runs the floating rate of every city for `year` (default: last year)."""
    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return len(floating_rates_run_all(year=year or today.year - 1))


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "portal-floating-rates": {
        "task": "yufang.portal.tasks.run_floating_rates",
        "schedule": crontab(minute=0, hour=2, day_of_month=15, month_of_year="1"),
    },
}
