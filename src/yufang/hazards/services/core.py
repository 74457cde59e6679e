"""Who may act on a hazard or an assessment, the transition table, and the steps every
write shares: the one place a hazard changes status, and a new hazard registered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role, User
from yufang.accounts.scoping import may_change_enterprise, may_work_at
from yufang.accounts.scoping.hazards import INSPECTORS, REPORTERS
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.hazards.models import (
    OPEN_STATUSES,
    Assessment,
    AssessmentStatus,
    ChecklistItem,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardStatus,
)
from yufang.lib.errors import InvalidInput
from yufang.notifications.services import notify

S = HazardStatus


# The hazard lifecycle: (from, to) → roles that may make the move.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.REPORTED, S.ASSIGNED): INSPECTORS,
    (S.ASSIGNED, S.RECTIFYING): frozenset({Role.SAFETY_MANAGER}),
    (S.RECTIFYING, S.SUBMITTED): frozenset({Role.SAFETY_MANAGER}),
    (S.SUBMITTED, S.VERIFIED): INSPECTORS,
    (S.SUBMITTED, S.RECTIFYING): INSPECTORS,  # rejected, with a reason
    (S.VERIFIED, S.CLOSED): INSPECTORS,
}


class HazardInvalid(InvalidInput):
    """Hazard or assessment input that cannot be saved."""


# The longest text each free-text input takes, in characters (the API's schemas use the same
# limits from `support.bounds`): a page or the API refuses longer, naming the field.
TEXT_LIMITS = {
    "description": 2000,
    "location": 200,
    "reason": 2000,
    "note": 2000,
    "answer": 2000,
    "responsible": 100,
    "measures": 20000,
    "emergency": 20000,
    "notes": 20000,
    "legal_basis": 2000,
}


def text_errors(**texts: str | None) -> dict[str, str]:
    """field → message for each text longer than its `TEXT_LIMITS`."""
    return {
        field: _("This text is longer than %(n)s characters.") % {"n": TEXT_LIMITS[field]}
        for field, text in texts.items()
        if text is not None and len(text.strip()) > TEXT_LIMITS[field]
    }


def allowed_next(user: Any, hazard: Hazard) -> list[str]:
    """The statuses this user may move this hazard to now."""
    role = getattr(user, "role", None)
    if role is None or not _may_act_on(user, hazard):
        return []
    return [
        to for (frm, to), roles in TRANSITIONS.items() if frm == hazard.status and role in roles
    ]


def hazard_actions(user: Any, hazard: Hazard) -> dict[str, bool]:
    """What a user may do on a hazard's page now, by the same rules the services apply: its
    moves (`allowed_next`), evidence, the five-in-place plan, a notice."""
    nexts = allowed_next(user, hazard)
    inspector = getattr(user, "role", None) in INSPECTORS and _may_act_on(user, hazard)
    return {
        "assign": S.ASSIGNED in nexts,
        "start": S.RECTIFYING in nexts and hazard.status == S.ASSIGNED,
        "submit": S.SUBMITTED in nexts,
        "verify": S.VERIFIED in nexts,
        "reject": S.RECTIFYING in nexts and hazard.status == S.SUBMITTED,
        "close": S.CLOSED in nexts,
        "evidence": S.SUBMITTED in nexts,
        "plan": hazard.level == HazardLevel.MAJOR
        and hazard.status not in (S.VERIFIED, S.CLOSED)
        and (S.SUBMITTED in nexts or inspector),
        "notice": inspector and hazard.status in OPEN_STATUSES,
    }


def _may_act_on(user: Any, hazard: Hazard) -> bool:
    e = hazard.enterprise
    if user.role == Role.INSTITUTION_STAFF:
        return bool(user.institution_id) and hazard.institution_id == user.institution_id
    return may_change_enterprise(user, e)


def _may_inspect_enterprise(user: Any, enterprise: Enterprise, *, institution_id: Any) -> bool:
    """Reporters assess and report where `scoping.may_work_at` lets them work."""
    if getattr(user, "role", None) not in REPORTERS:
        return False
    return may_work_at(user, enterprise, institution_id=institution_id)


def _check_transition(user: Any, hazard: Hazard, to: str) -> None:
    roles = TRANSITIONS.get((hazard.status, to))
    if roles is None:
        raise HazardInvalid(
            _("A hazard that is %(from)s cannot become %(to)s.")
            % {"from": HazardStatus(hazard.status).label, "to": HazardStatus(to).label},
            "status",
        )
    if user.role not in roles or not _may_act_on(user, hazard):
        raise PermissionDenied(
            _("Your role cannot move this hazard from %(from)s to %(to)s.")
            % {"from": HazardStatus(hazard.status).label, "to": HazardStatus(to).label}
        )


def _locked(hazard: Hazard) -> Hazard:
    """Locks the row for the transaction and brings the caller's instance up to date, so the
    object a view or test holds reflects the change."""
    Hazard.objects.select_for_update().filter(pk=hazard.pk).exists()
    hazard.refresh_from_db()
    return hazard


def _move(
    *,
    actor: Any,
    hazard: Hazard,
    to: str,
    reason: str = "",
    reason_field: str = "reason",
    validate: Callable[[Hazard], dict[str, str]] | None = None,
    **changes: Any,
) -> Hazard:
    """The one place a hazard changes status: checks the move against the table (once), then
    the move's own rules (`validate`: field → message; the reason's length, named as the
    form names it), saves, records history and audit."""
    _check_transition(actor, hazard, to)
    errors = text_errors(**{reason_field: reason})
    if validate is not None:
        errors.update(validate(hazard))
    if errors:
        raise HazardInvalid(errors)
    before = snapshot(hazard)
    frm = hazard.status
    now = timezone.now()
    hazard.status = to
    for field, value in changes.items():
        setattr(hazard, field, value)
    if to == S.SUBMITTED:
        hazard.submitted_at = now
    elif to == S.VERIFIED:
        hazard.verified_at = now
    elif to == S.CLOSED:
        hazard.closed_at = now
    try:
        with transaction.atomic():
            hazard.save()
    except IntegrityError as exc:
        raise HazardInvalid(
            _("A major hazard needs the complete five-in-place plan first."), "plan"
        ) from exc
    HazardEvent.objects.create(
        hazard=hazard, from_status=frm, to_status=to, actor=actor, at=now, reason=reason
    )
    audit_update(actor, hazard, before, reason=reason or f"{frm} → {to}")
    return hazard


def _hazard_url(hazard: Hazard) -> str:
    return reverse("hazards:hazard", args=[hazard.pk])


def _managers_of(enterprise_id: int) -> list[User]:
    return list(User.objects.filter(role=Role.SAFETY_MANAGER, enterprise_id=enterprise_id))


def _inspectors_of(hazard: Hazard) -> list[User]:
    """Who verifies: the reporter when an inspector, the assigned institution's staff, and
    the county officials of the enterprise."""
    people = list(
        User.objects.filter(role=Role.COUNTY_OFFICIAL, region_id=hazard.enterprise.county_id)
    )
    if hazard.institution_id:
        people += list(
            User.objects.filter(role=Role.INSTITUTION_STAFF, institution_id=hazard.institution_id)
        )
    reporter = hazard.reported_by
    if reporter is not None and reporter.role in INSPECTORS:
        people.append(reporter)
    return people


def _check_assessor(actor: Any, assessment: Assessment) -> None:
    if assessment.status == AssessmentStatus.COMPLETED:
        raise HazardInvalid(_("This assessment is completed and can no longer change."))
    if assessment.status == AssessmentStatus.CANCELLED:
        raise HazardInvalid(_("This assessment is cancelled and can no longer change."))
    if not _may_inspect_enterprise(
        actor, assessment.enterprise, institution_id=assessment.institution_id
    ):
        raise PermissionDenied(_("You may not work on this assessment."))


def _decimal(raw: Any, field: str, label: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise HazardInvalid(_("%(label)s is not a number.") % {"label": label}, field) from exc


def _hazard_new(
    *,
    actor: Any,
    enterprise: Enterprise,
    topic: str,
    level: str,
    description: str,
    location: str,
    at: dt.datetime,
    assessment: Assessment | None = None,
    checklist_item: ChecklistItem | None = None,
) -> Hazard:
    days = policy.value("hazard_rectification_days", timezone.localdate(at))[level]
    hazard = Hazard.objects.create(
        enterprise=enterprise,
        assessment=assessment,
        checklist_item=checklist_item,
        institution_id=assessment.institution_id if assessment else None,
        topic=topic,
        level=level,
        description=description,
        location=location,
        status=HazardStatus.REPORTED,
        deadline=timezone.localdate(at) + dt.timedelta(days=int(days)),
        reported_by=actor,
        reported_at=at,
    )
    HazardEvent.objects.create(
        hazard=hazard, from_status="", to_status=HazardStatus.REPORTED, actor=actor, at=at
    )
    audit_create(actor, hazard)
    return hazard


def _notify_found(enterprise: Enterprise, hazards: list[Hazard]) -> None:
    major = sum(1 for h in hazards if h.level == HazardLevel.MAJOR)
    notify(
        recipients=_managers_of(enterprise.pk),
        title=_("%(n)s hazards registered at %(enterprise)s (%(major)s major)")
        % {"n": len(hazards), "enterprise": enterprise.name, "major": major},
        url=reverse("hazards:hazards"),
        by_sms=major > 0,
    )
