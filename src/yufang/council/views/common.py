"""What every council page shares: labelled errors, rendering, the caller's region."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yufang.accounts.scoping.council import shared_remit


def _field_labels() -> dict[str, str]:
    return {
        "region": _("Region"),
        "name": _("Name"),
        "convener": _("Convener"),
        "department": _("Department"),
        "remit": _("Remit"),
        "user": _("Liaison"),
        "position": pgettext("council", "Position"),
        "title": pgettext("council", "Title"),
        "held_on": _("Held on"),
        "place": _("Place"),
        "agenda": _("Agenda"),
        "minutes": _("Minutes"),
        "attendee": _("Attendee"),
        "status": _("Attendance"),
        "file": _("File"),
        "text": _("Resolution"),
        "deadline": pgettext("council", "Deadline"),
        "note": _("Progress"),
        "evidence": pgettext("council", "Evidence"),
        "year": _("Year"),
        "source": _("Linked to"),
        "reference": _("Record"),
        "summary": _("Summary of the year's work"),
        "joint_work": _("Joint work of the departments"),
        "problems": _("Problems"),
        "next_year": _("Plans for next year"),
    }


def labelled(errors: dict[str, str]) -> dict[str, str]:
    """Errors keyed by what the form calls each field, in the reader's language; a row's
    error (`row 3`) and the form's own ("") keep their key."""
    labels = _field_labels()
    shown: dict[str, str] = {}
    for field, message in errors.items():
        label = labels.get(field, field)
        shown[label] = f"{shown[label]} {message}" if label in shown else str(message)
    return shown


def render_page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    if "errors" in context:
        context["shown_errors"] = labelled(context["errors"])
    context.setdefault("remit", shared_remit(request.user))
    return render(request, template, context)


def role(request: HttpRequest) -> str:
    return str(getattr(request.user, "role", ""))
