"""What every hazards page shares: reading a date, naming a form's fields for its
reader, rendering with the labelled errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yufang.accounts.models import Role
from yufang.enterprises.forms import EnterprisePickForm
from yufang.hazards import selectors
from yufang.hazards.models import (
    RiskColour,
)
from yufang.lib.errors import InvalidInput

OFFICIALS = (Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN)


COLOUR_CSS = {
    RiskColour.RED: "bg-red",
    RiskColour.ORANGE: "bg-orange",
    RiskColour.YELLOW: "bg-yellow",
    RiskColour.BLUE: "bg-blue",
}


def _date(raw: str | None, field: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": raw}, field) from exc


def _field_labels() -> dict[str, str]:
    return {
        "answers": pgettext("checklist", "Answers"),
        "evidence": _("Evidence photo"),
        "unit": _("Unit"),
        "agent": _("Agent"),
        "value": _("Value"),
        "sample_type": _("Sample type"),
        "sampled_on": _("Sampled on"),
        "location": _("Location"),
        "photo": _("Photo"),
        "latitude": _("Latitude"),
        "longitude": _("Longitude"),
        "kind": _("Kind of photo"),
        "enterprise": _("Enterprise"),
        "topic": _("Topic"),
        "level": pgettext("hazard", "Level"),
        "description": pgettext("hazard", "Description"),
        "method": pgettext("assessment", "Method"),
        "checklist": _("Checklist"),
        "planned_on": _("Planned for"),
        "deadline": pgettext("hazard", "Deadline"),
        "note": _("What was done"),
        "reason": _("Reason"),
        "plan": _("Five-in-place plan"),
        "measures": _("Measures"),
        "responsible": _("Person responsible"),
        "funds": _("Funds (yuan)"),
        "emergency": _("Emergency plan"),
        "status": _("Status"),
        "hazards": _("Hazards"),
        "lec_l": "LEC L",
        "lec_e": "LEC E",
        "lec_c": "LEC C",
        "ls_l": _("Matrix likelihood L"),
        "ls_s": _("Matrix severity S"),
        "notes": _("Notes"),
        "change_note": _("What changed"),
        "effective_from": _("In force from"),
        "items": _("Checklist item"),
        "answer": _("Answer"),
        "year": _("Year"),
        "quarter": _("Quarter"),
        "period": pgettext("statistics", "Period"),
        "name": _("Issuing authority"),
        "seal": _("Seal"),
        "region": _("Region"),
    }


def _labelled(errors: dict[str, str]) -> dict[str, str]:
    """Errors keyed by what the form calls each field (in the reader's language), not by
    the field's code name: "整改证据照片", not "evidence"."""
    labels = _field_labels()
    shown: dict[str, str] = {}
    for field, message in errors.items():
        if field.startswith(("item_", "items.")):
            label = _("Checklist item")
        else:
            label = labels.get(field, "")
        shown[label] = f"{shown[label]} {message}" if label in shown else message
    return shown


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """`render`, with a form's errors also labelled for the reader (`shown_errors`)."""
    if "errors" in context:
        context["shown_errors"] = _labelled(context["errors"])
    context.setdefault("tabs", selectors.pages_open_to(request.user))
    return render(request, template, context)


def _role(request: HttpRequest) -> str:
    return getattr(request.user, "role", "")


def _enterprise_pick(request: HttpRequest) -> EnterprisePickForm:
    """The enterprise picker (`enterprises.forms`): as posted, or opened from an enterprise's
    page with `?enterprise=<id>`. It offers the enterprises the user may work at."""
    if request.method == "POST":
        return EnterprisePickForm(request.POST, user=request.user)
    return EnterprisePickForm(
        initial={"enterprise": request.GET.get("enterprise", "")}, user=request.user
    )


def _plain(value: Any) -> str:
    """A number as the form's option values write it ("" for none): 3, 0.5, 10."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)).normalize():f}"
