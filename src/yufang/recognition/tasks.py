"""Periodic recognition work: the daily deadline warnings (to the enterprise as its limit to
apply nears, to the bureau as its check and decision fall due). Declared beside the task."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from yufang.celery import app
from yufang.recognition.services import warnings_send


@shared_task
def send_deadline_warnings(today_iso: str | None = None) -> int:
    """Sends the warnings due today; `today_iso` lets tests fix the day."""
    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    return warnings_send(today=today)


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "recognition-deadline-warnings": {
        "task": "yufang.recognition.tasks.send_deadline_warnings",
        "schedule": crontab(minute=15, hour=8),
    },
}
