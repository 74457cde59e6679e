"""The signed-in pages: the board (bureau) or the enterprise's list, reporting an accident,
applying, an application's page with the bureau's steps, its files and decision letter."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.recognition import (
    applicant_phone_shown,
    may_act_for_enterprise,
    may_handle_recognition,
    recognition_role,
    require_recognition_reader,
)
from yufang.enterprises.forms import EnterprisePickForm
from yufang.lib.errors import InvalidInput
from yufang.lib.protected import phone_mask
from yufang.recognition import clock, selectors, services
from yufang.recognition.models import ApplicantKind, ApplicationStatus, MaterialKind
from yufang.recognition.views.common import (
    NO_INITIAL,
    application_case_fields,
    choices,
    letter_response,
    parse_date,
    parse_datetime,
    render_page,
    uploads,
)
from yufang.support.bounds import bounded_id
from yufang.support.http import private_file_response


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The bureau's board, or the enterprise's reports and applications."""
    require_recognition_reader(request.user)
    role = recognition_role(request.user)
    q = request.GET.get("q", "")
    if role == "enterprise":
        reports = selectors.reports_with_flags(selectors.reports_visible(request.user)[:50])
        apps = clock.with_clock(
            selectors.search_filter(selectors.applications_visible(request.user), q)[:100]
        )
        return render_page(
            request,
            "recognition/enterprise.html",
            {"reports": reports, "applications": apps, "q": q},
        )
    figures = selectors.board(request.user)
    reports = selectors.reports_with_flags(selectors.reports_visible(request.user)[:20])
    return render_page(
        request,
        "recognition/board.html",
        {"f": figures, "reports": reports, "may_write": role == "bureau"},
    )


def _require_writer(request: HttpRequest) -> None:
    """The auditor reads and never writes: a form posted by a reader is refused (403)."""
    if recognition_role(request.user) not in ("enterprise", "bureau"):
        raise PermissionDenied(_("Your role may read but not change records."))


def _pick(request: HttpRequest) -> EnterprisePickForm:
    """The enterprise picker of an official's form (the enterprises they may work at)."""
    if request.method == "POST":
        return EnterprisePickForm(request.POST, user=request.user)
    return EnterprisePickForm(
        initial={"enterprise": request.GET.get("enterprise", "")}, user=request.user
    )


def _enterprise_for(request: HttpRequest) -> Any:
    """The enterprise a form names: the safety manager's own, or the one an official picked."""
    user: Any = request.user
    if recognition_role(user) == "enterprise":
        return user.enterprise
    return _pick(request).enterprise_or_error()


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    require_recognition_reader(request.user)
    _require_writer(request)
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        try:
            report = services.report_create(
                actor=request.user,
                enterprise=_enterprise_for(request),
                occurred_at=parse_datetime(data.get("occurred_at"), "occurred_at"),
                place=data.get("place", ""),
                description=data.get("description", ""),
                deaths=data.get("deaths", "0"),
                serious_injuries=data.get("serious_injuries", "0"),
                minor_injuries=data.get("minor_injuries", "0"),
                missing=data.get("missing", "0"),
                direct_loss=data.get("direct_loss", "0"),
                measures=data.get("measures", ""),
                late_reason=data.get("late_reason", ""),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Accident reported."))
            return redirect("recognition:report_detail", pk=report.pk)
    return render_page(
        request,
        "recognition/report_new.html",
        {
            "errors": errors,
            "data": data,
            "pick_enterprise": recognition_role(request.user) == "bureau",
            "pick": _pick(request),
        },
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get(request.user, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        _require_writer(request)
        action = request.POST.get("action", "")
        try:
            if action == "extension_request":
                services.report_extension_request(
                    actor=request.user, report=report, reason=request.POST.get("reason", "")
                )
            elif action == "extension_approve":
                services.report_extension_approve(
                    actor=request.user,
                    report=report,
                    until=parse_date(request.POST.get("until"), "extended_until"),
                )
            else:
                raise InvalidInput(_("Unknown action."))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Saved."))
            return redirect("recognition:report_detail", pk=pk)
    report = selectors.reports_with_flags([selectors.report_get(request.user, pk)])[0]
    return render_page(
        request,
        "recognition/report_detail.html",
        {
            "report": report,
            "errors": errors,
            "applications": clock.with_clock(
                selectors.applications_visible(request.user).filter(accident_report=report)
            ),
            "may_apply": may_act_for_enterprise(request.user, report.enterprise),
            "may_approve": may_handle_recognition(request.user, report.enterprise),
        },
    )


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    require_recognition_reader(request.user)
    _require_writer(request)
    role = recognition_role(request.user)
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else request.GET
    report = None
    report_id = bounded_id(data.get("report"))
    if report_id is not None:
        report = selectors.report_get(request.user, report_id)
    if request.method == "POST":
        try:
            enterprise = report.enterprise if report else _enterprise_for(request)
            application = services.application_submit(
                actor=request.user,
                enterprise=enterprise,
                accident_report=report,
                applicant_kind=data.get("applicant_kind", ApplicantKind.EMPLOYER),
                applicant_name=data.get("applicant_name", ""),
                applicant_phone=data.get("applicant_phone", ""),
                **application_case_fields(request),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Application submitted."))
            return redirect("recognition:application_detail", pk=application.pk)
    initial: dict[str, Any] = NO_INITIAL
    if report is not None:
        initial = {
            "accident_date": timezone.localdate(report.occurred_at).isoformat(),
            "accident_place": report.place,
            "description": report.description,
            "limit": clock.report_application_limit(report),
        }
    user: Any = request.user
    return render_page(
        request,
        "recognition/application_new.html",
        {
            "errors": errors,
            "data": data,
            "report": report,
            "initial": initial,
            "pick_enterprise": role == "bureau" and report is None,
            "pick": _pick(request),
            "applicant_name": getattr(user.enterprise, "name", "") if role == "enterprise" else "",
            "required": services.required_materials(timezone.localdate()),
            **choices(),
        },
    )


def _events(application: Any) -> list[Any]:
    rows = list(application.events.select_related("actor"))
    for e in rows:
        e.to_label = ApplicationStatus(e.to_status).label
    return rows


def _application_context(request: HttpRequest, application: Any) -> dict[str, Any]:
    missing = services.missing_materials(application)
    shown = applicant_phone_shown(request.user)
    phone = application.applicant_phone
    return {
        "a": application,
        "clock": clock.clock_of(application),
        "can": selectors.application_actions(request.user, application),
        "materials": application.materials.all(),
        "missing": [MaterialKind(m).label for m in missing],
        "missing_codes": missing,
        "requested": [
            MaterialKind(m).label
            for m in application.requested_materials
            if m in MaterialKind.values
        ],
        "events": _events(application),
        "suspensions": application.suspensions.all(),
        "pauses": application.limit_pauses.all(),
        "phone": phone if shown == "full" else (phone_mask(phone) if phone else ""),
        "case_number_default": services.case_number_default(application),
        **choices(),
    }


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = selectors.application_get(request.user, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        _require_writer(request)
        p = request.POST
        user = request.user
        action = p.get("action", "")
        try:
            if action == "upload":
                files = uploads(request)
                if not files:
                    raise InvalidInput(_("Choose a file."), "file")
                for kind, upload in files:
                    services.material_add(
                        actor=user, application=application, kind=kind, upload=upload
                    )
            elif action == "supplement":
                services.application_supplement(
                    actor=user, application=application, note=p.get("note", "")
                )
            elif action == "request":
                services.application_request_materials(
                    actor=user,
                    application=application,
                    materials=p.getlist("materials"),
                    note=p.get("note", ""),
                )
            elif action == "accept":
                services.application_accept(
                    actor=user, application=application, is_clear_case=p.get("clear") == "1"
                )
            elif action == "refuse":
                services.application_refuse(
                    actor=user, application=application, reason=p.get("reason", "")
                )
            elif action == "suspend":
                services.application_suspend(
                    actor=user, application=application, reason=p.get("reason", "")
                )
            elif action == "resume":
                services.application_resume(actor=user, application=application)
            elif action == "pause":
                services.application_pause_record(
                    actor=user,
                    application=application,
                    started_on=parse_date(p.get("started_on"), "started_on"),
                    ended_on=parse_date(p.get("ended_on"), "ended_on"),
                    reason=p.get("reason", ""),
                    evidence=p.get("evidence", ""),
                )
            elif action == "decide":
                if p.get("decision") not in ("recognised", "not_recognised"):
                    raise InvalidInput(_("Choose the decision."), "status")
                services.application_decide(
                    actor=user,
                    application=application,
                    recognised=p.get("decision") == "recognised",
                    reason=p.get("reason", ""),
                    case_number=p.get("case_number", ""),
                )
            else:
                raise InvalidInput(_("Unknown action."))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Saved."))
            return redirect("recognition:application_detail", pk=pk)
        application = selectors.application_get(request.user, pk)
    return render_page(
        request,
        "recognition/application_detail.html",
        {**_application_context(request, application), "errors": errors, "post": request.POST},
    )


@login_required
def material(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An application's file, to those who may see the application (404 otherwise)."""
    return private_file_response(selectors.material_get(request.user, pk).file_path)


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """A letter of the bureau on the application as a PDF: the acceptance, the not-accepted
    or the decision letter (`?document=`; the latest without it)."""
    application = selectors.application_get(request.user, pk)
    return letter_response(application, request.GET.get("document", ""))
