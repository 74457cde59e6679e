"""Assessment pages: the list, planning or starting one, filling it in on site, its report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.scoping.hazards import assessment_actions, may_report_hazards
from yufang.accounts.scoping.institutions import institutions_pickable
from yufang.hazards import scoring, selectors, services
from yufang.hazards.models import (
    DRAFT_STATUSES,
    OPEN_STATUSES,
    AnswerResult,
    AssessmentMethod,
    AssessmentStatus,
    PhotoKind,
    SampleType,
)
from yufang.hazards.views.common import (
    COLOUR_CSS,
    OFFICIALS,
    _date,
    _enterprise_pick,
    _plain,
    _render,
    _role,
)
from yufang.lib.errors import InvalidInput
from yufang.support.bounds import bounded_id


@login_required
def assessments_view(request: HttpRequest) -> HttpResponse:
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
            "may_create": may_report_hazards(request.user),
        },
    )


@login_required
def assessment_new(request: HttpRequest) -> HttpResponse:
    if not may_report_hazards(request.user):
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
                return redirect("hazards:assessment", pk=assessment.pk)
            return redirect("hazards:assessment_fill", pk=assessment.pk)
    return _render(
        request,
        "hazards/assessment_new.html",
        {
            "errors": errors,
            "data": data,
            "pick": pick,
            "checklists": selectors.checklists_current(),
            "methods": AssessmentMethod.choices,
            "institutions": institutions_pickable(request.user)
            if _role(request) in OFFICIALS
            else [],
        },
    )


@login_required
def assessment(request: HttpRequest, pk: int) -> HttpResponse:
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
            **assessment_actions(
                request.user,
                is_draft=assessment.status in DRAFT_STATUSES,
                has_open_hazards=any(h.status in OPEN_STATUSES for h in report["hazards"]),
            ),
        },
    )


@login_required
def assessment_fill(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone-friendly checklist form: one card per item, saved as often as wanted.

    The measurement and photo fields belong to the same form (HTML `form` attribute), so
    every button saves the answers given so far before it adds a measurement or a photo:
    nothing typed is lost, with or without JavaScript."""
    assessment = selectors.assessment_get(request.user, pk)
    if assessment.status not in DRAFT_STATUSES or not may_report_hazards(request.user):
        return redirect("hazards:assessment", pk=pk)
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
                return redirect("hazards:assessment", pk=pk)
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
    return redirect("hazards:assessment", pk=pk)
