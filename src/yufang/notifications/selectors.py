from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yufang.notifications.models import Notification


def inbox(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """A person's own notifications; nobody reads anybody else's."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(user: Any) -> int:
    return inbox(user, unread_only=True).count()
