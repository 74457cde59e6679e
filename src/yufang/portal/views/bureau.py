"""The bureau's side: the desk of requests and roster changes to decide, and the
floating-rate runs (run for a region, review, export to Excel)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping import regions_visible
from yufang.accounts.scoping.portal import may_run_rates, require_portal_bureau
from yufang.lib.errors import InvalidInput
from yufang.portal import selectors, services
from yufang.portal.models import RunStatus
from yufang.regions.models import Region
from yufang.support.bounds import bounded_year
from yufang.support.http import spreadsheet_response


@login_required
def desk(request: AuthedRequest) -> HttpResponse:
    require_portal_bureau(request.user)
    return render(
        request,
        "portal/desk.html",
        {
            **selectors.pending_for_desk(request.user),
            "runs": selectors.runs_visible(request.user)[:5],
        },
    )


def _run_regions(request: AuthedRequest) -> list[Region]:
    return [
        r
        for r in regions_visible(request.user).filter(
            level__in=[Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY]
        )[:300]
        if may_run_rates(request.user, r)
    ]


@login_required
def rate_runs(request: AuthedRequest) -> HttpResponse:
    require_portal_bureau(request.user)
    errors: dict[str, str] = {}
    if request.method == "POST":
        code = request.POST.get("region", "")[:12]
        region = next((r for r in _run_regions(request) if r.code == code), None)
        year = bounded_year(request.POST.get("year"))
        try:
            if region is None:
                raise services.PortalInvalid(_("Choose a region you may run."), "region")
            if year is None:
                raise services.PortalInvalid(_("Choose a year that has ended."), "year")
            run = services.floating_rates_run(actor=request.user, region=region, year=year)
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("The floating rate is computed: review it."))
            return redirect("portal:rate_run", pk=run.pk)
    today = timezone.localdate()
    return render(
        request,
        "portal/rate_runs.html",
        {
            "runs": selectors.runs_visible(request.user)[:100],
            "regions": _run_regions(request),
            "year": today.year - 1,
            "errors": errors,
            "unconfirmed": selectors.unconfirmed_rules(today),
        },
        status=422 if errors else 200,
    )


EXPORT_HEADERS = [
    "企业",
    "统一社会信用代码",
    "风险类别",
    "基准费率%",
    "浮动档次%",
    "浮动后费率%",
    "新发工伤",
    "基金支出(元)",
    "缴费(元)",
    "支缴率%",
    "工伤发生率‰",
    "职业病危害",
    "浮动依据",
    "隐患销号后档次%",
    "预防后档次%",
]


@login_required
def rate_run(request: AuthedRequest, pk: int) -> HttpResponse:
    require_portal_bureau(request.user)
    run = selectors.run_get(request.user, pk)
    rates = selectors.rates_of_run(request.user, run)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            f"费率浮动-{run.region.name}-{run.year}",
            EXPORT_HEADERS,
            (
                [
                    r.enterprise.name,
                    r.enterprise.credit_code,
                    r.risk_class,
                    r.base_rate,
                    r.grade,
                    r.rate,
                    r.new_injuries,
                    r.payout,
                    r.premiums,
                    r.payout_ratio,
                    r.injury_rate,
                    "是" if r.occupational_hazard else "否",
                    r.get_moved_by_display(),
                    r.hazards_closed_grade,
                    r.prevented_grade,
                ]
                for r in rates.iterator()
            ),
        )
    return render(
        request,
        "portal/rate_run.html",
        {
            "run": run,
            "rows": [selectors.rate_explained(r) for r in rates[:500]],
            "may_review": run.status == RunStatus.DRAFT and may_run_rates(request.user, run.region),
            "unconfirmed": selectors.unconfirmed_rules(run.run_at.date()),
        },
    )


@login_required
@require_POST
def rate_run_review(request: AuthedRequest, pk: int) -> HttpResponse:
    require_portal_bureau(request.user)
    run = selectors.run_get(request.user, pk)
    try:
        services.floating_rate_run_review(actor=request.user, run=run)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The run is reviewed."))
    return redirect("portal:rate_run", pk=run.pk)
