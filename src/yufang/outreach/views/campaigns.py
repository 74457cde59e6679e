"""Publicity campaigns and activities: the list, a campaign with its activities, recording an
activity on a phone on site, its photos, and the statistics by city and month."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import regions_visible
from yufang.accounts.scoping.outreach import (
    may_plan_campaign,
    may_read_engagement,
    may_record_activity,
)
from yufang.enterprises.selectors import enterprises_to_pick
from yufang.lib.errors import InvalidInput
from yufang.outreach import selectors, services
from yufang.outreach.models import ActivityKind, PublicityCampaign
from yufang.outreach.views.common import page, require_outreach_role
from yufang.regions.models import Region
from yufang.support.bounds import bounded_year
from yufang.support.http import private_file_response, spreadsheet_response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Publicity's landing page: officials read the figures first, the others the campaigns."""
    require_outreach_role(request)
    if may_read_engagement(request.user):
        return redirect("outreach:statistics")
    return redirect("outreach:campaigns")


def _plannable_regions(user: Any) -> list[Region]:
    regions = regions_visible(user).filter(level__in=[Region.Level.CITY, Region.Level.COUNTY])
    return [
        r
        for r in regions.order_by("code")
        if may_plan_campaign(
            user,
            city_id=r.pk if r.level == Region.Level.CITY else r.city_id,
            county_id=r.pk if r.level == Region.Level.COUNTY else None,
        )
    ]


@login_required
def campaigns_view(request: HttpRequest) -> HttpResponse:
    require_outreach_role(request)
    errors: dict[str, str] = {}
    regions = _plannable_regions(request.user)
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        if not regions:
            raise PermissionDenied(_("Your role does not plan campaigns."))
        try:
            campaign = services.publicity_campaign_create(
                actor=request.user,
                title=data.get("title", ""),
                region_code=data.get("region", ""),
                starts_on=data.get("starts_on", ""),
                ends_on=data.get("ends_on", ""),
                description=data.get("description", ""),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Campaign created."))
            return redirect("outreach:campaign", pk=campaign.pk)
    campaigns = Paginator(selectors.campaigns_visible(request.user), 30).get_page(
        request.GET.get("page")
    )
    return page(
        request,
        "outreach/campaign_list.html",
        {"page_obj": campaigns, "regions": regions, "errors": errors, "data": data},
    )


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_get(request.user, pk)
    activities = selectors.activities_visible(request.user).filter(campaign=campaign)
    return page(
        request,
        "outreach/campaign_detail.html",
        {
            "campaign": campaign,
            "activities": activities.prefetch_related("photos")[:200],
            "by_kind": [
                {**row, "label": ActivityKind(row["kind"]).label}
                for row in selectors.reach_by_kind(activities)
            ],
            "may_record": _may_record(request.user, campaign),
        },
    )


def _may_record(user: Any, campaign: PublicityCampaign) -> bool:
    return may_record_activity(user, city_id=campaign.city_id, county_id=campaign.county_id) or (
        user.role == Role.COUNTY_OFFICIAL
        and campaign.county_id is None
        and may_record_activity(user, city_id=campaign.city_id, county_id=user.region_id)
    )


@login_required
def activity_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Recording an activity, made for a phone on site: kind, reach, a photo or two."""
    campaign = selectors.campaign_get(request.user, pk)
    if not _may_record(request.user, campaign):
        raise PermissionDenied(_("You may not record activities of this campaign."))
    errors: dict[str, str] = {}
    data: Any = (
        request.POST if request.method == "POST" else {"held_on": timezone.localdate().isoformat()}
    )
    counties = (
        [campaign.county]
        if campaign.county_id
        else list(
            regions_visible(request.user)
            .filter(level=Region.Level.COUNTY, city_id=campaign.city_id)
            .order_by("code")
        )
    )
    if request.method == "POST":
        try:
            enterprise = _enterprise(request, data.get("enterprise", ""))
            activity = services.outreach_activity_record(
                actor=request.user,
                campaign=campaign,
                kind=data.get("kind", ""),
                title=data.get("title", ""),
                held_on=data.get("held_on", ""),
                place=data.get("place", ""),
                county_code=data.get("county", "") or _own_county(request.user),
                enterprise=enterprise,
                people_reached=data.get("people_reached", ""),
                enterprises_reached=data.get("enterprises_reached", ""),
                note=data.get("note", ""),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
                photos=request.FILES.getlist("photos"),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Activity recorded."))
            return redirect("outreach:activity", pk=activity.pk)
    return page(
        request,
        "outreach/activity_new.html",
        {
            "campaign": campaign,
            "kinds": ActivityKind.choices,
            "counties": counties,
            "errors": errors,
            "data": data,
        },
    )


def _own_county(user: Any) -> str:
    if user.role == Role.COUNTY_OFFICIAL and user.region_id:
        return str(user.region.code)
    return ""


def _enterprise(request: HttpRequest, raw: str) -> Any:
    code = str(raw or "").strip()
    if not code:
        return None
    found = enterprises_to_pick(request.user).filter(credit_code=code.upper()).first()
    if found is None:
        raise InvalidInput(_("No enterprise you may work at has this credit code."), "enterprise")
    return found


@login_required
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(request.user, pk)
    errors: dict[str, str] = {}
    may_add = may_record_activity(
        request.user, city_id=activity.city_id, county_id=activity.county_id
    )
    if request.method == "POST":
        if not may_add:
            raise PermissionDenied(_("You may not add photos to this activity."))
        try:
            upload = request.FILES.get("photo")
            if upload is None:
                raise InvalidInput(_("Choose a photo."), "photo")
            services.activity_photo_add(actor=request.user, activity=activity, upload=upload)
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Photo added."))
            return redirect("outreach:activity", pk=pk)
    return page(
        request,
        "outreach/activity_detail.html",
        {
            "activity": activity,
            "photos": activity.photos.all(),
            "may_add": may_add,
            "errors": errors,
        },
    )


@login_required
def activity_photo(request: HttpRequest, pk: int, size: str) -> HttpResponseBase:
    photo = selectors.activity_photo_get(request.user, pk)
    return private_file_response(photo.thumbnail_path if size == "thumb" else photo.image_path)


ENGAGEMENT_HEADERS = [
    "城市",
    "宣传活动",
    "覆盖人数",
    "覆盖企业",
    "竞答参与人次",
    "作品",
    "有效投票",
    "自发参与",
    "单位组织",
]
ENGAGEMENT_KEYS = [
    "activities",
    "people_reached",
    "enterprises_reached",
    "quiz_entries",
    "contest_entries",
    "votes",
    "voluntary_entries",
    "organised_entries",
]


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Engagement by city and month: reach of the activities, quiz and contest entries,
    counted votes; voluntary participation apart. Exportable to Excel."""
    if not may_read_engagement(request.user):
        raise PermissionDenied(_("The engagement figures are for officials and auditors."))
    year = bounded_year(request.GET.get("year")) or timezone.localdate().year
    figures = selectors.engagement(request.user, year=year)
    if request.GET.get("export") in ("xlsx", "csv"):
        rows = [
            [r["city"] or "未填写", *(r[k] for k in ENGAGEMENT_KEYS)] for r in figures["cities"]
        ]
        rows += [
            [f"{year}-{r['month']:02d}", *(r[k] for k in ENGAGEMENT_KEYS)]
            for r in figures["months"]
        ]
        return spreadsheet_response(
            f"publicity-{year}", ENGAGEMENT_HEADERS, rows, kind=request.GET["export"]
        )
    months = figures["months"]
    chart = {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 10, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": [f"{m['month']}月" for m in months]},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": _("Voluntary entries"),
                "type": "bar",
                "stack": "e",
                "data": [m["voluntary_entries"] for m in months],
            },
            {
                "name": _("Organised by an employer"),
                "type": "bar",
                "stack": "e",
                "data": [m["organised_entries"] for m in months],
            },
            {"name": _("Counted votes"), "type": "line", "data": [m["votes"] for m in months]},
        ],
    }
    return page(
        request,
        "outreach/statistics.html",
        {
            "figures": figures,
            "year": year,
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 5, -1)),
            "chart": chart,
            "reach": selectors.reach_by_city_and_month(request.user, year=year),
        },
    )
