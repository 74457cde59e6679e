"""Periodic grid work: the screening tasks of the period, generated every day at 01:20 (a
rerun adds nothing, so a day missed is caught up the next). The schedule is declared here."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from yufang.celery import app
from yufang.grid.services import tasks_generate


@shared_task
def generate_screening_tasks(on_iso: str | None = None) -> int:
    """Generates the routine and campaign tasks due on `on_iso` (default today)."""
    on = dt.date.fromisoformat(on_iso) if on_iso else timezone.localdate()
    return tasks_generate(on=on).created


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "grid-generate-screening-tasks": {
        "task": "yufang.grid.tasks.generate_screening_tasks",
        "schedule": crontab(minute=20, hour=1),
    },
}
