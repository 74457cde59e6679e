"""Requests to change the bureau's data about an enterprise: its safety manager asks, with a
reason and evidence; an official of its region approves (the change is made through the
registry's own services, in the same transaction) or refuses. The audit log holds the request,
the decision and the change with its reason."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.portal import require_decide_for, require_submit_for
from yufang.audit.models import AuditEntry
from yufang.audit.services import audit_create, audit_event, audit_update, snapshot
from yufang.enterprises.forms import headcount_input
from yufang.enterprises.models import Enterprise, size_label
from yufang.enterprises.selectors import headcounts_of
from yufang.enterprises.services import (
    RegistryLookups,
    enterprise_as_input,
    enterprise_clean,
    enterprise_update,
    headcount_set,
)
from yufang.portal.models import ChangeField, ChangeRequest, RequestStatus
from yufang.portal.services.common import PortalInvalid, evidence_check
from yufang.portal.services.notices import notify_bureau, notify_enterprise


def current_value(enterprise: Enterprise, field: str, *, year: int | None = None) -> str:
    """The bureau's value of a field today, as people read it."""
    if field == ChangeField.INDUSTRY:
        return f"{enterprise.industry.code} {enterprise.industry.name}"
    if field == ChangeField.SIZE:
        return size_label(enterprise.size)
    if field == ChangeField.ADDRESS:
        return enterprise.address
    rows = headcounts_of(enterprise)
    row = rows.filter(year=year).first() if year else rows.first()
    return "" if row is None else str(row.insured_headcount)


def _requested(
    enterprise: Enterprise, field: str, value: str, headcount_year: str
) -> tuple[str, int | None]:
    """The requested value as the registry takes it, or PortalInvalid naming the field."""
    if field == ChangeField.INSURED_HEADCOUNT:
        given, errors = headcount_input(
            {"year": headcount_year or str(timezone.localdate().year), "insured_headcount": value}
        )
        if given is None:
            raise PortalInvalid(
                {
                    ("headcount_year" if k == "year" else "requested_value"): v
                    for k, v in errors.items()
                }
            )
        if given.year > timezone.localdate().year:
            raise PortalInvalid(
                _("Not a valid year: %(value)s") % {"value": given.year}, "headcount_year"
            )
        return str(given.insured_headcount), given.year
    lookups = RegistryLookups()
    cleaned = enterprise_clean(
        {**enterprise_as_input(enterprise, lookups=lookups), field: value}, lookups=lookups
    )
    if field in cleaned.errors:
        raise PortalInvalid(cleaned.errors[field], "requested_value")
    if field == ChangeField.INDUSTRY:
        return value.strip().upper(), None
    return str(cleaned.values[field]), None


def _stored(enterprise: Enterprise, field: str, year: int | None) -> str:
    """The bureau's value as the registry keeps it (a code, not its label)."""
    if field == ChangeField.INDUSTRY:
        return enterprise.industry.code
    if field == ChangeField.SIZE:
        return enterprise.size
    return current_value(enterprise, field, year=year)


@transaction.atomic
def change_request_submit(
    *,
    actor: Any,
    enterprise: Enterprise,
    field: str,
    requested_value: str,
    reason: str,
    headcount_year: str = "",
    evidence: Any = None,
) -> ChangeRequest:
    require_submit_for(actor, enterprise)
    errors: dict[str, str] = {}
    if field not in ChangeField.values:
        errors["field"] = _("Choose what to change: industry, size, address or insured headcount.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the bureau's data should change.")
    elif len(reason) > 2000:
        errors["reason"] = _("The reason is longer than %(n)s characters.") % {"n": 2000}
    requested_value = (requested_value or "").strip()
    if not requested_value:
        errors["requested_value"] = _("Give the new value.")
    elif len(requested_value) > 300:
        errors["requested_value"] = _("The value is longer than %(n)s characters.") % {"n": 300}
    if errors:
        raise PortalInvalid(errors)
    value, year = _requested(enterprise, field, requested_value, headcount_year)
    now = current_value(enterprise, field, year=year)
    if _stored(enterprise, field, year) == value:
        raise PortalInvalid(_("This is already the bureau's value."), "requested_value")
    if evidence is not None:
        evidence_check(evidence)
    request = ChangeRequest(
        enterprise=enterprise,
        field=field,
        current_value=now[:300],
        requested_value=value,
        headcount_year=year,
        reason=reason,
        submitted_by=actor,
    )
    if evidence is not None:
        request.evidence = evidence
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:
        raise PortalInvalid(
            _("A request to change this is already with the bureau."), "field"
        ) from exc
    audit_create(actor, request, reason=reason)
    notify_bureau(
        enterprise,
        title=_("%(enterprise)s asks to change its %(field)s")
        % {"enterprise": enterprise.name, "field": request.get_field_display()},
        body=reason,
        url=reverse("portal:request_detail", args=[request.pk]),
    )
    return request


def _apply(actor: Any, request: ChangeRequest) -> None:
    enterprise = request.enterprise
    if request.field == ChangeField.INSURED_HEADCOUNT:
        headcount_set(
            actor=actor,
            enterprise=enterprise,
            year=request.headcount_year or timezone.localdate().year,
            insured_headcount=int(request.requested_value),
        )
    else:
        enterprise_update(
            actor=actor, enterprise=enterprise, data={request.field: request.requested_value}
        )
    # The registry logs the change itself; this entry ties it to the enterprise's reason.
    audit_event(
        actor,
        enterprise,
        AuditEntry.Action.UPDATE,
        reason=_("Change request %(pk)s: %(reason)s")
        % {"pk": request.pk, "reason": request.reason},
        changes={request.field: [request.current_value, request.requested_value]},
    )


@transaction.atomic
def change_request_decide(
    *, actor: Any, request: ChangeRequest, approve: bool, note: str = ""
) -> ChangeRequest:
    request = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("enterprise", "enterprise__industry")
        .get(pk=request.pk)
    )
    require_decide_for(actor, request.enterprise)
    note = (note or "").strip()
    if request.status != RequestStatus.PENDING:
        raise PortalInvalid(_("This request has already been decided."), "status")
    if len(note) > 500:
        raise PortalInvalid(_("The note is longer than %(n)s characters.") % {"n": 500}, "note")
    if not approve and not note:
        raise PortalInvalid(_("Say why the request is refused."), "note")
    before = snapshot(request)
    if approve:
        _apply(actor, request)
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save()
    audit_update(actor, request, before, reason=note or request.reason)
    notify_enterprise(
        request.enterprise,
        title=(
            _("The bureau approved your request to change the %(field)s")
            if approve
            else _("The bureau refused your request to change the %(field)s")
        )
        % {"field": request.get_field_display()},
        body=note,
        url=reverse("portal:request_detail", args=[request.pk]),
    )
    return request
