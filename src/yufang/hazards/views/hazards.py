"""Hazard pages: the list, reporting one, its detail and moves, the work queue, the board,
the map, escalations and uploaded photos."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from yufang.accounts.models import Role
from yufang.accounts.scoping import may_answer_escalation, regions_visible
from yufang.accounts.scoping.hazards import may_report_hazards
from yufang.enterprises.selectors import enterprises_visible
from yufang.hazards import selectors, services
from yufang.hazards.models import (
    DRAFT_STATUSES,
    OPEN_STATUSES,
    Escalation,
    HazardLevel,
    HazardStatus,
    PhotoKind,
)
from yufang.hazards.views.common import (
    COLOUR_CSS,
    _date,
    _enterprise_pick,
    _render,
    _role,
)
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region
from yufang.support.bounds import bounded_id
from yufang.support.http import private_file_response, spreadsheet_response
from yufang.support.topics import Topic


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The hazards landing page: each role starts where its work is."""
    role = _role(request)
    if role in (Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.AUDITOR):
        return redirect("hazards:board")
    if role in (Role.INSTITUTION_STAFF, Role.ADMIN):
        return redirect("hazards:queue")
    return redirect("hazards:hazards")


EXPORT_HEADERS = [
    "编号",
    "企业",
    "统一社会信用代码",
    "县区",
    "专题",
    "等级",
    "描述",
    "位置",
    "状态",
    "整改期限",
    "逾期",
    "登记时间",
    "销号时间",
]


@login_required
def hazards_view(request: HttpRequest) -> HttpResponse:
    filters = selectors.HazardFilter.from_params(request.GET)
    qs = selectors.hazard_list(request.user, filters)
    today = timezone.localdate()
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("hazards"),
            EXPORT_HEADERS,
            (
                [
                    h.pk,
                    h.enterprise.name,
                    h.enterprise.credit_code,
                    h.enterprise.county.name,
                    Topic(h.topic).label,
                    HazardLevel(h.level).label,
                    h.description,
                    h.location,
                    HazardStatus(h.status).label,
                    h.deadline,
                    "是" if selectors.is_overdue(h, today) else "否",
                    timezone.localtime(h.reported_at).strftime("%Y-%m-%d %H:%M"),
                    timezone.localtime(h.closed_at).strftime("%Y-%m-%d %H:%M")
                    if h.closed_at
                    else "",
                ]
                for h in qs.iterator(chunk_size=2000)
            ),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for h in page:
        h.overdue = selectors.is_overdue(h, today)  # type: ignore[attr-defined]
    # One enterprise in view (the safety manager's own, or a filter): show its risk colour.
    focus_id = filters.enterprise or getattr(request.user, "enterprise_id", None)
    focus = (
        enterprises_visible(request.user).filter(pk=focus_id).first()
        if focus_id and _role(request) != Role.INSTITUTION_STAFF
        else None
    )
    colour = selectors.enterprise_risk_colours([focus.pk])[focus.pk] if focus else None
    return _render(
        request,
        "hazards/hazard_list.html",
        {
            "page_obj": page,
            "filters": filters,
            "statuses": HazardStatus.choices,
            "levels": HazardLevel.choices,
            "topics": Topic.choices,
            "counties": regions_visible(request.user).filter(level=Region.Level.COUNTY),
            "may_report": may_report_hazards(request.user),
            "focus": focus,
            "focus_colour": colour,
            "focus_css": COLOUR_CSS.get(colour, "bg-secondary") if colour else "bg-secondary",
        },
    )


@login_required
def hazard_new(request: HttpRequest) -> HttpResponse:
    if not may_report_hazards(request.user):
        raise PermissionDenied(_("Your role cannot report hazards."))
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else request.GET
    pick = _enterprise_pick(request)
    if request.method == "POST":
        try:
            enterprise = pick.enterprise_or_error()
            hazard = services.hazard_report(
                actor=request.user,
                enterprise=enterprise,
                topic=data.get("topic", ""),
                level=data.get("level", ""),
                description=data.get("description", ""),
                location=data.get("location", ""),
                photo=request.FILES.get("photo"),
                latitude=data.get("latitude"),
                longitude=data.get("longitude"),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Hazard #%(id)s registered.") % {"id": hazard.pk})
            return redirect("hazards:hazard", pk=hazard.pk)
    return _render(
        request,
        "hazards/hazard_new.html",
        {
            "errors": errors,
            "data": data,
            "pick": pick,
            "topics": Topic.choices,
            "levels": HazardLevel.choices,
        },
    )


# The buttons of a hazard's page and the status each moves it to (`services.hazard_transition`).
PAGE_MOVES = {
    "assign": HazardStatus.ASSIGNED,
    "start": HazardStatus.RECTIFYING,
    "submit": HazardStatus.SUBMITTED,
    "verify": HazardStatus.VERIFIED,
    "reject": HazardStatus.RECTIFYING,
    "close": HazardStatus.CLOSED,
}


@login_required
def hazard(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = selectors.hazard_get(request.user, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        p = request.POST
        user = request.user
        try:
            if action in PAGE_MOVES:
                services.hazard_transition(
                    actor=user,
                    hazard=hazard,
                    to=PAGE_MOVES[action],
                    reason=p.get("reason", ""),
                    note=p.get("note", ""),
                    deadline=_date(p.get("deadline"), "deadline"),
                )
            elif action == "plan":
                services.hazard_plan_set(
                    actor=user,
                    hazard=hazard,
                    measures=p.get("measures", ""),
                    responsible=p.get("responsible", ""),
                    funds=p.get("funds", ""),
                    deadline=_date(p.get("plan_deadline"), "deadline"),
                    emergency=p.get("emergency", ""),
                )
            elif action == "photo":
                upload = request.FILES.get("photo")
                if upload is None:
                    raise InvalidInput(_("Choose a photo."), "photo")
                services.photo_add(
                    actor=user,
                    upload=upload,
                    kind=p.get("kind", PhotoKind.EVIDENCE),
                    hazard=hazard,
                    latitude=p.get("latitude"),
                    longitude=p.get("longitude"),
                )
            elif action == "notice":
                notice = services.notice_issue(
                    actor=user,
                    enterprise=hazard.enterprise,
                    hazards=selectors.hazards_visible(user).filter(
                        enterprise=hazard.enterprise, status__in=OPEN_STATUSES
                    ),
                )
                messages.success(
                    request, _("Notice %(number)s issued.") % {"number": notice.number}
                )
                return redirect("hazards:notice_pdf", pk=notice.pk)
            else:
                raise InvalidInput(_("Unknown action."))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Saved."))
            return redirect("hazards:hazard", pk=pk)
        hazard = selectors.hazard_get(request.user, pk)
    return _render(
        request,
        "hazards/hazard_detail.html",
        {
            "hazard": hazard,
            "overdue": selectors.is_overdue(hazard),
            "events": hazard.events.select_related("actor"),
            "photos": hazard.photos.all(),
            "escalations": _answerable(
                request, hazard.escalations.select_related("answered_by", "region")
            ),
            "notices": hazard.notices.all(),
            "errors": errors,
            "can": services.hazard_actions(request.user, hazard),
        },
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    work = selectors.work_queue(request.user)
    return _render(
        request,
        "hazards/queue.html",
        {
            "to_assign": work["to_assign"][:50],
            "to_verify": work["to_verify"][:50],
            "to_close": work["to_close"][:50],
            "counts": {k: v.count() for k, v in work.items()},
            "may_assess": may_report_hazards(request.user),
            "assessments": selectors.assessment_list(request.user)
            .filter(status__in=DRAFT_STATUSES)
            .order_by("planned_on", "id")[:50],
        },
    )


def _bar(labels: list[str], values: list[int], urls: list[str], name: str) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 10, "top": 20, "bottom": 40},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "minInterval": 1},
        "series": [
            {
                "name": name,
                "type": "bar",
                "data": [{"value": v, "url": u} for v, u in zip(values, urls, strict=True)],
            }
        ],
    }


@login_required
def board(request: HttpRequest) -> HttpResponse:
    if not selectors.pages_open_to(request.user)["board"]:
        raise PermissionDenied(_("The hazard board is for officials."))
    county = request.GET.get("county", "").strip()
    figures = selectors.hazard_board(request.user, county=county)
    list_url = reverse("hazards:hazards")
    extra = f"&county={county}" if county else ""
    status_labels = [str(label) for _v, label in HazardStatus.choices]
    age_labels = [_("≤30 days"), _("31–90 days"), _("91–180 days"), _(">180 days")]
    return _render(
        request,
        "hazards/board.html",
        {
            "f": figures,
            "county": county,
            "counties": regions_visible(request.user).filter(level=Region.Level.COUNTY),
            "status_option": _bar(
                status_labels,
                list(figures["by_status"].values()),
                [f"{list_url}?status={s}{extra}" for s in HazardStatus.values],
                _("hazards"),
            ),
            "age_option": _bar(
                age_labels,
                figures["ages"],
                [f"{list_url}?open=1{extra}"] * len(age_labels),
                _("open hazards"),
            ),
            "trend_option": {
                "tooltip": {"trigger": "axis"},
                "legend": {"data": [_("found"), pgettext("hazard", "closed")]},
                "grid": {"left": 40, "right": 10, "top": 30, "bottom": 40},
                "xAxis": {"type": "category", "data": figures["months"]},
                "yAxis": {"type": "value", "minInterval": 1},
                "series": [
                    {
                        "name": _("found"),
                        "type": "line",
                        "data": [
                            {"value": v, "url": f"{list_url}?{extra.lstrip('&')}"}
                            for v in figures["trend_found"]
                        ],
                    },
                    {
                        "name": pgettext("hazard", "closed"),
                        "type": "line",
                        "data": [
                            {"value": v, "url": f"{list_url}?status=closed{extra}"}
                            for v in figures["trend_closed"]
                        ],
                    },
                ],
            },
            "overdue_pct": None
            if figures["overdue_rate"] is None
            else round(100 * figures["overdue_rate"], 1),
        },
    )


@login_required
def map_view(request: HttpRequest) -> HttpResponse:
    points = selectors.open_hazard_points(request.user)
    list_url = reverse("hazards:hazards")
    city = ""
    user_region = getattr(request.user, "region", None)
    if user_region is not None and user_region.level == Region.Level.CITY:
        city = user_region.code
    elif user_region is not None and user_region.level == Region.Level.COUNTY:
        city = user_region.city.code if user_region.city else ""
    map_url = (
        f"{reverse('regions:map', args=['counties'])}?city={city}"
        if city
        else reverse("regions:map", args=["cities"])
    )
    option = {
        "tooltip": {"trigger": "item"},
        "geo": {"map": f"hazards-{city or 'province'}", "roam": True},
        "series": [
            {
                "name": _("open hazards"),
                "type": "scatter",
                "coordinateSystem": "geo",
                "symbolSize": 8,
                "data": [
                    {
                        "name": p["enterprise__name"],
                        "value": [
                            float(p["enterprise__longitude"]),
                            float(p["enterprise__latitude"]),
                            p["open"],
                        ],
                        "itemStyle": {
                            "color": "#d63939"
                            if p["major"]
                            else ("#f76707" if p["overdue"] else "#f59f00")
                        },
                        "url": f"{list_url}?enterprise={p['enterprise_id']}&open=1",
                    }
                    for p in points
                ],
            }
        ],
    }
    return _render(
        request,
        "hazards/map.html",
        {
            "option": option,
            "map_name": f"hazards-{city or 'province'}",
            "map_url": map_url,
            "points": len(points),
        },
    )


def _answerable(request: HttpRequest, escalations: Iterable[Escalation]) -> list[Escalation]:
    """The escalations, each with `can_answer` (`scoping.may_answer_escalation`) for the page."""
    rows = list(escalations)
    for x in rows:
        x.can_answer = may_answer_escalation(request.user, x)  # type: ignore[attr-defined]
    return rows


@login_required
def escalations(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        escalation = get_object_or_404(
            selectors.escalations_for(request.user, open_only=False),
            pk=bounded_id(request.POST.get("escalation")) or 0,
        )
        try:
            services.escalation_answer(
                actor=request.user, escalation=escalation, answer=request.POST.get("answer", "")
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Answer recorded."))
            return redirect("hazards:escalations")
    show_all = request.GET.get("all") == "1"
    qs = selectors.escalations_for(request.user, open_only=not show_all)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    page.object_list = _answerable(request, page.object_list)
    return _render(
        request,
        "hazards/escalations.html",
        {"page_obj": page, "errors": errors, "show_all": show_all},
    )


@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A hazard or assessment photo, to those who may see its hazard or assessment (404
    otherwise)."""
    return private_file_response(selectors.photo_get(request.user, pk).image_path)


@require_POST
@login_required
def escalation_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    escalation: Escalation = get_object_or_404(
        selectors.escalations_for(request.user, open_only=False), pk=pk
    )
    try:
        services.escalation_answer(
            actor=request.user, escalation=escalation, answer=request.POST.get("answer", "")
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    return redirect("hazards:hazard", pk=escalation.hazard_id)
