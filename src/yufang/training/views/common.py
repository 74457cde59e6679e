"""What the training pages share: who runs and plans training, reading form values, paging."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yufang.accounts.models import Role
from yufang.lib.errors import InvalidInput
from yufang.support.bounds import MAX_BIGINT, bounded_int

PLANNERS = (Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN)
RUNNERS = (*PLANNERS, Role.INSTITUTION_STAFF)


def _field_labels() -> dict[str, str]:
    """Field names as the forms show them, for error messages (no raw codes on the page)."""
    return {
        "name": _("name"),
        "id_number": _("ID number"),
        "phone": _("mobile phone"),
        "key_role": _("post"),
        "post": _("post"),
        "file": _("file"),
        "roster": _("roster"),
        "title": _("title"),
        "topic": pgettext("training", "topic"),
        "topics": pgettext("training", "topic"),
        "trainer": _("trainer"),
        "starts_at": _("starts at"),
        "ends_at": _("ends at"),
        "class_hours": _("class hours"),
        "capacity": _("capacity"),
        "hall": _("experience hall"),
        "enterprise": pgettext("training", "enterprise"),
        "enterprises": pgettext("training", "enterprise"),
        "location": _("workshop or team"),
        "kind": pgettext("training", "kind"),
        "reason": _("reason"),
        "image": _("photo"),
        "rating": _("rating"),
        "trainee": _("trainee"),
        "trainees": _("trainees"),
        "token": _("check-in code"),
        "city": _("city"),
        "institution": _("institution"),
        "code": _("code of the question"),
        "type": _("type of question"),
        "stem": _("question"),
        "options": _("options"),
        "answer": pgettext("training", "answer"),
        "single_count": _("single-choice questions"),
        "multiple_count": _("multiple-choice questions"),
        "true_false_count": _("true/false questions"),
        "pass_mark": _("pass mark (%)"),
        "time_limit_minutes": _("time limit (minutes)"),
        "max_attempts": _("attempt limit"),
        "region": pgettext("training", "region"),
        "starts_on": _("starts on"),
        "ends_on": _("ends on"),
        "target_enterprises": _("target enterprises"),
        "target_person_times": _("target person-times"),
        "year": pgettext("training", "year"),
        "body": _("text"),
        "minutes": _("length (minutes)"),
        "lesson": _("lesson"),
        "exam": _("exam"),
        "requires_lessons": _("requires the course's lessons"),
        "enrollments": _("enrollments"),
        "enrollment": _("enrollment"),
        "session": _("training session"),
        "course": _("course"),
        "attempt": _("exam attempt"),
        "certificate": _("certificate"),
        "position": _("video position (seconds)"),
    }


def _labelled(errors: dict[str, Any]) -> dict[str, str]:
    labels = _field_labels()
    return {(labels.get(k, k) if k else ""): str(v) for k, v in errors.items()}


def _row_errors(row_errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    labels = _field_labels()
    return [
        {**e, "field": labels.get(e["field"], e["field"]), "message": str(e["message"])}
        for e in row_errors
    ]


def _page(request: HttpRequest, qs: Any, per: int = 50) -> Any:
    return Paginator(qs, per).get_page(request.GET.get("page"))


def _attempt(
    request: HttpRequest, action: Callable[[], Any], success: str, *, done: str = ""
) -> HttpResponse | dict[str, str]:
    """Run a service; on success flash and redirect, on bad input return the errors."""
    try:
        action()
    except InvalidInput as exc:
        return _labelled(exc.errors)
    messages.success(request, done or _("Saved."))
    return redirect(success)


def _int(value: str | None) -> int | None:
    """A non-negative number from a form or query, None when absent or beyond a database id."""
    return bounded_int(value, low=0, high=MAX_BIGINT)


def _ids(values: list[str]) -> list[int]:
    """The ids a form posted (checkboxes), leaving out anything that is not one."""
    return [i for i in (bounded_int(v, low=1, high=MAX_BIGINT) for v in values) if i is not None]


def _decimal(value: str | None, field: str) -> Decimal:
    try:
        number = Decimal((value or "").strip()[:40])
    except InvalidOperation as exc:
        raise InvalidInput({field: _("Not a number: %(value)s") % {"value": value}}) from exc
    if not number.is_finite():
        raise InvalidInput({field: _("Not a number: %(value)s") % {"value": value}})
    return number


def _datetime(value: str | None, field: str) -> dt.datetime:
    parsed = parse_datetime((value or "").strip())
    if parsed is None:
        raise InvalidInput({field: _("Enter a date and time (YYYY-MM-DD HH:MM).")})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _date(value: str | None, field: str) -> dt.date:
    parsed = parse_date((value or "").strip())
    if parsed is None:
        raise InvalidInput({field: _("Enter a date (YYYY-MM-DD).")})
    return parsed
