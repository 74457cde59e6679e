"""A contract's milestones: acceptance with evidence, payments, the evidence file; the
institutions' registry."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.scoping.funds import may_manage_fee, may_manage_registry
from yufang.funds import selectors, services
from yufang.funds.views.common import render_page, require_reader
from yufang.lib.errors import InvalidInput
from yufang.support.http import private_file_response


@login_required
def contract(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    user = request.user
    found = selectors.contract_get(user, pk)
    project = found.project
    counted = selectors.outputs_counted(user, project)
    return render_page(
        request,
        "funds/contract.html",
        {
            "contract": found,
            "project": project,
            "milestones": selectors.milestones_of(found),
            "progress": selectors.progress_rows(selectors.project_targets(project), counted),
            "payments": selectors.payments_visible(user).filter(milestone__contract=found),
            "may_manage": may_manage_fee(user, pooling_region_id=project.pooling_region_id),
            "today": timezone.localdate(),
        },
    )


def _managed_milestone(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    require_reader(request)
    milestone = selectors.milestone_get(request.user, pk)
    if not may_manage_fee(
        request.user, pooling_region_id=milestone.contract.project.pooling_region_id
    ):
        raise PermissionDenied(_("Only the pooling region's officials manage its projects."))
    return milestone


@login_required
@require_POST
def milestone_accept(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _managed_milestone(request, pk)
    try:
        services.milestone_accept(
            actor=request.user,
            milestone=milestone,
            evidence=request.FILES.get("evidence"),
            note=request.POST.get("note", ""),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The milestone is accepted."))
    return redirect("funds:contract", pk=milestone.contract_id)


@login_required
@require_POST
def milestone_pay(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _managed_milestone(request, pk)
    try:
        services.payment_record(
            actor=request.user,
            milestone=milestone,
            amount=request.POST.get("amount", ""),
            paid_on=request.POST.get("paid_on", ""),
            voucher=request.POST.get("voucher", ""),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The payment is recorded."))
    return redirect("funds:contract", pk=milestone.contract_id)


@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    require_reader(request)
    milestone = selectors.milestone_get(request.user, pk)
    return private_file_response(milestone.evidence.name or "")


@login_required
def institutions(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    user = request.user
    rows = [
        {"institution": i, "may_manage": may_manage_registry(user, city_id=i.city_id)}
        for i in selectors.institutions_visible(user)
    ]
    return render_page(request, "funds/institutions.html", {"rows": rows})


@login_required
@require_POST
def institution_qualify(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    found = selectors.institution_get(request.user, pk)
    if not may_manage_registry(request.user, city_id=found.city_id):
        raise PermissionDenied(
            _("The registry is kept by the officials of the institution's city.")
        )
    try:
        services.institution_qualify(
            actor=request.user,
            institution=found,
            qualifications=request.POST.get("qualifications", ""),
            qualified_until=request.POST.get("qualified_until", ""),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The registry entry is saved."))
    return redirect("funds:institutions")
