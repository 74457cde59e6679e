"""Email and SMS delivery of stored notifications. Each channel is marked sent as it goes, so a
retry after a failure does not send twice."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string

from yufang.notifications.models import Notification


@cache
def sms_backend() -> Any:
    """The gateway named by settings.SMS_BACKEND: any class with `send(phone, text)`."""
    return import_string(settings.SMS_BACKEND)()


def absolute(url: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{url}" if base and url.startswith("/") else url


def deliver(ids: list[int]) -> int:
    sent = 0
    for n in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        user = n.recipient
        if n.by_email and n.emailed_at is None and user.email:
            text = "\n\n".join(part for part in (n.body, absolute(n.url)) if part)
            send_mail(n.title, text, settings.DEFAULT_FROM_EMAIL, [user.email])
            Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
            sent += 1
        if n.by_sms and n.texted_at is None and user.phone:
            sms_backend().send(user.phone, n.title)
            Notification.objects.filter(pk=n.pk).update(texted_at=timezone.now())
            sent += 1
    return sent
