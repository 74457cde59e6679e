"""Sending notifications. Services elsewhere call `notify`; delivery by email and SMS runs in a
Celery task queued after the transaction commits, so a rolled-back change sends nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from yufang.notifications.models import Notification


def notify(
    *,
    recipients: Iterable[Any],
    title: str,
    body: str = "",
    url: str = "",
    by_email: bool = True,
    by_sms: bool = False,
) -> list[Notification]:
    made = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                title=title[:200],
                body=body,
                url=url[:300],
                by_email=by_email and bool(user.email),
                by_sms=by_sms and bool(user.phone),
            )
            for user in {u.pk: u for u in recipients}.values()
        ]
    )
    ids = [n.pk for n in made if n.by_email or n.by_sms]
    if ids:
        from yufang.notifications.tasks import deliver_notifications

        transaction.on_commit(lambda: deliver_notifications.delay(ids))
    return made


def notification_mark_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    """Marks the user's own notifications read (all unread ones when `ids` is None)."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
