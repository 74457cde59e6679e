"""Periodic upkeep of the platform as a whole. The schedule is declared here, beside the task."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from yufang.celery import app
from yufang.support.database import planner_statistics_refresh


@shared_task
def planner_statistics_task() -> None:
    """Nightly, after the day's imports and the rankings' recomputation: see
    `planner_statistics_refresh`."""
    planner_statistics_refresh()


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "planner-statistics": {
        "task": "yufang.home.tasks.planner_statistics_task",
        "schedule": crontab(minute=50, hour=3),
    },
}
