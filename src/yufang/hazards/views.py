"""HTML pages for checklists, assessments and hazards. Thin: parse, call a service or a
selector, render. Domain errors come back as the form's error list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.models import Role
from yufang.accounts.scoping import regions_visible
from yufang.enterprises.forms import EnterprisePickForm
from yufang.enterprises.selectors import enterprises_visible
from yufang.hazards import scoring, selectors, services
from yufang.hazards.models import (
    DRAFT_STATUSES,
    OPEN_STATUSES,
    AnswerResult,
    AssessmentMethod,
    AssessmentStatus,
    Escalation,
    HazardLevel,
    HazardStatus,
    NoticeIssuer,
    PeriodKind,
    PhotoKind,
    RectificationNotice,
    RiskColour,
    SampleType,
)
from yufang.hazards.pdf import notice_from_token, notice_pdf
from yufang.lib.errors import InvalidInput
from yufang.lib.http import private_file_response, spreadsheet_response
from yufang.lib.topics import Topic
from yufang.regions.models import Region
from yufang.support.bounds import bounded_id, bounded_int, bounded_year

OFFICIALS = (Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN)
COLOUR_CSS = {
    RiskColour.RED: "bg-red",
    RiskColour.ORANGE: "bg-orange",
    RiskColour.YELLOW: "bg-yellow",
    RiskColour.BLUE: "bg-blue",
}


def _date(raw: str | None, field: str) -> dt.date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(_("Not a date (YYYY-MM-DD): %(value)s") % {"value": raw}, field) from exc


def _field_labels() -> dict[str, str]:
    return {
        "answers": _("Answers"),
        "evidence": _("Evidence photo"),
        "unit": _("Unit"),
        "agent": _("Agent"),
        "value": _("Value"),
        "sample_type": _("Sample type"),
        "sampled_on": _("Sampled on"),
        "location": _("Location"),
        "photo": _("Photo"),
        "latitude": _("Latitude"),
        "longitude": _("Longitude"),
        "kind": _("Kind of photo"),
        "enterprise": _("Enterprise"),
        "topic": _("Topic"),
        "level": _("Level"),
        "description": _("Description"),
        "method": _("Method"),
        "checklist": _("Checklist"),
        "planned_on": _("Planned for"),
        "deadline": _("Deadline"),
        "note": _("What was done"),
        "reason": _("Reason"),
        "plan": _("Five-in-place plan"),
        "measures": _("Measures"),
        "responsible": _("Person responsible"),
        "funds": _("Funds (yuan)"),
        "emergency": _("Emergency plan"),
        "status": _("Status"),
        "hazards": _("Hazards"),
        "lec_l": "LEC L",
        "lec_e": "LEC E",
        "lec_c": "LEC C",
        "ls_l": _("Matrix likelihood L"),
        "ls_s": _("Matrix severity S"),
        "notes": _("Notes"),
        "change_note": _("What changed"),
        "effective_from": _("In force from"),
        "items": _("Checklist item"),
        "answer": _("Answer"),
        "year": _("Year"),
        "quarter": _("Quarter"),
        "period": _("Period"),
        "name": _("Issuing authority"),
        "seal": _("Seal"),
        "region": _("Region"),
    }


def _labelled(errors: dict[str, str]) -> dict[str, str]:
    """Errors keyed by what the form calls each field (in the reader's language), not by
    the field's code name: "整改证据照片", not "evidence"."""
    labels = _field_labels()
    shown: dict[str, str] = {}
    for field, message in errors.items():
        if field.startswith(("item_", "items.")):
            label = _("Checklist item")
        else:
            label = labels.get(field, "")
        shown[label] = f"{shown[label]} {message}" if label in shown else message
    return shown


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """`render`, with a form's errors also labelled for the reader (`shown_errors`)."""
    if "errors" in context:
        context["shown_errors"] = _labelled(context["errors"])
    return render(request, template, context)


def _role(request: HttpRequest) -> str:
    return getattr(request.user, "role", "")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The hazards landing page: each role starts where its work is."""
    role = _role(request)
    if role in (Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.AUDITOR):
        return redirect("hazards:board")
    if role in (Role.INSTITUTION_STAFF, Role.ADMIN):
        return redirect("hazards:queue")
    return redirect("hazards:list")


# --- hazards --------------------------------------------------------------------------------

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
def hazard_list(request: HttpRequest) -> HttpResponse:
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
            "may_report": _role(request) in services.REPORTERS,
            "focus": focus,
            "focus_colour": colour,
            "focus_css": COLOUR_CSS.get(colour, "bg-secondary") if colour else "bg-secondary",
        },
    )


@login_required
def hazard_new(request: HttpRequest) -> HttpResponse:
    if _role(request) not in services.REPORTERS:
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
            )
            upload = request.FILES.get("photo")
            if upload is not None:
                services.photo_add(
                    actor=request.user,
                    upload=upload,
                    kind=PhotoKind.FINDING,
                    hazard=hazard,
                    latitude=data.get("latitude"),
                    longitude=data.get("longitude"),
                )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Hazard #%(id)s registered.") % {"id": hazard.pk})
            return redirect("hazards:hazard_detail", pk=hazard.pk)
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


def _enterprise_pick(request: HttpRequest) -> EnterprisePickForm:
    """The enterprise picker (`enterprises.forms`): as posted, or opened from an enterprise's
    page with `?enterprise=<id>`. It offers the enterprises the user may work at."""
    if request.method == "POST":
        return EnterprisePickForm(request.POST, user=request.user)
    return EnterprisePickForm(
        initial={"enterprise": request.GET.get("enterprise", "")}, user=request.user
    )


@login_required
def hazard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    hazard = selectors.hazard_get(request.user, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        p = request.POST
        user = request.user
        try:
            if action == "assign":
                services.hazard_assign(
                    actor=user,
                    hazard=hazard,
                    deadline=_date(p.get("deadline"), "deadline"),
                    reason=p.get("reason", ""),
                )
            elif action == "start":
                services.hazard_start(actor=user, hazard=hazard, reason=p.get("reason", ""))
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
            elif action == "submit":
                services.hazard_submit(actor=user, hazard=hazard, note=p.get("note", ""))
            elif action == "verify":
                services.hazard_verify(actor=user, hazard=hazard, reason=p.get("reason", ""))
            elif action == "reject":
                services.hazard_reject(actor=user, hazard=hazard, reason=p.get("reason", ""))
            elif action == "close":
                services.hazard_close(actor=user, hazard=hazard, reason=p.get("reason", ""))
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
            return redirect("hazards:hazard_detail", pk=pk)
        hazard = selectors.hazard_get(request.user, pk)
    nexts = services.allowed_next(request.user, hazard)
    return _render(
        request,
        "hazards/hazard_detail.html",
        {
            "hazard": hazard,
            "overdue": selectors.is_overdue(hazard),
            "events": hazard.events.select_related("actor"),
            "photos": hazard.photos.all(),
            "escalations": hazard.escalations.select_related("answered_by", "region"),
            "notices": hazard.notices.all(),
            "errors": errors,
            "can": {
                "assign": HazardStatus.ASSIGNED in nexts,
                "start": HazardStatus.RECTIFYING in nexts and hazard.status == "assigned",
                "submit": HazardStatus.SUBMITTED in nexts,
                "verify": HazardStatus.VERIFIED in nexts,
                "reject": HazardStatus.RECTIFYING in nexts and hazard.status == "submitted",
                "close": HazardStatus.CLOSED in nexts,
                "evidence": HazardStatus.SUBMITTED in nexts,
                "plan": hazard.level == HazardLevel.MAJOR
                and hazard.status not in ("verified", "closed")
                and (HazardStatus.SUBMITTED in nexts or _role(request) in services.INSPECTORS),
                "notice": _role(request) in services.INSPECTORS and hazard.status in OPEN_STATUSES,
            },
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
            "may_assess": _role(request) in services.REPORTERS,
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
    if _role(request) not in (*OFFICIALS, Role.AUDITOR):
        raise PermissionDenied(_("The hazard board is for officials."))
    county = request.GET.get("county", "").strip()
    figures = selectors.hazard_board(request.user, county=county)
    list_url = reverse("hazards:list")
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
                "legend": {"data": [_("found"), _("closed")]},
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
                        "name": _("closed"),
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
def hazard_map(request: HttpRequest) -> HttpResponse:
    points = selectors.open_hazard_points(request.user)
    list_url = reverse("hazards:list")
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


@login_required
def escalations(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        escalation = get_object_or_404(
            selectors.escalations_for(request.user, open_only=False),
            pk=request.POST.get("escalation") or 0,
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
    return _render(
        request,
        "hazards/escalations.html",
        {"page_obj": page, "errors": errors, "show_all": show_all},
    )


# --- assessments ------------------------------------------------------------------------------


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    qs = selectors.assessment_list(request.user, status=status, q=q)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return _render(
        request,
        "hazards/assessment_list.html",
        {
            "page_obj": page,
            "status": status,
            "q": q,
            "statuses": AssessmentStatus.choices,
            "may_create": _role(request) in services.REPORTERS,
        },
    )


@login_required
def assessment_new(request: HttpRequest) -> HttpResponse:
    if _role(request) not in services.REPORTERS:
        raise PermissionDenied(_("Your role cannot run assessments."))
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else request.GET
    pick = _enterprise_pick(request)
    if request.method == "POST":
        try:
            enterprise = pick.enterprise_or_error()
            assessment = services.assessment_create(
                actor=request.user,
                enterprise=enterprise,
                checklist_key=data.get("checklist", ""),
                method=data.get("method", ""),
                planned_on=_date(data.get("planned_on"), "planned_on"),
                institution_id=bounded_id(data.get("institution")),
                notes=data.get("notes", ""),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            if assessment.status == AssessmentStatus.PLANNED:
                return redirect("hazards:assessment_detail", pk=assessment.pk)
            return redirect("hazards:assessment_fill", pk=assessment.pk)
    from yufang.funds.models import Institution

    return _render(
        request,
        "hazards/assessment_new.html",
        {
            "errors": errors,
            "data": data,
            "pick": pick,
            "checklists": selectors.checklists_current(),
            "methods": AssessmentMethod.choices,
            "institutions": Institution.objects.order_by("name")
            if _role(request) in OFFICIALS
            else [],
        },
    )


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The assessment report."""
    assessment = selectors.assessment_get(request.user, pk)
    report = selectors.assessment_report(assessment)
    if request.method == "POST" and request.POST.get("action") == "notice":
        try:
            notice = services.notice_issue(
                actor=request.user,
                enterprise=assessment.enterprise,
                hazards=[h for h in report["hazards"] if h.status in OPEN_STATUSES],
            )
        except InvalidInput as exc:
            messages.error(request, exc.message)
        else:
            return redirect("hazards:notice_pdf", pk=notice.pk)
    colour = report["score"].colour
    return _render(
        request,
        "hazards/assessment_detail.html",
        {
            "a": assessment,
            "r": report,
            "colour_css": COLOUR_CSS.get(colour, "bg-secondary") if colour else "bg-secondary",
            "may_fill": assessment.status in DRAFT_STATUSES
            and _role(request) in services.REPORTERS,
            "may_cancel": assessment.status in DRAFT_STATUSES
            and _role(request) in services.REPORTERS,
            "may_notice": _role(request) in services.INSPECTORS
            and any(h.status in OPEN_STATUSES for h in report["hazards"]),
        },
    )


@login_required
def assessment_fill(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone-friendly checklist form: one card per item, saved as often as wanted.

    The measurement and photo fields belong to the same form (HTML `form` attribute), so
    every button saves the answers given so far before it adds a measurement or a photo:
    nothing typed is lost, with or without JavaScript."""
    assessment = selectors.assessment_get(request.user, pk)
    if assessment.status not in DRAFT_STATUSES or _role(request) not in services.REPORTERS:
        return redirect("hazards:assessment_detail", pk=pk)
    errors: dict[str, str] = {}
    p = request.POST
    posted = request.method == "POST"
    if posted:
        action = p.get("action", "save")
        answers_saved = False
        try:
            given: dict[int, tuple[str, str]] = {}
            for item in assessment.checklist.items.all():
                result = p.get(f"item_{item.pk}", "")
                if result:
                    given[item.pk] = (result, p.get(f"note_{item.pk}", ""))
            services.assessment_record(
                actor=request.user,
                assessment=assessment,
                answers=given,
                notes=p.get("notes", assessment.notes),
                lec=(p.get("lec_l"), p.get("lec_e"), p.get("lec_c")),
                ls=(p.get("ls_l"), p.get("ls_s")),
            )
            answers_saved = True
            if action == "measurement" or p.get("value", "").strip():
                services.measurement_add(
                    actor=request.user,
                    assessment=assessment,
                    agent=p.get("agent", ""),
                    sample_type=p.get("sample_type", ""),
                    value=p.get("value", ""),
                    unit=p.get("unit", ""),
                    sampled_on=_date(p.get("sampled_on"), "sampled_on"),
                    location=p.get("location", ""),
                )
            upload = request.FILES.get("photo")
            if action == "photo" and upload is None:
                raise InvalidInput(_("Choose a photo."), "photo")
            if upload is not None:
                services.photo_add(
                    actor=request.user,
                    upload=upload,
                    kind=PhotoKind.FINDING,
                    assessment=assessment,
                    latitude=p.get("latitude"),
                    longitude=p.get("longitude"),
                )
            if action == "complete":
                hazards = services.assessment_complete(actor=request.user, assessment=assessment)
                messages.success(
                    request,
                    _("Assessment completed; %(n)s hazards registered.") % {"n": len(hazards)},
                )
                return redirect("hazards:assessment_detail", pk=pk)
        except InvalidInput as exc:
            errors = exc.errors
            if answers_saved:
                messages.info(request, _("Your answers are saved."))
        else:
            done = {
                "measurement": _("Measurement added; your answers are saved."),
                "photo": _("Photo added; your answers are saved."),
            }
            messages.success(request, done.get(action, _("Saved.")))
            anchor = {"measurement": "#measurements", "photo": "#photos"}.get(action, "")
            return redirect(reverse("hazards:assessment_fill", args=[pk]) + anchor)
        assessment = selectors.assessment_get(request.user, pk)
    answers = {a.item_id: a for a in assessment.answers.all()}
    rows = []
    for item in assessment.checklist.items.all():
        ans = answers.get(item.pk)
        if posted:  # a refused post shows what was typed, not what is stored
            rows.append((item, p.get(f"item_{item.pk}", ""), p.get(f"note_{item.pk}", "")))
        else:
            rows.append((item, ans.result if ans else "", ans.note if ans else ""))
    on = assessment.visited_on or timezone.localdate()
    scales = scoring.lec_scales(on)
    shown = {
        "lec_l": p.get("lec_l", "") if posted else _plain(assessment.lec_l),
        "lec_e": p.get("lec_e", "") if posted else _plain(assessment.lec_e),
        "lec_c": p.get("lec_c", "") if posted else _plain(assessment.lec_c),
        "ls_l": p.get("ls_l", "") if posted else _plain(assessment.ls_l),
        "ls_s": p.get("ls_s", "") if posted else _plain(assessment.ls_s),
        "notes": p.get("notes", "") if posted else assessment.notes,
    }
    return _render(
        request,
        "hazards/assessment_fill.html",
        {
            "a": assessment,
            "rows": rows,
            "results": AnswerResult.choices,
            "errors": errors,
            "shown": shown,
            "m": {
                "agent": p.get("agent", ""),
                "sample_type": p.get("sample_type", ""),
                "value": p.get("value", ""),
                "unit": p.get("unit", ""),
                "sampled_on": p.get("sampled_on", "") or timezone.localdate().isoformat(),
                "location": p.get("location", ""),
            },
            "lec_l": [(_plain(k), v) for k, v in sorted(scales["l"].items(), reverse=True)],
            "lec_e": [(_plain(k), v) for k, v in sorted(scales["e"].items(), reverse=True)],
            "lec_c": [(_plain(k), v) for k, v in sorted(scales["c"].items(), reverse=True)],
            "agents": sorted(scoring.agents(on).items()),
            "sample_types": SampleType.choices,
            "measurements": selectors.measurement_rows(assessment),
            "photos": assessment.photos.all(),
        },
    )


@require_POST
@login_required
def assessment_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancels a draft started by mistake (kept, marked cancelled, out of the lists)."""
    assessment = selectors.assessment_get(request.user, pk)
    try:
        services.assessment_cancel(
            actor=request.user, assessment=assessment, reason=request.POST.get("reason", "")
        )
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Assessment cancelled."))
    return redirect("hazards:assessment_detail", pk=pk)


def _plain(value: Any) -> str:
    """A number as the form's option values write it ("" for none): 3, 0.5, 10."""
    if value is None or value == "":
        return ""
    return f"{Decimal(str(value)).normalize():f}"


# --- checklists -------------------------------------------------------------------------------


@login_required
def checklist_list(request: HttpRequest) -> HttpResponse:
    return _render(
        request,
        "hazards/checklist_list.html",
        {"checklists": selectors.checklists_current()},
    )


@login_required
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get(pk)
    return _render(
        request,
        "hazards/checklist_detail.html",
        {
            "c": checklist,
            "items": checklist.items.all(),
            "versions": selectors.checklist_versions(checklist.key),
            "may_edit": _role(request) in services.CHECKLIST_EDITORS,
        },
    )


@login_required
def checklist_edit(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get(pk)
    if _role(request) not in services.CHECKLIST_EDITORS:
        raise PermissionDenied(_("Only province and city officials may edit checklists."))
    errors: dict[str, str] = {}
    if request.method == "POST":
        p = request.POST
        texts = p.getlist("text")
        bases = p.getlist("legal_basis")
        majors = set(p.getlist("is_major"))
        confirmed = set(p.getlist("is_confirmed"))
        items = [
            services.ItemInput(
                text=t,
                legal_basis=bases[i] if i < len(bases) else "",
                is_major=str(i) in majors,
                is_confirmed=str(i) in confirmed,
            )
            for i, t in enumerate(texts)
            if t.strip() or str(i) in majors
        ]
        try:
            effective = _date(p.get("effective_from"), "effective_from")
            if effective is None:
                raise InvalidInput(
                    _("Give the date the new version takes effect."), "effective_from"
                )
            new = services.checklist_revise(
                actor=request.user,
                checklist=checklist,
                items=items,
                effective_from=effective,
                change_note=p.get("change_note", ""),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Version %(v)s saved.") % {"v": new.version})
            return redirect("hazards:checklist_detail", pk=new.pk)
    return _render(
        request,
        "hazards/checklist_edit.html",
        {
            "c": checklist,
            "items": list(checklist.items.all()),
            "errors": errors,
            "today": timezone.localdate(),
        },
    )


# --- uploaded files -----------------------------------------------------------------------------


@login_required
def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A hazard or assessment photo, to those who may see its hazard or assessment (404
    otherwise)."""
    return private_file_response(selectors.photo_get(request.user, pk).image_path)


# --- notices ----------------------------------------------------------------------------------


@login_required
def notice_issuers(request: HttpRequest) -> HttpResponse:
    """Who issues each region's rectification notices, and its seal (province and city
    officials)."""
    if _role(request) not in services.ISSUER_EDITORS:
        raise PermissionDenied(_("Province and city officials configure the issuing authority."))
    rows = selectors.notice_issuer_rows(request.user)
    by_code = {r.region.code: r for r in rows}
    errors: dict[str, str] = {}
    p = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        row = by_code.get(p.get("region", ""))
        try:
            if row is None:
                raise InvalidInput(_("Choose a city or county."), "region")
            services.notice_issuer_set(
                actor=request.user,
                region=row.region,
                name=p.get("name", ""),
                seal=request.FILES.get("seal"),
                remove_seal=p.get("remove_seal") == "1",
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Notices of %(region)s are now issued by %(name)s.")
                % {"region": row.region.name, "name": p.get("name", "").strip()},
            )
            return redirect("hazards:notice_issuers")
    chosen = by_code.get(p.get("region", ""))
    return _render(
        request,
        "hazards/notice_issuers.html",
        {
            "rows": rows,
            "errors": errors,
            "chosen": chosen,
            "name": p.get("name", "")
            if request.method == "POST"
            else (chosen.name if chosen else ""),
        },
    )


@login_required
def notice_issuer_seal(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A configured seal image, to those who may configure its region (404 otherwise)."""
    issuer = get_object_or_404(NoticeIssuer.objects.select_related("region"), pk=pk)
    if not issuer.seal_path or not services.may_configure_issuer(request.user, issuer.region):
        raise Http404
    return private_file_response(issuer.seal_path)


@login_required
def notice_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(request.user, pk)
    body = notice_pdf(notice, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.number}.pdf"'
    return response


def notice_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: anyone holding the printed notice sees whether it is genuine and where its
    hazards stand. No personal data: no names of people, no photos."""
    pk = notice_from_token(token)
    notice = (
        RectificationNotice.objects.select_related("enterprise").filter(pk=pk).first()
        if pk
        else None
    )
    if notice is None:
        raise Http404(_("This notice is not genuine."))
    return _render(
        request,
        "hazards/notice_verify.html",
        {"notice": notice, "hazards": notice.hazards.order_by("deadline", "id")},
    )


# --- statistics -------------------------------------------------------------------------------

STAT_HEADERS = [
    "统计期",
    "市",
    "县区",
    "企业",
    "统一社会信用代码",
    "新增一般隐患",
    "新增重大隐患",
    "销号一般隐患",
    "销号重大隐患",
    "期末未销号",
    "期末逾期",
]


@login_required
def statistics_view(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    may_generate = _role(request) in OFFICIALS
    if request.method == "POST":
        if not may_generate:
            raise PermissionDenied(_("Officials generate statistics."))
        p = request.POST
        kind = p.get("kind", "")
        try:
            year = bounded_year(p.get("year"))
            if year is None:
                raise InvalidInput(_("Give the year."), "year")
            quarter = bounded_int(p.get("quarter"), low=1, high=4)
            if kind not in PeriodKind.values:
                raise InvalidInput(_("Choose quarterly or annual."), "kind")
            services.statistics_generate(kind=kind, year=year, quarter=quarter)
            start, _end = services.period_bounds(kind, year, quarter)
        except InvalidInput as exc:
            errors = exc.errors
        else:
            return redirect("hazards:statistics_period", kind=kind, start=start.isoformat())
    return _render(
        request,
        "hazards/statistics.html",
        {
            "periods": selectors.statistics_periods(),
            "errors": errors,
            "may_generate": may_generate,
            "year": timezone.localdate().year,
        },
    )


@login_required
def statistics_period(request: HttpRequest, kind: str, start: str) -> HttpResponse:
    try:
        period_start = dt.date.fromisoformat(start)
    except ValueError as exc:
        raise Http404 from exc
    if kind not in PeriodKind.values:
        raise Http404
    rows = selectors.statistics_rows(request.user, kind=kind, period_start=period_start)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("hazard statistics"),
            STAT_HEADERS,
            (
                [
                    f"{r.period_start}~{r.period_end}",
                    r.city.name,
                    r.county.name,
                    r.enterprise.name,
                    r.enterprise.credit_code,
                    r.found_ordinary,
                    r.found_major,
                    r.closed_ordinary,
                    r.closed_major,
                    r.open_at_end,
                    r.overdue_at_end,
                ]
                for r in rows.order_by("county__code", "enterprise__name")
            ),
        )
    first = rows.first()
    page = Paginator(rows.order_by("county__code", "enterprise__name"), 50).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "hazards/statistics_period.html",
        {
            "kind": kind,
            "kind_label": PeriodKind(kind).label,
            "period_start": period_start,
            "period_end": first.period_end if first else None,
            "due": services.statistics_due(kind, first.period_end) if first else None,
            "regions": selectors.statistics_by_region(rows),
            "page_obj": page,
        },
    )


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
    return redirect("hazards:hazard_detail", pk=escalation.hazard_id)
