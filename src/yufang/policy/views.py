"""The working-day calendar's pages: the list by year and kind (exportable), a day added or
removed, a year's days imported from a spreadsheet. The province's officials write; the
officials of every level and the auditor read."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.scoping.policy import (
    may_keep_calendar,
    require_calendar_keeper,
    require_calendar_reader,
)
from yufang.lib.errors import InvalidInput
from yufang.policy import selectors, services
from yufang.policy.models import CalendarDay, DayKind
from yufang.support.bounds import bounded_year
from yufang.support.http import spreadsheet_response

IMPORT_MAX_BYTES = 1024 * 1024


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _list(request: HttpRequest, errors: dict[str, str], status: int = 200) -> HttpResponse:
    year = bounded_year(request.GET.get("year"))
    kind = request.GET.get("kind", "")
    qs = selectors.calendar_days(year=year, kind=kind)
    if request.GET.get("export") in ("xlsx", "csv"):
        return spreadsheet_response(
            _("working-day calendar"),
            [_("date"), _("kind of day"), _("name")],
            ([d.day, d.kind_label, d.name] for d in qs),
            kind=request.GET["export"],
        )
    return render(
        request,
        "policy/days.html",
        {
            "page_obj": Paginator(qs, 50).get_page(request.GET.get("page")),
            "year": year,
            "kind": kind,
            "kinds": DayKind.choices,
            "may_keep": may_keep_calendar(request.user),
            "errors": errors,
            "post": request.POST,
        },
        status=status,
    )


@login_required
def days(request: HttpRequest) -> HttpResponse:
    require_calendar_reader(request.user)
    return _list(request, {})


@login_required
@require_POST
def day_new(request: HttpRequest) -> HttpResponse:
    require_calendar_reader(request.user)
    try:
        found = services.calendar_day_add(
            actor=request.user,
            day=_date(request.POST.get("day")),
            kind=request.POST.get("kind", ""),
            name=request.POST.get("name", ""),
        )
    except InvalidInput as exc:
        return _list(request, exc.errors, status=200)
    messages.success(request, _("%(date)s recorded.") % {"date": found.day.isoformat()})
    return redirect(f"{reverse('policy:days')}?year={found.day.year}")


@login_required
@require_POST
def day_delete(request: HttpRequest, pk: int) -> HttpResponse:
    require_calendar_reader(request.user)
    found = get_object_or_404(CalendarDay, pk=pk)
    services.calendar_day_remove(actor=request.user, day=found)
    messages.success(request, _("%(date)s removed.") % {"date": found.day.isoformat()})
    return redirect("policy:days")


@login_required
@require_POST
def days_import(request: HttpRequest) -> HttpResponse:
    require_calendar_reader(request.user)
    require_calendar_keeper(request.user)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput(_("Choose a file."), "file")
        if upload.size is None or upload.size > IMPORT_MAX_BYTES:
            raise InvalidInput(_("The file is larger than %(mb)s MB.") % {"mb": 1}, "file")
        made = services.calendar_import(actor=request.user, data=upload.read())
    except InvalidInput as exc:
        return _list(request, exc.errors, status=200)
    messages.success(request, _("%(n)s days recorded.") % {"n": len(made)})
    return redirect("policy:days")
