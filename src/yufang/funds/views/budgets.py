"""The fee's home, a pooling region's budget for a year, the province's raise approval and the
publication of the fee's use."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.models import Role
from yufang.accounts.scoping.funds import (
    may_approve_raise,
    may_manage_fee,
    may_publish_disclosure,
)
from yufang.funds import selectors, services
from yufang.funds.models import Budget, Use
from yufang.funds.views.common import render_page, require_reader, year_of
from yufang.lib.errors import InvalidInput
from yufang.support.bounds import FIRST_YEAR, LAST_YEAR


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    user = request.user
    year = year_of(request)
    if getattr(user, "role", "") == Role.INSTITUTION_STAFF:
        contracts = selectors.contracts_visible(user).order_by("-signed_on")
        return render_page(
            request,
            "funds/institution_home.html",
            {"contracts": contracts, "year": year},
        )
    cities = list(selectors.cities_visible(user))
    budgets = {b.pooling_region_id: b for b in selectors.budgets_visible(user).filter(year=year)}
    sums = selectors.ledger_sums(list(budgets.values()))
    rows = []
    for city in cities:
        budget = budgets.get(city.pk)
        figures = selectors.budget_figures(budget) if budget else None
        rows.append(
            {
                "city": city,
                "budget": budget,
                "figures": figures,
                "sums": sums.get(budget.pk) if budget else None,
                "may_manage": may_manage_fee(user, pooling_region_id=city.pk),
            }
        )
    rules = None
    try:
        rules = services.fee_rules(year)
    except InvalidInput:
        rules = None
    projects = selectors.projects_visible(user).filter(years__year=year).distinct()[:20]
    return render_page(
        request,
        "funds/index.html",
        {
            "year": year,
            "years": selectors.years_of(user),
            "rows": rows,
            "rules": rules,
            "projects": projects,
        },
    )


def _year_in_range(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404


@login_required
def budget(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A pooling region's budget for a year: its cap, the rule applied and its source, by
    use what is committed, paid and left; the form to set it."""
    require_reader(request)
    _year_in_range(year)
    user = request.user
    city = selectors.city_get(user, code)
    found = Budget.objects.filter(pooling_region=city, year=year).first()
    may_manage = may_manage_fee(user, pooling_region_id=city.pk)
    errors: dict[str, str] = {}
    values = {
        "contribution_income": found.contribution_income if found else "",
        "publicity": found.publicity if found else "",
        "training": found.training if found else "",
        "note": found.note if found else "",
    }
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied(_("Only the pooling region's officials set its budget."))
        values = {k: request.POST.get(k, "") for k in values}
        try:
            services.budget_set(
                actor=user,
                pooling_region=city,
                year=year,
                contribution_income=values["contribution_income"],
                publicity=values["publicity"],
                training=values["training"],
                note=str(values["note"]),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("The budget is saved."))
            return redirect("funds:budget", code=code, year=year)
    rules = None
    try:
        rules = services.fee_rules(year)
    except InvalidInput as exc:
        errors = errors or exc.errors
    figures = selectors.budget_figures(found) if found else None
    return render_page(
        request,
        "funds/budget.html",
        {
            "city": city,
            "year": year,
            "budget": found,
            "figures": figures,
            "rules": rules,
            "allowed_uses": [Use(u).label for u in rules.uses if u in Use.values] if rules else [],
            "raise_approval": selectors.raise_approval_of(city, year),
            "values": values,
            "errors": errors,
            "may_manage": may_manage,
            "may_approve_raise": may_approve_raise(user),
            "may_publish": found is not None
            and may_publish_disclosure(user, pooling_region_id=city.pk),
            "ledger": selectors.ledger_visible(user).filter(budget=found).order_by("-id")[:20]
            if found
            else [],
        },
        status=422 if errors and request.method == "POST" else 200,
    )


@login_required
@require_POST
def raise_view(request: HttpRequest, code: str, year: int) -> HttpResponse:
    require_reader(request)
    _year_in_range(year)
    city = selectors.city_get(request.user, code)
    if not may_approve_raise(request.user):
        raise PermissionDenied(_("A raise of the cap is approved by the province."))
    try:
        services.raise_approve(
            actor=request.user,
            pooling_region=city,
            year=year,
            ratio_percent=request.POST.get("ratio", ""),
            reason=request.POST.get("reason", ""),
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The raise approval is recorded."))
    return redirect("funds:budget", code=code, year=year)


@login_required
@require_POST
def disclose(request: HttpRequest, code: str, year: int) -> HttpResponse:
    require_reader(request)
    _year_in_range(year)
    found = selectors.budget_get(request.user, code, year)
    if not may_publish_disclosure(request.user, pooling_region_id=found.pooling_region_id):
        raise PermissionDenied(_("The province or the city publishes the fee's use."))
    services.budget_disclose(actor=request.user, budget=found)
    messages.success(request, _("The use of the fee is published."))
    return redirect("funds:disclosure", code=code, year=year)
