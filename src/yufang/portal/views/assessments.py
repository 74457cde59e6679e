"""The enterprise's self-assessments with the official checklists: the list, a new one on a
chosen checklist, and one as recorded."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping.portal import require_portal_reader
from yufang.hazards.selectors import checklist_get, checklists_current
from yufang.lib.errors import InvalidInput
from yufang.portal import selectors, services
from yufang.portal.models import SelfCheck
from yufang.portal.views.enterprise import _own_enterprise
from yufang.support.bounds import bounded_id


@login_required
def self_assessments(request: AuthedRequest) -> HttpResponse:
    require_portal_reader(request.user)
    return render(
        request,
        "portal/self_assessments.html",
        {
            "rows": selectors.self_assessments_visible(request.user)[:100],
            "checklists": checklists_current() if request.user.enterprise_id else [],
        },
    )


@login_required
def self_assessment_new(request: AuthedRequest) -> HttpResponse:
    enterprise = _own_enterprise(request)
    pk = bounded_id(request.GET.get("checklist") or request.POST.get("checklist"))
    if pk is None:
        return redirect("portal:self_assessments")
    checklist = checklist_get(pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        items = checklist.items.values_list("number", flat=True)
        try:
            made = services.self_assessment_record(
                actor=request.user,
                enterprise=enterprise,
                checklist=checklist,
                answers={str(n): request.POST.get(f"item_{n}", "") for n in items},
                notes={str(n): request.POST.get(f"note_{n}", "") for n in items},
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Your self-assessment is saved."))
            return redirect("portal:self_assessment", pk=made.pk)
    return render(
        request,
        "portal/self_assessment_new.html",
        {
            "checklist": checklist,
            "items": checklist.items.order_by("number"),
            "choices": SelfCheck.choices,
            "data": request.POST,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
def self_assessment(request: AuthedRequest, pk: int) -> HttpResponse:
    require_portal_reader(request.user)
    found = selectors.self_assessment_get(request.user, pk)
    return render(
        request,
        "portal/self_assessment.html",
        {
            "a": found,
            "rows": selectors.self_assessment_rows(found),
            "labels": dict(SelfCheck.choices),
        },
    )
