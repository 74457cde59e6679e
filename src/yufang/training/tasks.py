"""Periodic work of the training domain, declared here (see yufang.celery)."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from yufang.celery import app


@shared_task(bind=True, max_retries=3, default_retry_delay=600)
def certificate_reminders_task(self: object) -> int:
    """Text the holders of certificates that expire soon (recertification reminder)."""
    from yufang.training.services import certificate_reminders_send

    return certificate_reminders_send()


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "training-certificate-reminders": {
        "task": "yufang.training.tasks.certificate_reminders_task",
        # Every morning at 08:30 Asia/Shanghai (CELERY_TIMEZONE).
        "schedule": crontab(hour=8, minute=30),
    },
}
