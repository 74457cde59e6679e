"""What the recognition pages share: reading dates and times, naming a form's fields for its
reader, rendering with the labelled errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.injuries.models import AccidentCategory, BodyPart, CaseKind
from yufang.lib.errors import InvalidInput
from yufang.recognition.letter import letter_of, letter_pdf
from yufang.recognition.models import ApplicantKind, MaterialKind


def parse_date(raw: str | None, field: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10])
    except ValueError as exc:
        raise InvalidInput(
            _("Not a date (YYYY-MM-DD): %(value)s") % {"value": raw[:20]}, field
        ) from exc


def parse_datetime(raw: str | None, field: str) -> dt.datetime | None:
    """A form's `datetime-local` value (local time) as an aware datetime."""
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = dt.datetime.fromisoformat(raw[:25])
    except ValueError as exc:
        raise InvalidInput(
            _("Not a date and time (YYYY-MM-DD HH:MM): %(value)s") % {"value": raw[:25]}, field
        ) from exc
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def field_labels() -> dict[str, str]:
    return {
        "occurred_at": _("Accident time"),
        "place": _("Place"),
        "description": _("What happened"),
        "deaths": _("Deaths"),
        "serious_injuries": _("Serious injuries"),
        "minor_injuries": _("Minor injuries"),
        "missing": _("Missing"),
        "direct_loss": _("Direct economic loss (yuan)"),
        "measures": _("Measures taken"),
        "late_reason": _("Reason for being late"),
        "extension_reason": _("Reason for an extension"),
        "extended_until": _("New last day to apply"),
        "enterprise": _("Enterprise"),
        "accident_report": _("Accident report"),
        "applicant_kind": _("Applicant"),
        "applicant_name": _("Applicant's name"),
        "applicant_phone": _("Applicant's phone"),
        "worker_name": _("Injured worker"),
        "worker_id_number": _("ID number"),
        "accident_date": _("Accident or diagnosis date"),
        "accident_place": _("Place"),
        "injury": _("Injury and diagnosis"),
        "kind": _("Kind"),
        "occupational_disease": _("Occupational disease"),
        "accident_category": _("Accident category"),
        "body_part": _("Body part"),
        "materials": _("Application materials"),
        "file": _("File"),
        "note": _("Note"),
        "reason": _("Grounds"),
        "case_number": _("Case number"),
        "status": _("Status"),
        "code": _("Verification code"),
        "phone": _("Mobile phone"),
        "started_on": _("Time lost from"),
        "ended_on": _("Time lost to"),
        "evidence": _("Proof of the time lost"),
    }


def labelled(errors: dict[str, str]) -> dict[str, str]:
    labels = field_labels()
    shown: dict[str, str] = {}
    for field, message in errors.items():
        label = labels.get(field, "")
        shown[label] = f"{shown[label]} {message}" if label in shown else str(message)
    return shown


def choices() -> dict[str, Any]:
    return {
        "kinds": CaseKind.choices,
        "categories": AccidentCategory.choices,
        "body_parts": BodyPart.choices,
        "material_kinds": MaterialKind.choices,
        "applicant_kinds": ApplicantKind.choices,
    }


def limits(on: dt.date) -> dict[str, Any]:
    """The time limits in force, for the pages' explanations."""
    return {
        "report_hours": policy.value("accident_report_hours", on=on),
        "employer_days": policy.value("employer_application_days", on=on),
        "individual_years": policy.value("individual_application_years", on=on),
        "clear_days": policy.value("decision_days_clear_case", on=on),
        "decision_days": policy.value("decision_days", on=on),
    }


NO_INITIAL: dict[str, Any] = {
    "accident_date": "",
    "accident_place": "",
    "description": "",
    "limit": None,
}


def render_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("limits", limits(timezone.localdate()))
    if "errors" in context:
        context["shown_errors"] = labelled(context["errors"])
    return render(request, template, context)


def uploads(request: HttpRequest) -> list[tuple[str, Any]]:
    """The files of a form: one input per kind of material, named `file_<kind>`, or one
    input `file` with the kind chosen beside it (`kind`)."""
    found: list[tuple[str, Any]] = [
        (request.POST.get("kind", ""), upload) for upload in request.FILES.getlist("file")
    ]
    for kind in MaterialKind.values:
        for upload in request.FILES.getlist(f"file_{kind}"):
            found.append((kind, upload))
    return found


def application_case_fields(request: HttpRequest) -> dict[str, Any]:
    """The form's fields about the injured worker and the accident, as the enterprise's page
    and the public page both post them to `application_submit`."""
    data = request.POST
    return {
        "worker_name": data.get("worker_name", ""),
        "worker_id_number": data.get("worker_id_number", ""),
        "accident_date": parse_date(data.get("accident_date"), "accident_date"),
        "accident_place": data.get("accident_place", ""),
        "description": data.get("description", ""),
        "injury": data.get("injury", ""),
        "kind": data.get("kind", ""),
        "occupational_disease": data.get("occupational_disease", ""),
        "accident_category": data.get("accident_category", ""),
        "body_part": data.get("body_part", ""),
        "is_death": data.get("is_death") == "1",
        "late_reason": data.get("late_reason", ""),
        "pause_claimed": data.get("pause_claimed") == "1",
        "materials": uploads(request),
    }


def letter_response(application: Any, document: str) -> HttpResponse:
    """One of the application's letters as a PDF (`document`: acceptance, not_accepted,
    decision, or empty for the latest); 404 when it has no such letter."""
    chosen = letter_of(application, document or "")
    if chosen is None:
        raise Http404(_("This application has no such letter yet."))
    response = HttpResponse(letter_pdf(application, chosen), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{chosen}-{application.pk}.pdf"'
    return response
