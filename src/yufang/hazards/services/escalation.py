"""Escalation of overdue and unanswered hazards to the county, then the city."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role, User
from yufang.accounts.scoping import may_answer_escalation
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.hazards.models import (
    RECTIFICATION_PENDING,
    Escalation,
    EscalationCause,
    EscalationLevel,
    Hazard,
    HazardLevel,
)
from yufang.hazards.services.core import (
    HazardInvalid,
    S,
    _hazard_url,
    text_errors,
)
from yufang.notifications.services import notify


def _needs_escalation(hazard: Hazard, today: dt.date) -> str:
    """The cause to escalate this hazard for, or "" when it needs none."""
    if hazard.level == HazardLevel.MAJOR:
        return EscalationCause.MAJOR
    if hazard.status in RECTIFICATION_PENDING and hazard.deadline < today:
        return EscalationCause.OVERDUE
    return ""


def escalations_run(*, now: dt.datetime | None = None) -> list[Escalation]:
    """Escalates major and overdue hazards to county officials, and an escalation left
    unanswered past the configured delay to the city (then to the city again). Running it
    twice with the same `now` adds nothing: the unique (hazard, level, round) forbids it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    delay = dt.timedelta(hours=int(policy.value("hazard_escalation_delay_hours", today)))
    hazards = (
        Hazard.objects.filter(
            Q(level=HazardLevel.MAJOR, status__in=[*RECTIFICATION_PENDING, S.SUBMITTED])
            | Q(status__in=RECTIFICATION_PENDING, deadline__lt=today)
        )
        .select_related("enterprise")
        .prefetch_related("escalations")
    )
    to_make: list[Escalation] = []
    for hazard in hazards:
        cause = _needs_escalation(hazard, today)
        if not cause:
            continue
        history = sorted(hazard.escalations.all(), key=lambda e: (e.escalated_at, e.pk))
        if not history:
            to_make.append(
                Escalation(
                    hazard=hazard,
                    level=EscalationLevel.COUNTY,
                    round=1,
                    region_id=hazard.enterprise.county_id,
                    cause=cause,
                    escalated_at=now,
                )
            )
            continue
        latest = history[-1]
        if latest.answered_at is not None or now - latest.escalated_at < delay:
            continue
        next_round = latest.round + 1 if latest.level == EscalationLevel.CITY else 1
        to_make.append(
            Escalation(
                hazard=hazard,
                level=EscalationLevel.CITY,
                round=next_round,
                region_id=hazard.enterprise.city_id,
                cause=cause,
                escalated_at=now,
            )
        )
    made: list[Escalation] = []
    for escalation in to_make:
        try:
            with transaction.atomic():
                escalation.save()
                audit_create(None, escalation, reason="escalations_run")
        except IntegrityError:
            continue  # another run made it first
        made.append(escalation)
        notify(
            recipients=User.objects.filter(
                role__in=[Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL],
                region_id=escalation.region_id,
                is_active=True,
            ),
            title=_("Escalated: hazard #%(id)s at %(enterprise)s (%(reason)s)")
            % {
                "id": escalation.hazard_id,
                "enterprise": escalation.hazard.enterprise.name,
                "reason": escalation.get_cause_display(),
            },
            url=_hazard_url(escalation.hazard),
            by_sms=True,
        )
    return made


def escalation_answer(*, actor: Any, escalation: Escalation, answer: str) -> Escalation:
    """An official answers an escalation (what they will do); it then stops rising."""
    if not may_answer_escalation(actor, escalation):
        raise PermissionDenied(_("Only the officials it was escalated to may answer it."))
    if not answer.strip():
        raise HazardInvalid(_("Write the answer."), "answer")
    if errors := text_errors(answer=answer):
        raise HazardInvalid(errors)
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if escalation.answered_at is not None:
            raise HazardInvalid(_("This escalation has already been answered."))
        before = snapshot(escalation)
        escalation.answered_at = timezone.now()
        escalation.answered_by = actor
        escalation.answer = answer.strip()
        escalation.save()
        audit_update(actor, escalation, before, reason="answered")
    return escalation
