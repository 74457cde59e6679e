"""The joint meeting's API: joint meetings, members and liaisons, meetings (record,
attendance, attachments, resolutions, closing), tasks and progress reports, work plans and their
sources, the shared data, the yearly data exchange and the yearly reports. Same services and
selectors as the pages; a record outside the caller's scope is 404, a role with no business
here 403, bad input 422 naming the field."""

import datetime as dt
from typing import Annotated, Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from yufang.accounts.models import Role, User
from yufang.accounts.scoping import home_region, regions_visible
from yufang.council import documents, selectors, services
from yufang.council.models import (
    CouncilTask,
    JointMeeting,
    Meeting,
    ProgressReport,
    Resolution,
    WorkPlan,
    YearlyReport,
)
from yufang.council.selectors.exchange import exchange_rows
from yufang.council.selectors.reports import report_figures, report_get, reports_visible
from yufang.council.selectors.shared import shared_data
from yufang.council.sources import sources
from yufang.lib.errors import InvalidInput
from yufang.organisations.models import Department
from yufang.regions.models import Region
from yufang.support.bounds import Code, Id, Name, Note, Text, Year, paginated
from yufang.support.http import private_file_response

router = Router(tags=["council"])
Title = Annotated[str, Field(max_length=300)]
DocumentFormat = Annotated[str, Field(pattern="^(docx|pdf)$")]


# --- schemas ----------------------------------------------------------------------------------


class LiaisonOut(Schema):
    user_id: int
    name: str
    position: str


class MemberOut(Schema):
    department_id: int
    department_code: str
    department: str
    remit: str
    liaisons: list[LiaisonOut]


class JointMeetingOut(Schema):
    id: int
    region: str
    region_name: str
    name: str
    convener: str


class JointMeetingDetailOut(JointMeetingOut):
    members: list[MemberOut]
    meetings: list[int]


class JointMeetingIn(Schema):
    region: Code = ""
    name: Name = ""
    convener: Name = ""


class MemberIn(Schema):
    department_id: Id
    remit: Annotated[str, Field(max_length=500)] = ""


class LiaisonIn(Schema):
    department_id: Id
    user_id: Id
    position: Annotated[str, Field(max_length=100)] = ""


class MeetingIn(Schema):
    title: Title
    held_on: dt.date
    place: Name = ""
    agenda: Text = ""


class MeetingPatch(Schema):
    title: Title | None = None
    held_on: dt.date | None = None
    place: Name | None = None
    agenda: Text | None = None
    minutes: Text | None = None


class AttendanceOut(Schema):
    department_id: int
    department: str
    status: str
    attendee: str


class AttendanceIn(Schema):
    department_id: Id
    status: Code
    attendee: Annotated[str, Field(max_length=100)] = ""


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    uploaded_at: dt.datetime


class TaskOut(Schema):
    id: int
    resolution_id: int
    meeting_id: int
    department_id: int
    department: str
    title: str
    deadline: dt.date
    status: str
    is_overdue: bool
    done_at: dt.datetime | None


class ResolutionOut(Schema):
    id: int
    number: int
    text: str
    tasks: list[TaskOut]


class ResolutionIn(Schema):
    text: Annotated[str, Field(max_length=5000)]


class MeetingOut(Schema):
    id: int
    joint_meeting_id: int
    title: str
    held_on: dt.date
    place: str
    agenda: str
    minutes: str
    status: str
    closed_at: dt.datetime | None


class MeetingDetailOut(MeetingOut):
    attendance: list[AttendanceOut]
    attachments: list[AttachmentOut]
    resolutions: list[ResolutionOut]


class TaskIn(Schema):
    department_id: Id | None = None
    title: Title
    deadline: dt.date | None = None


class ReportOut(Schema):
    id: int
    department: str
    author: str
    note: str
    completes: bool
    evidence_name: str
    reported_at: dt.datetime


class TaskDetailOut(TaskOut):
    resolution: str
    reports: list[ReportOut]


class TaskFilterIn(Schema):
    meeting_id: Id | None = None
    department_id: Id | None = None
    status: Annotated[str, Field(max_length=10)] = ""


class ReopenIn(Schema):
    reason: Note


class PlanItemOut(Schema):
    id: int
    title: str
    source: str
    source_label: str
    reference: str
    reference_label: str
    department_id: int | None
    progress: float | None


class PlanOut(Schema):
    id: int
    region: str
    year: int
    title: str
    completion: float | None


class PlanDetailOut(PlanOut):
    items: list[PlanItemOut]


class PlanIn(Schema):
    year: Year
    title: Title = ""
    region: Code = ""


class PlanItemIn(Schema):
    title: Title
    source: Code
    reference: Annotated[str, Field(max_length=60)] = ""
    department_id: Id | None = None


class SourceOptionOut(Schema):
    reference: str
    label: str


class SourceOut(Schema):
    kind: str
    label: str
    options: list[SourceOptionOut]


class ExchangeRowOut(Schema):
    region: str
    region_name: str
    year: int
    kind: str
    cases: int | None
    deaths: int | None
    supplier: str
    note: str


class ImportOut(Schema):
    imported: int


class YearlyReportOut(Schema):
    id: int
    region: str
    year: int
    status: str
    summary: str
    joint_work: str
    problems: str
    next_year: str
    submitted_at: dt.datetime | None


class YearlyReportDetailOut(YearlyReportOut):
    due: dt.date
    figures: dict[str, Any]


class YearlyReportIn(Schema):
    year: Year
    region: Code = ""


class YearlyReportPatch(Schema):
    summary: Text | None = None
    joint_work: Text | None = None
    problems: Text | None = None
    next_year: Text | None = None


# --- helpers ----------------------------------------------------------------------------------


def _region_for(request: HttpRequest, code: str) -> Region:
    """The region a creation is for: the caller's own, or the one named (`region` code)
    among those the caller reads; the service then checks the caller runs it."""
    user: Any = request.user
    if code:
        found = regions_visible(user).filter(code=code).first()
        if found is None:
            raise Http404
        return found
    if user.region_id:
        return user.region  # type: ignore[no-any-return]
    if user.role == Role.ADMIN:
        raise InvalidInput(_("Name the region."), "region")
    raise PermissionDenied(_("Only the officials of a region run its joint meeting."))


def _api_fields(exc: InvalidInput, **names: str) -> InvalidInput:
    """The service's error with its fields named as the API's body names them."""
    return InvalidInput({names.get(k, k): v for k, v in exc.errors.items()})


def _department(pk: int | None) -> Department | None:
    return Department.objects.filter(pk=pk).first() if pk else None


def _joint_meeting_out(jm: JointMeeting) -> dict[str, Any]:
    return {
        "id": jm.pk,
        "region": jm.region.code,
        "region_name": jm.region.name,
        "name": jm.name,
        "convener": jm.convener,
    }


def _joint_meeting_detail(jm: JointMeeting) -> dict[str, Any]:
    return {
        **_joint_meeting_out(jm),
        "members": [
            {
                "department_id": m.department_id,
                "department_code": m.department.code,
                "department": m.department.name,
                "remit": m.remit,
                "liaisons": [
                    {"user_id": lia.user_id, "name": str(lia.user), "position": lia.position}
                    for lia in m.liaisons.all()
                ],
            }
            for m in selectors.members_of(jm)
        ],
        "meetings": list(jm.meetings.order_by("-held_on").values_list("pk", flat=True)),
    }


def _task_out(t: CouncilTask) -> dict[str, Any]:
    return {
        "id": t.pk,
        "resolution_id": t.resolution_id,
        "meeting_id": t.resolution.meeting_id,
        "department_id": t.department_id,
        "department": t.department.name,
        "title": t.title,
        "deadline": t.deadline,
        "status": t.status,
        "is_overdue": selectors.is_overdue(t),
        "done_at": t.done_at,
    }


def _meeting_detail(request: HttpRequest, m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "joint_meeting_id": m.joint_meeting_id,
        "title": m.title,
        "held_on": m.held_on,
        "place": m.place,
        "agenda": m.agenda,
        "minutes": m.minutes,
        "status": m.status,
        "closed_at": m.closed_at,
        "attendance": [
            {
                "department_id": a.department_id,
                "department": a.department.name,
                "status": a.status,
                "attendee": a.attendee,
            }
            for a in m.attendance.select_related("department")
        ],
        "attachments": list(m.attachments.all()),
        "resolutions": [
            {
                "id": r.pk,
                "number": r.number,
                "text": r.text,
                "tasks": [_task_out(t) for t in r.visible_tasks],  # type: ignore[attr-defined]
            }
            for r in selectors.resolutions_of(request.user, m)
        ],
    }


def _task_detail(t: CouncilTask) -> dict[str, Any]:
    return {
        **_task_out(t),
        "resolution": f"{t.resolution.number}. {t.resolution.text}",
        "reports": [_report_out(r) for r in selectors.reports_of(t)],
    }


def _report_out(r: ProgressReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "department": r.department.name,
        "author": str(r.author or ""),
        "note": r.note,
        "completes": r.completes,
        "evidence_name": r.evidence_name,
        "reported_at": r.reported_at,
    }


def _plan_out(request: HttpRequest, plan: WorkPlan, *, items: bool = False) -> dict[str, Any]:
    progress = selectors.plan_progress(request.user, plan)
    out: dict[str, Any] = {
        "id": plan.pk,
        "region": plan.region.code,
        "year": plan.year,
        "title": plan.title,
        "completion": progress["overall"],
    }
    if items:
        out["items"] = [
            {
                "id": row.item.pk,
                "title": row.item.title,
                "source": row.item.source,
                "source_label": row.source_label,
                "reference": row.item.reference,
                "reference_label": row.reference_label,
                "department_id": row.item.department_id,
                "progress": row.progress,
            }
            for row in progress["items"]
        ]
    return out


# --- joint meetings, members, liaisons ----------------------------------------------------


@router.get("/joint-meetings", response=list[JointMeetingOut])
def joint_meetings(request: HttpRequest) -> list[dict[str, Any]]:
    selectors.require_reader(request.user)
    return [_joint_meeting_out(jm) for jm in selectors.joint_meetings_visible(request.user)[:500]]


@router.post("/joint-meetings", response={201: JointMeetingDetailOut})
def joint_meeting_create(request: HttpRequest, payload: JointMeetingIn) -> Status:
    """Sets up the joint meeting of the caller's region (province-wide callers name one)."""
    selectors.require_reader(request.user)
    jm = services.joint_meeting_create(
        actor=request.user,
        region=_region_for(request, payload.region),
        name=payload.name,
        convener=payload.convener,
    )
    return Status(201, _joint_meeting_detail(jm))


@router.get("/joint-meetings/{joint_meeting_id}", response=JointMeetingDetailOut)
def joint_meeting(request: HttpRequest, joint_meeting_id: Id) -> dict[str, Any]:
    return _joint_meeting_detail(selectors.joint_meeting_get(request.user, joint_meeting_id))


@router.post("/joint-meetings/{joint_meeting_id}/members", response={201: JointMeetingDetailOut})
def member_add(request: HttpRequest, joint_meeting_id: Id, payload: MemberIn) -> Status:
    jm = selectors.joint_meeting_get(request.user, joint_meeting_id)
    department = _department(payload.department_id)
    if department is None:
        raise InvalidInput(_("No such department."), "department_id")
    services.membership_add(
        actor=request.user, joint_meeting=jm, department=department, remit=payload.remit
    )
    return Status(201, _joint_meeting_detail(jm))


@router.post("/joint-meetings/{joint_meeting_id}/liaisons", response={201: JointMeetingDetailOut})
def liaison_add(request: HttpRequest, joint_meeting_id: Id, payload: LiaisonIn) -> Status:
    jm = selectors.joint_meeting_get(request.user, joint_meeting_id)
    membership = jm.memberships.filter(department_id=payload.department_id).first()
    if membership is None:
        raise InvalidInput(
            _("This department is not a member of the joint meeting."), "department_id"
        )
    user = User.objects.filter(pk=payload.user_id).first()
    try:
        services.liaison_add(
            actor=request.user, membership=membership, user=user, position=payload.position
        )
    except InvalidInput as exc:
        raise _api_fields(exc, user="user_id") from exc
    return Status(201, _joint_meeting_detail(jm))


# --- meetings -------------------------------------------------------------------------------


@router.get("/joint-meetings/{joint_meeting_id}/meetings", response=list[MeetingOut])
def meetings_of(request: HttpRequest, joint_meeting_id: Id) -> list[Meeting]:
    jm = selectors.joint_meeting_get(request.user, joint_meeting_id)
    return list(jm.meetings.order_by("-held_on", "-id")[:500])


@router.post("/joint-meetings/{joint_meeting_id}/meetings", response={201: MeetingDetailOut})
def meeting_create(request: HttpRequest, joint_meeting_id: Id, payload: MeetingIn) -> Status:
    jm = selectors.joint_meeting_get(request.user, joint_meeting_id)
    m = services.meeting_create(actor=request.user, joint_meeting=jm, **payload.dict())
    return Status(201, _meeting_detail(request, m))


@router.get("/meetings/{council_meeting_id}", response=MeetingDetailOut)
def meeting(request: HttpRequest, council_meeting_id: Id) -> dict[str, Any]:
    return _meeting_detail(request, selectors.meeting_get(request.user, council_meeting_id))


@router.patch("/meetings/{council_meeting_id}", response=MeetingDetailOut)
def meeting_update(
    request: HttpRequest, council_meeting_id: Id, payload: MeetingPatch
) -> dict[str, Any]:
    """Changes the meeting's record; a closed meeting answers 422 (its record is final)."""
    m = selectors.meeting_get(request.user, council_meeting_id)
    m = services.meeting_update(actor=request.user, meeting=m, **payload.dict(exclude_unset=True))
    return _meeting_detail(request, m)


@router.post("/meetings/{council_meeting_id}/attendance", response=MeetingDetailOut)
def attendance_record(
    request: HttpRequest, council_meeting_id: Id, payload: AttendanceIn
) -> dict[str, Any]:
    m = selectors.meeting_get(request.user, council_meeting_id)
    try:
        services.attendance_record(
            actor=request.user,
            meeting=m,
            department=_department(payload.department_id),
            status=payload.status,
            attendee=payload.attendee,
        )
    except InvalidInput as exc:
        raise _api_fields(exc, department="department_id") from exc
    return _meeting_detail(request, m)


@router.post("/meetings/{council_meeting_id}/attachments", response={201: AttachmentOut})
def attachment_add(
    request: HttpRequest, council_meeting_id: Id, file: File[UploadedFile]
) -> Status:
    """Attaches a file (multipart `file`: PDF, Word, Excel, PNG or JPEG)."""
    m = selectors.meeting_get(request.user, council_meeting_id)
    return Status(201, services.attachment_add(actor=request.user, meeting=m, upload=file))


@router.get("/attachments/{council_attachment_id}", response={200: None})
def attachment_file(request: HttpRequest, council_attachment_id: Id) -> HttpResponseBase:
    """The attachment's file (404 outside the caller's scope)."""
    return private_file_response(selectors.attachment_get(request.user, council_attachment_id).path)


@router.post("/meetings/{council_meeting_id}/resolutions", response={201: ResolutionOut})
def resolution_add(request: HttpRequest, council_meeting_id: Id, payload: ResolutionIn) -> Status:
    m = selectors.meeting_get(request.user, council_meeting_id)
    r = services.resolution_add(actor=request.user, meeting=m, text=payload.text)
    return Status(201, {"id": r.pk, "number": r.number, "text": r.text, "tasks": []})


@router.post("/meetings/{council_meeting_id}/close", response=MeetingDetailOut)
def meeting_close(request: HttpRequest, council_meeting_id: Id) -> dict[str, Any]:
    m = selectors.meeting_get(request.user, council_meeting_id)
    return _meeting_detail(request, services.meeting_close(actor=request.user, meeting=m))


# --- tasks and progress ---------------------------------------------------------------------


@router.post("/resolutions/{resolution_id}/tasks", response={201: TaskOut})
def task_create(request: HttpRequest, resolution_id: Id, payload: TaskIn) -> Status:
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


@router.get("/tasks", response=list[TaskOut])
@paginated(100)
def tasks(request: HttpRequest, filters: Query[TaskFilterIn]):  # type: ignore[no-untyped-def]
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


@router.get("/tasks/{council_task_id}", response=TaskDetailOut)
def task(request: HttpRequest, council_task_id: Id) -> dict[str, Any]:
    return _task_detail(selectors.task_get(request.user, council_task_id))


@router.post("/tasks/{council_task_id}/reports", response={201: TaskDetailOut})
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


@router.post("/tasks/{council_task_id}/reopen", response=TaskDetailOut)
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


@router.get("/plans", response=list[PlanOut])
def plans(request: HttpRequest, year: Year | None = None) -> list[dict[str, Any]]:
    selectors.require_reader(request.user)
    qs = selectors.plans_visible(request.user)
    if year:
        qs = qs.filter(year=year)
    return [_plan_out(request, p) for p in qs[:100]]


@router.post("/plans", response={201: PlanDetailOut})
def plan_create(request: HttpRequest, payload: PlanIn) -> Status:
    selectors.require_reader(request.user)
    plan = services.work_plan_create(
        actor=request.user,
        region=_region_for(request, payload.region),
        year=payload.year,
        title=payload.title,
    )
    return Status(201, _plan_out(request, plan, items=True))


@router.get("/plans/{work_plan_id}", response=PlanDetailOut)
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


@router.post("/plans/{work_plan_id}/items", response={201: PlanDetailOut})
def plan_item_add(request: HttpRequest, work_plan_id: Id, payload: PlanItemIn) -> Status:
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
