"""The API's tasks and progress, work plans, shared data, the exchange and yearly reports."""

from typing import Any
from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import File, Form, Query, Status
from ninja.files import UploadedFile

from yufang.accounts.scoping import home_region
from yufang.council import documents, selectors, services
from yufang.council.api.common import (
    CouncilTaskDetailOut,
    CouncilTaskFilterIn,
    CouncilTaskIn,
    CouncilTaskOut,
    DocumentFormat,
    ExchangeRowOut,
    ImportOut,
    ReopenIn,
    SourceOut,
    WorkPlanDetailOut,
    WorkPlanIn,
    WorkPlanItemIn,
    WorkPlanOut,
    YearlyReportDetailOut,
    YearlyReportIn,
    YearlyReportOut,
    YearlyReportPatch,
    _api_fields,
    _department,
    _plan_out,
    _region_for,
    _task_detail,
    _task_out,
    router,
)
from yufang.council.models import (
    Resolution,
    YearlyReport,
)
from yufang.council.selectors.exchange import exchange_rows
from yufang.council.selectors.reports import report_figures, report_get, reports_visible
from yufang.council.selectors.shared import shared_data
from yufang.council.sources import sources
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region
from yufang.support.bounds import Id, Year, paginated
from yufang.support.http import private_file_response

# --- tasks and progress ---------------------------------------------------------------------


@router.post("/resolutions/{resolution_id}/tasks", response={201: CouncilTaskOut})
def task_create(request: HttpRequest, resolution_id: Id, payload: CouncilTaskIn) -> Status:
    """Assigns a task to a member department; without `department_id` or `deadline`: 422."""
    selectors.require_reader(request.user)
    resolution = get_object_or_404(
        Resolution.objects.filter(meeting__in=selectors.meetings_visible(request.user)),
        pk=resolution_id,
    )
    try:
        task = services.task_create(
            actor=request.user,
            resolution=resolution,
            department=_department(payload.department_id),
            title=payload.title,
            deadline=payload.deadline,
        )
    except InvalidInput as exc:
        raise _api_fields(exc, department="department_id") from exc
    return Status(201, _task_out(task))


@router.get("/tasks", response=list[CouncilTaskOut])
@paginated(100)
def tasks(request: HttpRequest, filters: Query[CouncilTaskFilterIn]):  # type: ignore[no-untyped-def]
    """The tasks the caller reads (a liaison: its department's), by meeting, department and
    status (open, done, overdue)."""
    selectors.require_reader(request.user)
    board = selectors.task_board(
        request.user,
        selectors.BoardFilter(
            meeting=filters.meeting_id, department=filters.department_id, status=filters.status
        ),
    )
    return [_task_out(t) for t in board["tasks"]]


@router.get("/tasks/{council_task_id}", response=CouncilTaskDetailOut)
def task(request: HttpRequest, council_task_id: Id) -> dict[str, Any]:
    return _task_detail(selectors.task_get(request.user, council_task_id))


@router.post("/tasks/{council_task_id}/reports", response={201: CouncilTaskDetailOut})
def progress_report(
    request: HttpRequest,
    council_task_id: Id,
    note: str = Form(..., max_length=5000),
    completes: bool = Form(False),
    evidence: UploadedFile | None = File(None),  # noqa: B008 - Ninja reads the default
) -> Status:
    """The assigned department's liaison reports progress (multipart: `note`, `completes`,
    `evidence`); anyone else 403; completing needs evidence."""
    t = selectors.task_get(request.user, council_task_id)
    services.progress_report(
        actor=request.user, task=t, note=note, evidence=evidence, completes=completes
    )
    return Status(201, _task_detail(selectors.task_get(request.user, council_task_id)))


@router.post("/tasks/{council_task_id}/reopen", response=CouncilTaskDetailOut)
def task_reopen(request: HttpRequest, council_task_id: Id, payload: ReopenIn) -> dict[str, Any]:
    t = selectors.task_get(request.user, council_task_id)
    try:
        services.task_reopen(actor=request.user, task=t, reason=payload.reason)
    except InvalidInput as exc:
        raise _api_fields(exc, note="reason") from exc
    return _task_detail(selectors.task_get(request.user, council_task_id))


@router.get("/evidence/{council_report_id}", response={200: None})
def evidence_file(request: HttpRequest, council_report_id: Id) -> HttpResponseBase:
    return private_file_response(
        selectors.evidence_get(request.user, council_report_id).evidence_path
    )


# --- work plans -----------------------------------------------------------------------------


@router.get("/plans", response=list[WorkPlanOut])
def plans(request: HttpRequest, year: Year | None = None) -> list[dict[str, Any]]:
    selectors.require_reader(request.user)
    qs = selectors.plans_visible(request.user)
    if year:
        qs = qs.filter(year=year)
    return [_plan_out(request, p) for p in qs[:100]]


@router.post("/plans", response={201: WorkPlanDetailOut})
def plan_create(request: HttpRequest, payload: WorkPlanIn) -> Status:
    selectors.require_reader(request.user)
    plan = services.work_plan_create(
        actor=request.user,
        region=_region_for(request, payload.region),
        year=payload.year,
        title=payload.title,
    )
    return Status(201, _plan_out(request, plan, items=True))


@router.get("/plans/{work_plan_id}", response=WorkPlanDetailOut)
def plan(request: HttpRequest, work_plan_id: Id) -> dict[str, Any]:
    return _plan_out(request, selectors.plan_get(request.user, work_plan_id), items=True)


@router.get("/plans/{work_plan_id}/sources", response=list[SourceOut])
def plan_sources(request: HttpRequest, work_plan_id: Id) -> list[dict[str, Any]]:
    """What the plan's items can be linked to: each source and its options for the plan's
    region and year."""
    p = selectors.plan_get(request.user, work_plan_id)
    return [
        {
            "kind": s.kind,
            "label": str(s.label),
            "options": [
                {"reference": k, "label": v} for k, v in s.options(request.user, p.region, p.year)
            ],
        }
        for s in sources()
    ]


@router.post("/plans/{work_plan_id}/items", response={201: WorkPlanDetailOut})
def plan_item_add(request: HttpRequest, work_plan_id: Id, payload: WorkPlanItemIn) -> Status:
    p = selectors.plan_get(request.user, work_plan_id)
    try:
        services.work_plan_item_add(
            actor=request.user,
            plan=p,
            title=payload.title,
            source=payload.source,
            reference=payload.reference,
            department=_department(payload.department_id),
        )
    except InvalidInput as exc:
        raise _api_fields(exc, department="department_id") from exc
    return Status(201, _plan_out(request, p, items=True))


@router.delete("/plans/{work_plan_id}/items/{plan_item_id}", response={204: None})
def plan_item_remove(request: HttpRequest, work_plan_id: Id, plan_item_id: Id) -> Status:
    p = selectors.plan_get(request.user, work_plan_id)
    item = get_object_or_404(p.items, pk=plan_item_id)
    services.work_plan_item_remove(actor=request.user, item=item)
    return Status(204, None)


# --- shared data and the yearly exchange ----------------------------------------------------


@router.get("/shared", response=dict[str, Any])
def shared(request: HttpRequest, year: Year | None = None) -> dict[str, Any]:
    """The shared data of the caller's remit (a liaison: its department's), read-only."""
    selectors.require_reader(request.user)
    data = shared_data(request.user, year=year or timezone.localdate().year)
    data["remit"] = list(data["remit"])
    fee = data.get("fee")
    if fee is not None:
        data["fee"] = {
            "regions": [
                {
                    k: str(v)
                    for k, v in r.items()
                    if k in ("code", "name", "cap", "total", "committed", "paid")
                }
                for r in fee.get("regions", [])
            ]
        }
    return data


def _exchange_region(request: HttpRequest) -> Region:
    selectors.require_reader(request.user)
    region = home_region(request.user)
    if region is None:
        raise Http404
    return region


@router.get("/exchange", response=list[ExchangeRowOut])
def exchange(request: HttpRequest, year: Year | None = None) -> list[dict[str, Any]]:
    """The yearly data exchange of the caller's region (default: last year)."""
    region = _exchange_region(request)
    rows = exchange_rows(request.user, region, year or timezone.localdate().year - 1)
    keys = ("region", "region_name", "year", "kind", "cases", "deaths", "supplier", "note")
    return [
        {
            **dict(zip(keys, row, strict=True)),
            "cases": row[4] if row[4] != "" else None,
            "deaths": row[5] if row[5] != "" else None,
        }
        for row in rows
    ]


@router.post("/exchange", response={201: ImportOut})
def exchange_import(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """Imports figures (multipart `file`, CSV or Excel); all or nothing, errors name rows."""
    region = _exchange_region(request)
    count = services.exchange_import(actor=request.user, region=region, data=file.read())
    return Status(201, {"imported": count})


# --- yearly reports -------------------------------------------------------------------------


def _yearly_out(request: HttpRequest, r: YearlyReport, *, figures: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": r.pk,
        "region": r.region.code,
        "year": r.year,
        "status": r.status,
        "summary": r.summary,
        "joint_work": r.joint_work,
        "problems": r.problems,
        "next_year": r.next_year,
        "submitted_at": r.submitted_at,
    }
    if figures:
        f = report_figures(request.user, r)
        out["due"] = f["due"]
        out["figures"] = {
            "targets": f["targets"],
            "training": f["training"],
            "hazards": f["hazards"],
            "tasks": f["tasks"],
            "plan_completion_percent": f["plan_percent"],
            "fee": {
                k: str(v)
                for k, v in (f["fee"] or {}).items()
                if k in ("cap", "total", "committed", "paid")
            }
            or None,
        }
    return out


@router.get("/reports", response=list[YearlyReportOut])
def yearly_reports(request: HttpRequest) -> list[dict[str, Any]]:
    selectors.require_reader(request.user)
    return [_yearly_out(request, r) for r in reports_visible(request.user)[:100]]


@router.post("/reports", response={201: YearlyReportDetailOut})
def yearly_report_create(request: HttpRequest, payload: YearlyReportIn) -> Status:
    selectors.require_reader(request.user)
    r = services.yearly_report_create(
        actor=request.user, region=_region_for(request, payload.region), year=payload.year
    )
    return Status(201, _yearly_out(request, r, figures=True))


@router.get("/reports/{yearly_report_id}", response=YearlyReportDetailOut)
def yearly_report(request: HttpRequest, yearly_report_id: Id) -> dict[str, Any]:
    return _yearly_out(request, report_get(request.user, yearly_report_id), figures=True)


@router.patch("/reports/{yearly_report_id}", response=YearlyReportDetailOut)
def yearly_report_update(
    request: HttpRequest, yearly_report_id: Id, payload: YearlyReportPatch
) -> dict[str, Any]:
    r = report_get(request.user, yearly_report_id)
    r = services.yearly_report_update(
        actor=request.user, report=r, **payload.dict(exclude_unset=True)
    )
    return _yearly_out(request, r, figures=True)


@router.post("/reports/{yearly_report_id}/submit", response=YearlyReportDetailOut)
def yearly_report_submit(request: HttpRequest, yearly_report_id: Id) -> dict[str, Any]:
    r = report_get(request.user, yearly_report_id)
    return _yearly_out(
        request, services.yearly_report_submit(actor=request.user, report=r), figures=True
    )


@router.get("/reports/{yearly_report_id}/document", response={200: None})
def yearly_report_document(
    request: HttpRequest, yearly_report_id: Id, format: DocumentFormat = "docx"
) -> HttpResponse:
    """The report as a Word (`format=docx`) or PDF (`format=pdf`) document."""
    r = report_get(request.user, yearly_report_id)
    body, content_type, name = documents.report_document(r, report_figures(request.user, r), format)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
