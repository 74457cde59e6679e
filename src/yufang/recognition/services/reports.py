"""The accident report: the enterprise tells the bureau what happened; the grade and the
one-hour duty follow from what it says. An extension of the employer's application limit is
asked for on the report and approved by the bureau."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.recognition import may_act_for_enterprise, may_handle_recognition
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.recognition import clock
from yufang.recognition.models import AccidentGrade, AccidentReport
from yufang.recognition.services.common import (
    RecognitionInvalid,
    bureau_of,
    managers_of,
    raise_if,
    required_errors,
    tell,
    text_errors,
)

# Casualties and loss beyond these are typing errors, not accidents (the largest Chinese
# accidents counted hundreds of deaths; the loss column holds 14 digits).
MAX_PEOPLE = 100_000
MAX_LOSS = Decimal("999999999999.99")


def _count(value: Any, field: str, errors: dict[str, str]) -> int:
    text = str(value if value is not None else "").strip() or "0"
    if not text.isdigit() or int(text) > MAX_PEOPLE:
        errors[field] = _("Write a whole number of 0 or more.")
        return 0
    return int(text)


def _loss(value: Any, errors: dict[str, str]) -> Decimal:
    text = str(value if value is not None else "").strip().replace(",", "") or "0"
    try:
        amount = Decimal(text)
    except InvalidOperation:
        errors["direct_loss"] = _("Not an amount: %(value)s") % {"value": text[:30]}
        return Decimal(0)
    if not amount.is_finite() or amount < 0 or amount > MAX_LOSS:
        errors["direct_loss"] = _("The loss is an amount in yuan of 0 or more.")
        return Decimal(0)
    return amount.quantize(Decimal("0.01"))


def report_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    occurred_at: dt.datetime | None,
    place: str,
    description: str,
    deaths: Any = 0,
    serious_injuries: Any = 0,
    minor_injuries: Any = 0,
    missing: Any = 0,
    direct_loss: Any = 0,
    measures: str = "",
    late_reason: str = "",
    now: dt.datetime | None = None,
) -> AccidentReport:
    """Records the report. One reported after its hour is kept and flagged late; it needs
    the reason it is late."""
    if not may_act_for_enterprise(actor, enterprise):
        raise PermissionDenied(_("You may not report accidents for this enterprise."))
    now = now or timezone.now()
    errors = required_errors(place=place, description=description)
    errors.update(
        text_errors(
            place=place, description=description, measures=measures, late_reason=late_reason
        )
    )
    counts = {
        name: _count(value, name, errors)
        for name, value in (
            ("deaths", deaths),
            ("serious_injuries", serious_injuries),
            ("minor_injuries", minor_injuries),
            ("missing", missing),
        )
    }
    loss = _loss(direct_loss, errors)
    if occurred_at is None:
        errors["occurred_at"] = _("Give the time of the accident.")
    elif occurred_at > now:
        errors["occurred_at"] = _("The accident time lies in the future.")
    elif timezone.localdate(occurred_at) < clock.rules_start("accident_report_hours"):
        errors["occurred_at"] = _(
            "The accident lies before %(date)s, before the rules in force."
        ) % {"date": clock.rules_start("accident_report_hours").isoformat()}
    elif now > clock.report_due(occurred_at) and not late_reason.strip():
        errors["late_reason"] = _(
            "More than an hour has passed since the accident: say why it is reported late. "
            "The report is then recorded and flagged as late."
        )
    raise_if(errors)
    if occurred_at is None:  # already in `errors`; said again for the type checker
        raise RecognitionInvalid(_("Give the time of the accident."), "occurred_at")
    with transaction.atomic():
        report = AccidentReport.objects.create(
            enterprise=enterprise,
            occurred_at=occurred_at,
            place=place.strip(),
            description=description.strip(),
            measures=measures.strip(),
            late_reason=late_reason.strip(),
            direct_loss=loss,
            reported_at=now,
            reported_by=actor,
            **counts,
        )
        audit_create(actor, report)
        grade = clock.report_grade(report)
        late = clock.report_is_late(report)
        title = _("Accident reported by %(enterprise)s: %(grade)s") % {
            "enterprise": enterprise.name,
            "grade": AccidentGrade(grade).label,
        }
        if late:
            title += " " + _("(reported late)")
        tell(
            bureau_of(enterprise),
            title=title,
            body=report.description[:500],
            url=reverse("recognition:report_detail", args=[report.pk]),
            sms=grade != AccidentGrade.ORDINARY or report.deaths > 0,
        )
    return report


def report_extension_request(*, actor: Any, report: AccidentReport, reason: str) -> AccidentReport:
    """The employer asks the bureau to extend its time limit to apply (条例 第十七条)."""
    if not may_act_for_enterprise(actor, report.enterprise):
        raise PermissionDenied(_("You may not act for this enterprise."))
    raise_if(required_errors(extension_reason=reason) | text_errors(extension_reason=reason))
    with transaction.atomic():
        before = snapshot(report)
        report.extension_reason = reason.strip()
        report.extension_requested_at = timezone.now()
        report.save(update_fields=["extension_reason", "extension_requested_at"])
        audit_update(actor, report, before, reason="extension requested")
        tell(
            bureau_of(report.enterprise),
            title=_("%(enterprise)s asks to extend its time limit to apply")
            % {"enterprise": report.enterprise.name},
            body=report.extension_reason,
            url=reverse("recognition:report_detail", args=[report.pk]),
        )
    return report


def report_extension_approve(
    *, actor: Any, report: AccidentReport, until: dt.date | None
) -> AccidentReport:
    """The bureau agrees to a later last day to apply."""
    if not may_handle_recognition(actor, report.enterprise):
        raise PermissionDenied(_("Only the bureau of this enterprise's region approves."))
    limit = clock.application_limit(
        accident_date=timezone.localdate(report.occurred_at),
        applicant_kind="employer",
        enterprise=report.enterprise,
    )
    if until is None:
        raise RecognitionInvalid(_("Give the new last day to apply."), "extended_until")
    if until <= limit:
        raise_if(
            {
                "extended_until": _("The new last day must come after %(date)s.")
                % {"date": limit.isoformat()}
            }
        )
    with transaction.atomic():
        before = snapshot(report)
        report.extended_until = until
        report.save(update_fields=["extended_until"])
        audit_update(actor, report, before, reason="extension approved")
        tell(
            managers_of(report.enterprise),
            title=_("Your time limit to apply is extended to %(date)s")
            % {"date": until.isoformat()},
            url=reverse("recognition:report_detail", args=[report.pk]),
            sms=True,
        )
    return report
