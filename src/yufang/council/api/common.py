"""The joint meeting's API (its router, schemas and helpers): joint meetings, members and liaisons, meetings (record,
attendance, attachments, resolutions, closing), tasks and progress reports, work plans and their
sources, the shared data, the yearly data exchange and the yearly reports. Same services and
selectors as the pages; a record outside the caller's scope is 404, a role with no business
here 403, bad input 422 naming the field."""

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from yufang.accounts.models import Role
from yufang.accounts.scoping import regions_visible
from yufang.council import selectors
from yufang.council.models import (
    CouncilTask,
    JointMeeting,
    Meeting,
    ProgressReport,
    WorkPlan,
)
from yufang.lib.errors import InvalidInput
from yufang.organisations.models import Department
from yufang.regions.models import Region
from yufang.support.bounds import Code, Id, Name, Note, Text, Year

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


class CouncilTaskOut(Schema):
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
    tasks: list[CouncilTaskOut]


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


class CouncilTaskIn(Schema):
    department_id: Id | None = None
    title: Title
    deadline: dt.date | None = None


class ProgressReportOut(Schema):
    id: int
    department: str
    author: str
    note: str
    completes: bool
    evidence_name: str
    reported_at: dt.datetime


class CouncilTaskDetailOut(CouncilTaskOut):
    resolution: str
    reports: list[ProgressReportOut]


class CouncilTaskFilterIn(Schema):
    meeting_id: Id | None = None
    department_id: Id | None = None
    status: Annotated[str, Field(max_length=10)] = ""


class ReopenIn(Schema):
    reason: Note


class WorkPlanItemOut(Schema):
    id: int
    title: str
    source: str
    source_label: str
    reference: str
    reference_label: str
    department_id: int | None
    progress: float | None


class WorkPlanOut(Schema):
    id: int
    region: str
    year: int
    title: str
    completion: float | None


class WorkPlanDetailOut(WorkPlanOut):
    items: list[WorkPlanItemOut]


class WorkPlanIn(Schema):
    year: Year
    title: Title = ""
    region: Code = ""


class WorkPlanItemIn(Schema):
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
