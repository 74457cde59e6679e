"""What the outreach pages share: the field labels of the forms, rendering with labelled
errors, who runs publicity."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yufang.accounts.scoping.outreach import OUTREACH_ROLES

# Public pages: requests per client address (django-ratelimit, `support/ratelimits.py`).
PUBLIC_READ_RATE = "120/m"
PUBLIC_WRITE_RATE = "20/m"


def field_labels() -> dict[str, str]:
    return {
        "title": _("Title"),
        "description": _("Description"),
        "region": _("Region"),
        "county": _("County"),
        "starts_on": _("Starts on"),
        "ends_on": _("Ends on"),
        "kind": _("Kind"),
        "held_on": _("Held on"),
        "place": _("Place"),
        "people_reached": _("People reached"),
        "enterprises_reached": _("Enterprises reached"),
        "note": _("Note"),
        "latitude": _("Latitude"),
        "longitude": _("Longitude"),
        "photos": _("Photos"),
        "photo": _("Photo"),
        "enterprise": _("Enterprise"),
        "opens_at": _("Opens at"),
        "closes_at": _("Closes at"),
        "questions_per_entry": _("Questions per entry"),
        "qualifying_score": _("Correct answers to qualify"),
        "prize_count": _("Prizes"),
        "quiz": _("Quiz"),
        "phone": _("Phone"),
        "nickname": _("Name shown"),
        "city": _("City"),
        "answers": _("Answers"),
        "rules": _("Rules"),
        "deadline": _("Deadline"),
        "prizes": _("Prizes"),
        "rubric": _("Rubric"),
        "voting_closes_at": _("Voting closes at"),
        "judges": _("Judges"),
        "contest": _("Contest"),
        "author_name": _("Author"),
        "lyrics": _("Lyrics"),
        "file": _("File"),
        "declaration": _("Declaration"),
        "decision": _("Decision"),
        "reason": _("Reason"),
        "entry": _("Entry"),
        "code": pgettext("verification code", "Code"),
    }


def labelled(errors: dict[str, str]) -> dict[str, str]:
    labels = field_labels()
    shown: dict[str, str] = {}
    for field, message in errors.items():
        label = (
            labels.get(field.split(".")[0], "") if not field.startswith("marks.") else _("Marks")
        )
        shown[label] = f"{shown[label]} {message}" if label in shown else message
    return shown


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    if "errors" in context:
        context["shown_errors"] = labelled(context["errors"])
    return render(request, template, context, status=status)


def require_outreach_role(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) not in OUTREACH_ROLES:
        raise PermissionDenied(_("Publicity is run by officials, grid workers and institutions."))
