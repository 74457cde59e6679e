from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from yufang.celery import app
from yufang.injuries.services import (
    priority_rebuild,
    priority_stale_rebuild,
    priority_still_stale,
    rollup_rebuild,
)


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def rollup_rebuild_task() -> int:
    """Nightly safety net: headcounts and enterprise moves made by other apps reach the
    rollup here (the injury services keep it exact for their own changes)."""
    return rollup_rebuild()


# Writes that land during a recomputation are gathered for this long before the next one.
PRIORITY_REBUILD_PAUSE_S = 60


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def priority_rebuild_task(everything: bool = False) -> dict[int, int]:
    """Recompute the prevention priority rankings marked stale by case and headcount writes
    (`everything`: all of them, the nightly run), and once more, a little later, if writes
    landed while it read."""
    ranked = priority_rebuild() if everything else priority_stale_rebuild()
    if priority_still_stale():
        priority_rebuild_task.apply_async(countdown=PRIORITY_REBUILD_PAUSE_S)
    return ranked


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "injuries-rollup-rebuild": {
        "task": "yufang.injuries.tasks.rollup_rebuild_task",
        "schedule": crontab(minute=40, hour=2),
    },
    "injuries-priority-rebuild": {
        "task": "yufang.injuries.tasks.priority_rebuild_task",
        "schedule": crontab(minute=10, hour=3),
        "kwargs": {"everything": True},
    },
}
