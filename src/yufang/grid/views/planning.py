"""The duty lists (edited by county officials) and the screening plans (campaigns)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping import regions_visible
from yufang.accounts.scoping.grid import (
    may_edit_duty_list,
    may_plan_campaign,
    require_grid_planner,
    require_grid_reader,
)
from yufang.grid import selectors, services
from yufang.grid.models import CampaignTarget, GridRole, PlanKind
from yufang.grid.views.common import report
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region


def _date(raw: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw.strip()[:10])
    except ValueError as exc:
        raise InvalidInput(_("Not a date (YYYY-MM-DD)."), field) from exc


@login_required
def duty(request: AuthedRequest) -> HttpResponse:
    """The duty lists in force; a county official publishes a new dated version."""
    user = request.user
    require_grid_reader(user)
    today = timezone.localdate()
    counties = regions_visible(user).filter(level=Region.Level.COUNTY).order_by("code")
    editable = [c for c in counties if may_edit_duty_list(user, c)]
    if request.method == "POST":
        require_grid_planner(user)
        code = request.POST.get("county", "")[:12]
        county = next((c for c in editable if c.code == code), None)
        try:
            if county is None:
                raise InvalidInput(_("Choose a county whose duty lists you edit."), "county")
            lines = request.POST.get("items", "")[:20000].splitlines()
            asked = [not line.strip().startswith("-") for line in lines]
            duty_list = services.duty_list_set(
                actor=user,
                county=county,
                grid_role=request.POST.get("grid_role", ""),
                valid_from=_date(request.POST.get("valid_from", ""), "valid_from"),
                items=[line.strip().lstrip("-").strip() for line in lines],
                checklist=asked,
            )
        except InvalidInput as error:
            report(request, error)
        else:
            messages.success(
                request,
                _("The duty list is published, in force from %(date)s.")
                % {"date": duty_list.valid_from.isoformat()},
            )
            return redirect("grid:duty")
    return render(
        request,
        "grid/duty.html",
        {
            "lists": selectors.duty_lists_current(user, on=today),
            "upcoming": selectors.duty_lists_visible(user)
            .filter(valid_from__gt=today)
            .select_related("county")
            .order_by("valid_from"),
            "editable": editable,
            "grid_roles": GridRole.choices,
            "today": today,
            "form": request.POST if request.method == "POST" else {},
        },
    )


@login_required
def plans(request: AuthedRequest) -> HttpResponse:
    """The routine plan's frequencies (from grid.yaml) and the campaigns; an official plans a
    campaign for their region."""
    user = request.user
    if user.role == Role.GRID_WORKER:
        require_grid_reader(user)
    else:
        from yufang.accounts.scoping.grid import require_grid_official

        require_grid_official(user)
    today = timezone.localdate()
    regions = [
        r
        for r in regions_visible(user)
        .filter(level__in=[Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY])
        .order_by("level", "code")[:400]
        if may_plan_campaign(user, r)
    ]
    if request.method == "POST":
        require_grid_planner(user)
        code = request.POST.get("region", "")[:12]
        region = next((r for r in regions if r.code == code), None)
        try:
            if region is None:
                raise InvalidInput(_("Choose a region you plan for."), "region")
            ends = request.POST.get("ends_on", "").strip()
            plan = services.campaign_create(
                actor=user,
                name=request.POST.get("name", "")[:200],
                target=request.POST.get("target", ""),
                starts_on=_date(request.POST.get("starts_on", ""), "starts_on"),
                ends_on=_date(ends, "ends_on") if ends else None,
                region=None if region.level == Region.Level.PROVINCE else region,
                industry_codes=request.POST.get("industry_codes", "")[:200]
                .replace("，", ",")
                .split(","),
                note=request.POST.get("note", "")[:2000],
            )
        except InvalidInput as error:
            report(request, error)
        else:
            messages.success(
                request,
                _("The campaign %(name)s is planned: %(n)s screening tasks made.")
                % {"name": plan.name, "n": plan.tasks.count()},
            )
            return redirect("grid:plans")
    campaigns = selectors.plans_visible(user).filter(kind=PlanKind.CAMPAIGN)
    intervals = policy.value("grid_screening_interval_months", on=today)
    return render(
        request,
        "grid/plans.html",
        {
            "campaigns": campaigns,
            "intervals": intervals,
            "regions": regions,
            "targets": CampaignTarget.choices,
            "today": today,
            "form": request.POST if request.method == "POST" else {},
        },
    )
