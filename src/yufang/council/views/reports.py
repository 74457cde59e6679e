"""The five-year plan's yearly progress reports: the list, one report (figures from the
platform, editable text), and its Word and PDF documents."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.council import may_run_joint_meeting
from yufang.council import documents, selectors, services
from yufang.council.models import ReportStatus
from yufang.council.selectors.reports import due_date, report_figures, report_get, reports_visible
from yufang.council.views.common import render_page
from yufang.lib.errors import InvalidInput


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    selectors.require_reader(request.user)
    region = getattr(request.user, "region", None)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            if region is None:
                raise PermissionDenied(_("Only a region's officials write its report."))
            report = services.yearly_report_create(
                actor=request.user, region=region, year=request.POST.get("year", "")
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Report started."))
            return redirect("council:report", pk=report.pk)
    year = timezone.localdate().year
    return render_page(
        request,
        "council/reports.html",
        {
            "tab": "reports",
            "reports": reports_visible(request.user)[:50],
            "may_create": region is not None
            and may_run_joint_meeting(request.user, region_id=region.pk),
            "this_year": year,
            "due": due_date(year),
            "errors": errors,
        },
    )


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    r = report_get(request.user, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "submit":
                services.yearly_report_submit(actor=request.user, report=r)
                messages.success(request, _("Report submitted to the province."))
            else:
                services.yearly_report_update(
                    actor=request.user,
                    report=r,
                    **{k: p.get(k) for k in ("summary", "joint_work", "problems", "next_year")},
                )
                messages.success(request, _("Report saved."))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            return redirect("council:report", pk=r.pk)
    return render_page(
        request,
        "council/report.html",
        {
            "tab": "reports",
            "r": r,
            "figures": report_figures(request.user, r),
            "may_edit": r.status == ReportStatus.DRAFT
            and may_run_joint_meeting(request.user, region_id=r.region_id),
            "errors": errors,
        },
    )


def _document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    r = report_get(request.user, pk)
    body, content_type, name = documents.report_document(r, report_figures(request.user, r), fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def report_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _document(request, pk, "docx")


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _document(request, pk, "pdf")
