from __future__ import annotations

from celery import shared_task

from yufang.notifications.delivery import deliver


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def deliver_notifications(self, ids: list[int]) -> int:  # type: ignore[no-untyped-def]
    """Sends the email and SMS of these notifications; ones already sent are skipped."""
    try:
        return deliver(ids)
    except OSError as exc:  # a mail server or SMS gateway that is down: try again later
        raise self.retry(exc=exc) from exc
