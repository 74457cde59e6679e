"""Certificates: issued on passing, revoked, reminded before they expire."""

from __future__ import annotations

import datetime as dt
import secrets
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    PROVINCE_WIDE_ROLES,
)
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.training.models import (
    Certificate,
    Course,
    ExamAttempt,
    Trainee,
)
from yufang.training.services.common import (
    TrainingInvalid,
)


def _certificate_code(issued_on: dt.date) -> str:
    return f"YF{issued_on:%Y}{secrets.token_hex(5).upper()}"


def certificate_issue(
    *,
    actor: Any,
    trainee: Trainee,
    title: str,
    issued_on: dt.date,
    attempt: ExamAttempt | None = None,
    course: Course | None = None,
) -> Certificate:
    years = int(policy.value("training_certificate_validity_years", issued_on))
    try:
        expires = issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February
        expires = issued_on.replace(year=issued_on.year + years, day=28)
    with transaction.atomic():
        certificate = Certificate.objects.create(
            code=_certificate_code(issued_on),
            trainee=trainee,
            title=title[:200],
            attempt=attempt,
            course=course,
            issued_on=issued_on,
            expires_on=expires,
        )
        audit_create(actor, certificate)
    return certificate


def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    institution_id = None
    if certificate.attempt_id:
        institution_id = certificate.attempt.exam.institution_id  # type: ignore[union-attr]
    allowed = actor.role in PROVINCE_WIDE_ROLES or (
        actor.role == Role.INSTITUTION_STAFF
        and institution_id is not None
        and institution_id == actor.institution_id
    )
    if actor.role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL) and certificate.trainee.enterprise:
        e = certificate.trainee.enterprise
        allowed = (
            e.city_id if actor.role == Role.CITY_OFFICIAL else e.county_id
        ) == actor.region_id
    if not allowed:
        raise PermissionDenied(_("Your role cannot revoke this certificate."))
    if not reason.strip():
        raise TrainingInvalid({"reason": _("Give a reason for revoking.")})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise TrainingInvalid({"certificate": _("This certificate is already revoked.")})
        before = snapshot(certificate)
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()[:300]
        certificate.save()
        audit_update(actor, certificate, before, reason=reason.strip())
    return certificate


def certificate_reminders_send(*, today: dt.date | None = None) -> int:
    """Text each holder whose certificate expires soon, once; returns how many were sent."""
    from django.utils.module_loading import import_string

    today = today or timezone.localdate()
    days = int(policy.value("training_certificate_reminder_days", today))
    due = Certificate.objects.filter(
        revoked_at__isnull=True,
        reminded_on__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + dt.timedelta(days=days),
    ).select_related("trainee")
    backend = import_string(settings.SMS_BACKEND)()
    sent = 0
    for certificate in due:
        with transaction.atomic():
            if certificate.trainee.phone:
                text = _("Your training certificate %(code)s (%(title)s) expires on %(date)s.") % {
                    "code": certificate.code,
                    "title": certificate.title,
                    "date": certificate.expires_on.isoformat(),
                }
                transaction.on_commit(partial(backend.send, certificate.trainee.phone, text))
            before = snapshot(certificate)
            certificate.reminded_on = today
            certificate.save(update_fields=["reminded_on"])
            audit_update(None, certificate, before, reason="recertification reminder")
            sent += 1
    return sent
