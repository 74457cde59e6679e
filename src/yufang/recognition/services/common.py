"""What every recognition write shares: text limits, who is told, the history, the SMS to an
applicant without an account."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from yufang.accounts.models import Role, User
from yufang.lib.errors import InvalidInput
from yufang.notifications.services import notify
from yufang.recognition.models import ApplicationEvent, RecognitionApplication


class RecognitionInvalid(InvalidInput):
    """Accident-report or application input that cannot be saved."""


# The longest text each free-text input takes, in characters (the API's schemas use the same).
TEXT_LIMITS = {
    "place": 200,
    "accident_place": 200,
    "description": 5000,
    "measures": 5000,
    "late_reason": 2000,
    "extension_reason": 2000,
    "injury": 2000,
    "note": 2000,
    "reason": 2000,
    "evidence": 2000,
    "applicant_name": 60,
    "worker_name": 60,
    "occupational_disease": 100,
}


def text_errors(**texts: str | None) -> dict[str, str]:
    return {
        field: _("This text is longer than %(n)s characters.") % {"n": TEXT_LIMITS[field]}
        for field, text in texts.items()
        if text is not None and len(text.strip()) > TEXT_LIMITS[field]
    }


def required_errors(**texts: str | None) -> dict[str, str]:
    return {
        field: _("This field is required.")
        for field, text in texts.items()
        if not (text or "").strip()
    }


def raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise RecognitionInvalid(errors)


def bureau_of(enterprise: Any) -> list[User]:
    """The officials who handle the enterprise's recognition: its county's and its city's."""
    return list(
        User.objects.filter(
            is_active=True,
            role__in=[Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL],
            region_id__in=[enterprise.county_id, enterprise.city_id],
        )
    )


def managers_of(enterprise: Any) -> list[User]:
    return list(
        User.objects.filter(is_active=True, role=Role.SAFETY_MANAGER, enterprise_id=enterprise.pk)
    )


def application_url(application: RecognitionApplication) -> str:
    return reverse("recognition:application_detail", args=[application.pk])


def tell(
    recipients: Iterable[User], *, title: str, body: str = "", url: str = "", sms: bool = False
) -> None:
    notify(recipients=list(recipients), title=title, body=body, url=url, by_email=True, by_sms=sms)


def text_applicant(application: RecognitionApplication, text: str) -> None:
    """An SMS to an applicant who has no account (the worker, a relative or the union, from
    the public page or registered at the counter), after the commit."""
    phone = application.applicant_phone
    if not phone or application.applicant_kind == "employer":
        return
    from yufang.notifications.delivery import sms_backend

    transaction.on_commit(lambda: sms_backend().send(phone, text))


def tell_applicant_side(application: RecognitionApplication, *, title: str, body: str = "") -> None:
    """The enterprise's safety managers, and the public applicant by SMS."""
    tell(
        managers_of(application.enterprise),
        title=title,
        body=body,
        url=application_url(application),
        sms=True,
    )
    text_applicant(application, title)


def event(application: RecognitionApplication, *, frm: str, actor: Any, note: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application,
        from_status=frm,
        to_status=application.status,
        actor=actor if getattr(actor, "pk", None) else None,
        note=note,
    )
