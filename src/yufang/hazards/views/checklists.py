"""Checklist pages: the versions in force, one checklist, editing it into a new version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.hazards import may_edit_checklists
from yufang.hazards import selectors, services
from yufang.hazards.views.common import (
    _date,
    _render,
)
from yufang.lib.errors import InvalidInput


@login_required
def checklists_view(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "hazards/checklist_list.html",
        {"checklists": selectors.checklists_current()},
    )


@login_required
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get(pk)
    return _render(
        request,
        "hazards/checklist_detail.html",
        {
            "c": checklist,
            "items": checklist.items.all(),
            "versions": selectors.checklist_versions(checklist.key),
            "may_edit": may_edit_checklists(request.user),
        },
    )


@login_required
def checklist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get(pk)
    if not may_edit_checklists(request.user):
        raise PermissionDenied(_("Only province and city officials may edit checklists."))
    errors: dict[str, str] = {}
    if request.method == "POST":
        p = request.POST
        texts = p.getlist("text")
        bases = p.getlist("legal_basis")
        majors = set(p.getlist("is_major"))
        confirmed = set(p.getlist("is_confirmed"))
        items = [
            services.ItemInput(
                text=t,
                legal_basis=bases[i] if i < len(bases) else "",
                is_major=str(i) in majors,
                is_confirmed=str(i) in confirmed,
            )
            for i, t in enumerate(texts)
            if t.strip() or str(i) in majors
        ]
        try:
            effective = _date(p.get("effective_from"), "effective_from")
            if effective is None:
                raise InvalidInput(
                    _("Give the date the new version takes effect."), "effective_from"
                )
            new = services.checklist_revise(
                actor=request.user,
                checklist=checklist,
                items=items,
                effective_from=effective,
                change_note=p.get("change_note", ""),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Version %(v)s saved.") % {"v": new.version})
            return redirect("hazards:checklist", pk=new.pk)
    return _render(
        request,
        "hazards/checklist_edit.html",
        {
            "c": checklist,
            "items": list(checklist.items.all()),
            "errors": errors,
            "today": timezone.localdate(),
        },
    )
