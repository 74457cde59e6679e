"""The API's joint meetings, members, liaisons and meetings."""

from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _
from ninja import File, Status
from ninja.files import UploadedFile

from yufang.accounts.models import User
from yufang.council import selectors, services
from yufang.council.api.common import (
    AttachmentOut,
    AttendanceIn,
    JointMeetingDetailOut,
    JointMeetingIn,
    JointMeetingOut,
    LiaisonIn,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MemberIn,
    ResolutionIn,
    ResolutionOut,
    _api_fields,
    _department,
    _joint_meeting_detail,
    _joint_meeting_out,
    _meeting_detail,
    _region_for,
    router,
)
from yufang.council.models import (
    Meeting,
)
from yufang.lib.errors import InvalidInput
from yufang.support.bounds import Id
from yufang.support.http import private_file_response

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
