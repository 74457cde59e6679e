"""Periodic joint-meeting work: each morning, remind the liaisons of tasks coming due and
escalate overdue tasks to the officials who run the meeting. The schedule is declared here."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from yufang.celery import app
from yufang.council.services import task_reminders_run


@shared_task
def remind_council_tasks(today_iso: str | None = None) -> dict[str, int]:
    """`today_iso` lets tests fix the day."""
    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return task_reminders_run(today=today)


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "council-task-reminders": {
        "task": "yufang.council.tasks.remind_council_tasks",
        "schedule": crontab(minute=15, hour=8),
    },
}
