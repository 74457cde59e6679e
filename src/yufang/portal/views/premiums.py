"""The bureau's premiums paid per enterprise and year (the payout ratio's denominator): the
list, filtered and exported to Excel, one entered or corrected, and a file imported through
the imports app."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping import regions_visible
from yufang.accounts.scoping.imports import may_import
from yufang.accounts.scoping.portal import (
    PORTAL_DECIDERS,
    may_run_rates,
    require_portal_bureau,
)
from yufang.enterprises.models import Enterprise
from yufang.enterprises.selectors import enterprises_visible
from yufang.lib.errors import InvalidInput
from yufang.portal import selectors, services
from yufang.portal.importers import premium_importer
from yufang.portal.models import PremiumPaid
from yufang.regions.models import Region
from yufang.support.http import spreadsheet_response

EXPORT_HEADERS = ["企业", "统一社会信用代码", "所在区县", "行业代码", "年度", "实缴保费(元)"]


def _require_writer(request: AuthedRequest) -> None:
    require_portal_bureau(request.user)
    if request.user.role not in PORTAL_DECIDERS:
        raise PermissionDenied(_("Only the bureau's officials record premiums."))


@login_required
def premiums(request: AuthedRequest) -> HttpResponse:
    require_portal_bureau(request.user)
    chosen = selectors.PremiumFilter.from_params(request.GET)
    rows = chosen.apply(selectors.premiums_visible(request.user))
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            "实缴保费",
            EXPORT_HEADERS,
            (
                [
                    p.enterprise.name,
                    p.enterprise.credit_code,
                    p.enterprise.county.name if p.enterprise.county else "",
                    p.enterprise.industry.code,
                    p.year,
                    p.amount,
                ]
                for p in rows.iterator()
            ),
        )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    writer = request.user.role in PORTAL_DECIDERS
    return render(
        request,
        "portal/premiums.html",
        {
            "page_obj": page,
            "filter": chosen,
            "may_write": writer,
            "may_import": may_import(request.user, premium_importer.roles),
            "import_kind": premium_importer.kind,
            "export_query": request.GET.urlencode(),
            "regions": regions_visible(request.user).filter(
                level__in=[Region.Level.CITY, Region.Level.COUNTY]
            )[:300],
        },
    )


def _form_page(
    request: AuthedRequest,
    *,
    premium: PremiumPaid | None,
    data: Any,
    errors: dict[str, str],
) -> HttpResponse:
    return render(
        request,
        "portal/premium_form.html",
        {"premium": premium, "data": data, "errors": errors, "may_write": True},
        status=422 if errors else 200,
    )


def _enterprise_by_code(request: AuthedRequest, code: str) -> Enterprise:
    enterprise = (
        enterprises_visible(request.user)
        .select_related("county")
        .filter(credit_code=code.strip().upper()[:18])
        .first()
    )
    if enterprise is None or enterprise.county is None:
        raise services.PortalInvalid(
            _("No enterprise with this credit code in your region."), "credit_code"
        )
    if not may_run_rates(request.user, enterprise.county):
        raise services.PortalInvalid(_("This enterprise is outside your region."), "credit_code")
    return enterprise


@login_required
def premium_new(request: AuthedRequest) -> HttpResponse:
    _require_writer(request)
    if request.method != "POST":
        return _form_page(
            request,
            premium=None,
            data={"year": timezone.localdate().year - 1},
            errors={},
        )
    data = request.POST
    errors: dict[str, str] = {}
    enterprise = None
    try:
        enterprise = _enterprise_by_code(request, data.get("credit_code", ""))
    except InvalidInput as exc:
        errors.update(exc.errors)
    year = amount = None
    try:
        year = services.premium_year(data.get("year", ""))
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        amount = services.premium_amount(data.get("amount", ""))
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors or enterprise is None or year is None or amount is None:
        return _form_page(request, premium=None, data=data, errors=errors)
    services.premium_set(actor=request.user, enterprise=enterprise, year=year, amount=amount)
    messages.success(
        request,
        _("Premiums of %(enterprise)s for %(year)s are recorded.")
        % {"enterprise": enterprise.name, "year": year},
    )
    return redirect(f"{reverse('portal:premiums')}?year={year}&q={enterprise.credit_code}")


@login_required
def premium(request: AuthedRequest, pk: int) -> HttpResponse:
    require_portal_bureau(request.user)
    found = selectors.premium_get(request.user, pk)
    if request.method != "POST":
        return render(
            request,
            "portal/premium_form.html",
            {
                "premium": found,
                "data": {"amount": found.amount},
                "errors": {},
                "may_write": request.user.role in PORTAL_DECIDERS
                and found.enterprise.county is not None
                and may_run_rates(request.user, found.enterprise.county),
            },
        )
    _require_writer(request)
    if found.enterprise.county is None or not may_run_rates(request.user, found.enterprise.county):
        raise PermissionDenied(_("Only the bureau's officials record premiums."))
    try:
        services.premium_set(
            actor=request.user,
            enterprise=found.enterprise,
            year=found.year,
            amount=services.premium_amount(request.POST.get("amount", "")),
        )
    except InvalidInput as exc:
        return render(
            request,
            "portal/premium_form.html",
            {"premium": found, "data": request.POST, "errors": exc.errors, "may_write": True},
            status=422,
        )
    messages.success(
        request,
        _("Premiums of %(enterprise)s for %(year)s are recorded.")
        % {"enterprise": found.enterprise.name, "year": found.year},
    )
    return redirect("portal:premium", pk=found.pk)
