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


@shared_task
def send_roster_deadline_warnings(today_iso: str | None = None) -> int:
    """Warns enterprises of new workers whose registration deadline is near or passed."""
    from yufang.portal.services import roster_deadline_warnings_send

    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return roster_deadline_warnings_send(today=today)


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "portal-roster-deadlines": {
        "task": "yufang.portal.tasks.send_roster_deadline_warnings",
        "schedule": crontab(minute=30, hour=7),
    },
}
