"""Periodic fee work: the nightly verification of the ledger's chain. The schedule is
declared here, beside the task."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab

from yufang.celery import app
from yufang.funds.services.alerts import ledger_check


@shared_task
def verify_fee_ledger() -> int | None:
    """Verifies the ledger; the first broken entry's id, or None when it holds."""
    broken = ledger_check()
    return broken.entry_id if broken else None


app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    "funds-verify-ledger": {
        "task": "yufang.funds.tasks.verify_fee_ledger",
        "schedule": crontab(minute=40, hour=2),
    },
}
