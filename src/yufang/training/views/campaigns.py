"""Campaigns."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping import regions_visible
from yufang.accounts.scoping.training import may_plan_campaigns
from yufang.enterprises.selectors import enterprises_visible
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.views.common import (
    PLANNERS,
    _attempt,
    _date,
    _ids,
    _int,
)


@login_required
def campaigns_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        if not may_plan_campaigns(user):
            raise PermissionDenied(_("Your role cannot plan campaigns here."))
        p = request.POST
        region = regions_visible(user).filter(code=p.get("region", "")).first()

        def create() -> None:
            if region is None:
                raise InvalidInput({"region": _("Choose a region.")})
            svc.campaign_create(
                actor=user,
                name=p.get("name", ""),
                region=region,
                starts_on=_date(p.get("starts_on"), "starts_on"),
                ends_on=_date(p.get("ends_on"), "ends_on"),
                target_enterprises=_int(p.get("target_enterprises")) or 0,
                target_person_times=_int(p.get("target_person_times")) or 0,
                description=p.get("description", ""),
            )

        errors = _attempt(request, create, reverse("training:campaigns"))
        if isinstance(errors, HttpResponse):
            return errors
    return render(
        request,
        "training/campaigns.html",
        {
            "campaigns": sel.campaigns_visible(user),
            "errors": errors,
            "may_create": user.role in PLANNERS,
            "regions": regions_visible(user).filter(level__lte=Region.Level.COUNTY)[:300],
        },
    )


@login_required
def campaign(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    campaign = sel.campaign_get(user, pk)
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        codes = [
            c.strip().upper()
            for c in request.POST.get("credit_codes", "").replace(",", "\n").splitlines()
            if c.strip()
        ]

        def link() -> None:
            found = list(enterprises_visible(user).filter(credit_code__in=codes))
            missing = sorted(set(codes) - {e.credit_code for e in found})
            if missing:
                raise InvalidInput(
                    {
                        "credit_codes": _("Unknown credit codes: %(codes)s")
                        % {"codes": ", ".join(missing)}
                    }
                )
            svc.campaign_link(
                actor=user,
                campaign=campaign,
                enterprises=found,
                courses=sel.courses_visible(user).filter(
                    pk__in=_ids(request.POST.getlist("course"))
                ),
            )

        errors = _attempt(request, link, reverse("training:campaign", args=[pk]))
        if isinstance(errors, HttpResponse):
            return errors
    progress = sel.campaign_progress(campaign)
    return render(
        request,
        "training/campaign_detail.html",
        {
            "definition": sel.PERSON_TIMES_DEFINITION,
            "campaign": campaign,
            "progress": progress,
            "errors": errors,
            "courses": sel.courses_visible(user),
            "sessions": sel.session_list(user, sel.SessionFilter(campaign=campaign.pk))[:50],
            "targets": campaign.enterprises.select_related("city", "county")[:200],
            "may_edit": user.role in PLANNERS,
        },
    )
