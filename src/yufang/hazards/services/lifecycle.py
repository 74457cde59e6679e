"""A hazard from its report to its closing (销号): every move goes through the
transition table in `core`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yufang.accounts.models import Role
from yufang.accounts.scoping.hazards import INSPECTORS
from yufang.audit.services import audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.hazards.models import (
    Hazard,
    HazardLevel,
    PhotoKind,
)
from yufang.hazards.services.core import (
    HazardInvalid,
    S,
    _decimal,
    _hazard_new,
    _hazard_url,
    _inspectors_of,
    _locked,
    _managers_of,
    _may_act_on,
    _may_inspect_enterprise,
    _move,
    _notify_found,
    text_errors,
)
from yufang.hazards.services.photos import photo_add
from yufang.notifications.services import notify
from yufang.support.topics import Topic


def hazard_report(
    *,
    actor: Any,
    enterprise: Enterprise,
    topic: str,
    level: str,
    description: str,
    location: str = "",
    photo: UploadedFile | None = None,
    latitude: Any = None,
    longitude: Any = None,
) -> Hazard:
    """An ad-hoc finding (a grid worker's report, an official's spot check), with its photo
    if one is given: a photo that is refused leaves no hazard behind, so sending the form
    again does not register it twice."""
    if not _may_inspect_enterprise(actor, enterprise, institution_id=None):
        raise PermissionDenied(_("You may not report hazards at this enterprise."))
    errors: dict[str, str] = {}
    if topic not in Topic.values:
        errors["topic"] = _("Choose a prevention topic.")
    if level not in HazardLevel.values:
        errors["level"] = _("Choose ordinary or major.")
    if not description.strip():
        errors["description"] = _("Describe the hazard.")
    errors.update(text_errors(description=description, location=location))
    if errors:
        raise HazardInvalid(errors)
    with transaction.atomic():
        hazard = _hazard_new(
            actor=actor,
            enterprise=enterprise,
            topic=topic,
            level=level,
            description=description.strip(),
            location=location.strip(),
            at=timezone.now(),
        )
        if actor.role == Role.INSTITUTION_STAFF:
            hazard.institution_id = actor.institution_id
            hazard.save(update_fields=["institution"])
        if photo is not None:
            photo_add(
                actor=actor,
                upload=photo,
                kind=PhotoKind.FINDING,
                hazard=hazard,
                latitude=latitude,
                longitude=longitude,
            )
    _notify_found(enterprise, [hazard])
    return hazard


def hazard_assign(
    *, actor: Any, hazard: Hazard, deadline: dt.date | None = None, reason: str = ""
) -> Hazard:
    """Hands the hazard to the enterprise to rectify, optionally with another deadline."""

    def past(_hazard: Hazard) -> dict[str, str]:
        if deadline is not None and deadline < timezone.localdate():
            return {"deadline": pgettext("hazard", "The deadline cannot be in the past.")}
        return {}

    changes: dict[str, Any] = {} if deadline is None else {"deadline": deadline}
    with transaction.atomic():
        hazard = _move(
            actor=actor,
            hazard=_locked(hazard),
            to=S.ASSIGNED,
            reason=reason,
            validate=past,
            **changes,
        )
    notify(
        recipients=_managers_of(hazard.enterprise_id),
        title=_("Rectify hazard #%(id)s by %(deadline)s")
        % {"id": hazard.pk, "deadline": hazard.deadline.isoformat()},
        body=hazard.description,
        url=_hazard_url(hazard),
        by_sms=hazard.level == HazardLevel.MAJOR,
    )
    return hazard


def hazard_start(*, actor: Any, hazard: Hazard, reason: str = "") -> Hazard:
    with transaction.atomic():
        return _move(actor=actor, hazard=_locked(hazard), to=S.RECTIFYING, reason=reason)


def hazard_plan_set(
    *,
    actor: Any,
    hazard: Hazard,
    measures: str,
    responsible: str,
    funds: Any,
    deadline: dt.date | None,
    emergency: str,
) -> Hazard:
    """The five-in-place plan of a major hazard: measures, responsibility, funds, deadline,
    emergency plan (安全生产法; 安监总局令第16号)."""
    with transaction.atomic():
        hazard = _locked(hazard)
        if actor.role not in (Role.SAFETY_MANAGER, *INSPECTORS) or not _may_act_on(actor, hazard):
            raise PermissionDenied(_("You may not change this hazard's plan."))
        if hazard.status in (S.VERIFIED, S.CLOSED):
            raise HazardInvalid(_("The hazard is already rectified."), "status")
        errors: dict[str, str] = {}
        amount = None
        try:
            amount = _decimal(funds, "funds", _("Funds"))
        except HazardInvalid as exc:
            errors.update(exc.errors)
        if amount is not None and amount < 0:
            errors["funds"] = _("Funds cannot be negative.")
        for field, text in (
            ("measures", measures),
            ("responsible", responsible),
            ("emergency", emergency),
        ):
            if not text.strip():
                errors[field] = _("This part of the plan is required.")
        errors.update(text_errors(measures=measures, responsible=responsible, emergency=emergency))
        if amount is None and "funds" not in errors:
            errors["funds"] = _("This part of the plan is required.")
        if deadline is None:
            errors["deadline"] = _("This part of the plan is required.")
        if errors:
            raise HazardInvalid(errors)
        before = snapshot(hazard)
        hazard.plan_measures = measures.strip()
        hazard.plan_responsible = responsible.strip()
        hazard.plan_funds = amount.quantize(Decimal("0.01")) if amount is not None else None
        hazard.plan_deadline = deadline
        hazard.plan_emergency = emergency.strip()
        hazard.save()
        audit_update(actor, hazard, before, reason="five-in-place plan")
    return hazard


def hazard_submit(*, actor: Any, hazard: Hazard, note: str) -> Hazard:
    """The enterprise says it has rectified, with evidence: a note and at least one photo."""

    def evidenced(hazard: Hazard) -> dict[str, str]:
        errors: dict[str, str] = {}
        if not note.strip():
            errors["note"] = _("Describe what was done.")
        if not hazard.photos.filter(kind=PhotoKind.EVIDENCE).exists():
            errors["evidence"] = _("Upload at least one photo of the rectification first.")
        if hazard.level == HazardLevel.MAJOR and not hazard.plan_complete:
            errors["plan"] = _("A major hazard needs the complete five-in-place plan first.")
        return errors

    with transaction.atomic():
        hazard = _move(
            actor=actor,
            hazard=_locked(hazard),
            to=S.SUBMITTED,
            reason=note.strip(),
            reason_field="note",
            validate=evidenced,
            rectification_note=note.strip(),
        )
    notify(
        recipients=_inspectors_of(hazard),
        title=_("Hazard #%(id)s at %(enterprise)s is ready to verify")
        % {"id": hazard.pk, "enterprise": hazard.enterprise.name},
        url=_hazard_url(hazard),
    )
    return hazard


def hazard_verify(*, actor: Any, hazard: Hazard, reason: str = "") -> Hazard:
    with transaction.atomic():
        return _move(actor=actor, hazard=_locked(hazard), to=S.VERIFIED, reason=reason)


def hazard_reject(*, actor: Any, hazard: Hazard, reason: str) -> Hazard:
    """Sends the hazard back to the enterprise; the reason is required and recorded."""

    def explained(_hazard: Hazard) -> dict[str, str]:
        if not reason.strip():
            return {"reason": _("Say why the rectification is not accepted.")}
        return {}

    with transaction.atomic():
        hazard = _move(
            actor=actor,
            hazard=_locked(hazard),
            to=S.RECTIFYING,
            reason=reason.strip(),
            validate=explained,
        )
    notify(
        recipients=_managers_of(hazard.enterprise_id),
        title=_("Rectification of hazard #%(id)s not accepted") % {"id": hazard.pk},
        body=reason.strip(),
        url=_hazard_url(hazard),
    )
    return hazard


def hazard_close(*, actor: Any, hazard: Hazard, reason: str = "") -> Hazard:
    """销号: the hazard leaves the ledger of open hazards."""
    with transaction.atomic():
        return _move(actor=actor, hazard=_locked(hazard), to=S.CLOSED, reason=reason)


def hazard_transition(
    *,
    actor: Any,
    hazard: Hazard,
    to: str,
    reason: str = "",
    note: str = "",
    deadline: dt.date | None = None,
) -> Hazard:
    """Moves a hazard to the status `to`: the one entry of the pages' buttons and the API.
    Which move it is follows from the hazard's status (`core.TRANSITIONS` says who may make
    it); back to rectifying from submitted is a rejection, which needs a reason."""
    if to not in S.values:
        raise HazardInvalid(_("Unknown status: %(value)s") % {"value": to}, "to")
    if to == S.ASSIGNED:
        return hazard_assign(actor=actor, hazard=hazard, deadline=deadline, reason=reason)
    if to == S.RECTIFYING and hazard.status == S.SUBMITTED:
        return hazard_reject(actor=actor, hazard=hazard, reason=reason)
    if to == S.RECTIFYING:
        return hazard_start(actor=actor, hazard=hazard, reason=reason)
    if to == S.SUBMITTED:
        return hazard_submit(actor=actor, hazard=hazard, note=note or reason)
    if to == S.VERIFIED:
        return hazard_verify(actor=actor, hazard=hazard, reason=reason)
    if to == S.CLOSED:
        return hazard_close(actor=actor, hazard=hazard, reason=reason)
    with transaction.atomic():  # back to reported: the table has no such move
        return _move(actor=actor, hazard=_locked(hazard), to=to, reason=reason)
