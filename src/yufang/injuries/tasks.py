from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from yufang.celery import app
from yufang.injuries.services import rollup_rebuild


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def rollup_rebuild_task() -> int:
    """Nightly safety net: headcounts and enterprise moves made by other apps reach the
    rollup here (the injury services keep it exact for their own changes)."""
    return rollup_rebuild()


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "injuries-rollup-rebuild": {
        "task": "yufang.injuries.tasks.rollup_rebuild_task",
        "schedule": crontab(minute=40, hour=2),
    },
}
