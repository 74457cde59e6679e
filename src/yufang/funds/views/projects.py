"""Key areas, proposals, a project's review, procurement, contract and close."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.scoping.funds import may_manage_fee
from yufang.funds import selectors, services
from yufang.funds.models import ProcurementMethod, ProjectStatus, Use
from yufang.funds.views.common import render_page, require_reader, year_of
from yufang.lib.errors import InvalidInput
from yufang.support.bounds import bounded_id, bounded_year

YEAR_ROWS = 3  # a two-year run that starts mid-year spans three calendar years
MILESTONE_ROWS = 4


def _year_rows(data: Any) -> list[dict[str, str]]:
    rows = []
    for i in range(1, YEAR_ROWS + 1):
        row = {
            k: str(data.get(f"{k}_{i}", "")).strip() for k in ("year", "amount", *services.TARGETS)
        }
        if any(row.values()):
            rows.append(row)
    return rows


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    """The projects in scope by year and status; key areas; a new proposal."""
    require_reader(request)
    user = request.user
    year = year_of(request)
    cities = list(selectors.cities_visible(user))
    managed = [c for c in cities if may_manage_fee(user, pooling_region_id=c.pk)]
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    if request.method == "POST":
        if not managed:
            raise PermissionDenied(_("Proposals are entered by the pooling region's officials."))
        p = request.POST
        values = p.dict()
        city = next((c for c in managed if c.code == p.get("pooling_region")), None)
        try:
            if city is None:
                raise InvalidInput(_("Choose the pooling region."), "pooling_region")
            area_id = bounded_id(p.get("key_area"))
            area = selectors.key_areas_visible(user).filter(pk=area_id).first() if area_id else None
            project = services.project_propose(
                actor=user,
                pooling_region=city,
                title=p.get("title", ""),
                purpose=p.get("purpose", ""),
                use=p.get("use", ""),
                proposer=p.get("proposer", ""),
                cost_basis=p.get("cost_basis", ""),
                starts_on=p.get("starts_on", ""),
                ends_on=p.get("ends_on", ""),
                years=_year_rows(p),
                target_industries=p.get("target_industries", ""),
                target_enterprises=p.get("target_enterprises", ""),
                key_area=area,
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("The proposal is recorded."))
            return redirect("funds:project", pk=project.pk)
    status = request.GET.get("status", "")
    qs = selectors.projects_visible(user).filter(years__year=year).distinct()
    if status in ProjectStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-proposed_at"), 50).get_page(request.GET.get("page"))
    return render_page(
        request,
        "funds/projects.html",
        {
            "year": year,
            "years": selectors.years_of(user),
            "status": status,
            "statuses": ProjectStatus.choices,
            "page_obj": page,
            "key_areas": selectors.key_areas_visible(user).filter(year=year),
            "managed": managed,
            "uses": Use.choices,
            "errors": errors,
            "values": values,
            "year_rows": range(1, YEAR_ROWS + 1),
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def key_area_new(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    user = request.user
    p = request.POST
    managed = [
        c for c in selectors.cities_visible(user) if may_manage_fee(user, pooling_region_id=c.pk)
    ]
    if not managed:
        raise PermissionDenied(_("Only the pooling region's officials publish its key areas."))
    city = next((c for c in managed if c.code == p.get("pooling_region", "")), None)
    try:
        if city is None:
            raise InvalidInput(_("Choose the pooling region."), "pooling_region")
        year = bounded_year(p.get("year"))
        if year is None:
            raise InvalidInput(_("Give the year."), "year")
        services.key_area_create(
            actor=user,
            pooling_region=city,
            year=year,
            title=p.get("title", ""),
            description=p.get("description", ""),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The key area is published."))
    return redirect("funds:projects")


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    user = request.user
    found = selectors.project_get(user, pk)
    may_manage = may_manage_fee(user, pooling_region_id=found.pooling_region_id)
    counted = selectors.outputs_counted(user, found)
    targets = selectors.project_targets(found)
    procurement = getattr(found, "procurement", None)
    contract = getattr(found, "contract", None)
    evaluation = getattr(found, "evaluation", None)
    total = services.project_total(found)
    return render_page(
        request,
        "funds/project.html",
        {
            "project": found,
            "lines": found.years.all(),
            "total": total,
            "progress": selectors.progress_rows(targets, counted),
            "procurement": procurement,
            "contract": contract,
            "evaluation": evaluation,
            "evaluation_rows": selectors.progress_rows(
                {k: v[0] for k, v in evaluation.results.items()},
                {k: v[1] for k, v in evaluation.results.items()},
            )
            if evaluation
            else [],
            "may_manage": may_manage,
            "methods": ProcurementMethod.choices,
            "institutions": selectors.institutions_visible(user),
            "milestone_rows": range(1, MILESTONE_ROWS + 1),
        },
    )


@login_required
@require_POST
def project_review(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    found = selectors.project_get(request.user, pk)
    if not may_manage_fee(request.user, pooling_region_id=found.pooling_region_id):
        raise PermissionDenied(_("Proposals are reviewed by the pooling region's officials."))
    approve = request.POST.get("decision") == "approve"
    try:
        services.project_review(
            actor=request.user, project=found, approve=approve, note=request.POST.get("note", "")
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The project is approved.") if approve else _("The project is rejected.")
        )
    return redirect("funds:project", pk=pk)


@login_required
@require_POST
def procurement(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    user = request.user
    found = selectors.project_get(user, pk)
    if not may_manage_fee(user, pooling_region_id=found.pooling_region_id):
        raise PermissionDenied(_("Only the pooling region's officials manage its projects."))
    p = request.POST
    winner_id = bounded_id(p.get("winner"))
    winner = (
        selectors.institutions_visible(user).filter(pk=winner_id).first() if winner_id else None
    )
    try:
        if winner is None:
            raise InvalidInput(_("Choose the winning institution."), "winner")
        services.procurement_record(
            actor=user,
            project=found,
            method=p.get("method", ""),
            held_on=p.get("held_on", ""),
            bidders=p.get("bidders", ""),
            bidder_count=p.get("bidder_count", ""),
            winner=winner,
            price=p.get("price", ""),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The procurement is recorded."))
    return redirect("funds:project", pk=pk)


@login_required
@require_POST
def contract_new(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    user = request.user
    found = selectors.project_get(user, pk)
    if not may_manage_fee(user, pooling_region_id=found.pooling_region_id):
        raise PermissionDenied(_("Only the pooling region's officials manage its projects."))
    p = request.POST
    rows = []
    for i in range(1, MILESTONE_ROWS + 1):
        row = {
            k: p.get(f"{k}_{i}", "").strip() for k in ("title", "deliverables", "due_on", "amount")
        }
        if any(row.values()):
            rows.append(row)
    try:
        contract = services.contract_create(
            actor=user,
            project=found,
            number=p.get("number", ""),
            signed_on=p.get("signed_on", ""),
            milestones=rows,
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
        return redirect("funds:project", pk=pk)
    messages.success(request, _("The contract is recorded."))
    return redirect("funds:contract", pk=contract.pk)


@login_required
@require_POST
def project_close(request: HttpRequest, pk: int) -> HttpResponse:
    require_reader(request)
    user = request.user
    found = selectors.project_get(user, pk)
    if not may_manage_fee(user, pooling_region_id=found.pooling_region_id):
        raise PermissionDenied(_("Projects are closed by the pooling region's officials."))
    try:
        services.project_close(
            actor=user,
            project=found,
            counted=selectors.outputs_counted(user, found),
            note=request.POST.get("note", ""),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The project is closed and evaluated."))
    return redirect("funds:project", pk=pk)
