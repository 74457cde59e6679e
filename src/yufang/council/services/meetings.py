"""A region's joint meeting: its member departments and liaisons, its meetings (agenda,
minutes, attendance, attachments), their resolutions, and closing a meeting for good."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role, User
from yufang.audit.services import audit_create, audit_delete, audit_update, snapshot
from yufang.council.models import (
    Attachment,
    Attendance,
    AttendanceStatus,
    JointMeeting,
    Liaison,
    Meeting,
    MeetingStatus,
    Membership,
    Resolution,
)
from yufang.council.services.common import (
    CouncilInvalid,
    clean_date,
    clean_text,
    file_store,
    require_runs,
)
from yufang.organisations.models import Department
from yufang.regions.models import Region


def joint_meeting_create(
    *, actor: Any, region: Region, name: str = "", convener: str = ""
) -> JointMeeting:
    """Sets up a region's joint meeting (one per region)."""
    require_runs(actor, region.pk)
    name = clean_text("name", name) or _("%(region)s work-injury prevention joint meeting") % {
        "region": region.name
    }
    convener = clean_text("convener", convener)
    with transaction.atomic():
        if JointMeeting.objects.select_for_update().filter(region=region).exists():
            raise CouncilInvalid(_("This region already has a joint meeting."), "region")
        jm = JointMeeting.objects.create(region=region, name=name, convener=convener)
        audit_create(actor, jm)
    return jm


def membership_add(
    *, actor: Any, joint_meeting: JointMeeting, department: Department | None, remit: str = ""
) -> Membership:
    """A department of the region joins the joint meeting."""
    require_runs(actor, joint_meeting.region_id)
    if department is None:
        raise CouncilInvalid(_("Choose a department."), "department")
    if department.region_id != joint_meeting.region_id:
        raise CouncilInvalid(
            _("Only a department of %(region)s can sit on its joint meeting.")
            % {"region": joint_meeting.region.name},
            "department",
        )
    remit = clean_text("remit", remit)
    with transaction.atomic():
        if joint_meeting.memberships.filter(department=department).exists():
            raise CouncilInvalid(_("This department is already a member."), "department")
        membership = Membership.objects.create(
            joint_meeting=joint_meeting,
            department=department,
            remit=remit,
            joined_on=timezone.localdate(),
        )
        audit_create(actor, membership)
    return membership


def liaison_add(
    *, actor: Any, membership: Membership, user: User | None, position: str = ""
) -> Liaison:
    """Puts a department-liaison account of the member department on the roster."""
    require_runs(actor, membership.joint_meeting.region_id)
    if user is None:
        raise CouncilInvalid(_("Choose a liaison account."), "user")
    if user.role != Role.DEPARTMENT_LIAISON or user.department_id != membership.department_id:
        raise CouncilInvalid(
            _("The liaison must be a department-liaison account of %(department)s.")
            % {"department": membership.department.name},
            "user",
        )
    position = clean_text("position", position)
    with transaction.atomic():
        if membership.liaisons.filter(user=user).exists():
            raise CouncilInvalid(_("This person is already a liaison."), "user")
        liaison = Liaison.objects.create(membership=membership, user=user, position=position)
        audit_create(actor, liaison)
    return liaison


def _require_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CLOSED:
        raise CouncilInvalid(_("This meeting is closed: its record can no longer be changed."))


def _locked(meeting: Meeting) -> Meeting:
    """The meeting, locked for the change, and still open."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_open(locked)
    return locked


def meeting_create(
    *,
    actor: Any,
    joint_meeting: JointMeeting,
    title: str,
    held_on: dt.date | str | None,
    place: str = "",
    agenda: str = "",
) -> Meeting:
    require_runs(actor, joint_meeting.region_id)
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for field, raw, required in (
        ("title", title, True),
        ("place", place, False),
        ("agenda", agenda, False),
    ):
        try:
            values[field] = clean_text(field, raw, required=required)
        except CouncilInvalid as exc:
            errors.update(exc.errors)
    try:
        values["held_on"] = clean_date("held_on", held_on)
    except CouncilInvalid as exc:
        errors.update(exc.errors)
    if errors:
        raise CouncilInvalid(errors)
    with transaction.atomic():
        meeting = Meeting.objects.create(joint_meeting=joint_meeting, created_by=actor, **values)
        audit_create(actor, meeting)
    return meeting


def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    title: str | None = None,
    held_on: dt.date | str | None = None,
    place: str | None = None,
    agenda: str | None = None,
    minutes: str | None = None,
) -> Meeting:
    """Changes the meeting's record (the fields given); a closed meeting is refused."""
    require_runs(actor, meeting.joint_meeting.region_id)
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, raw in (
        ("title", title),
        ("place", place),
        ("agenda", agenda),
        ("minutes", minutes),
    ):
        if raw is None:
            continue
        try:
            changes[field] = clean_text(field, raw, required=field == "title")
        except CouncilInvalid as exc:
            errors.update(exc.errors)
    if held_on is not None:
        try:
            changes["held_on"] = clean_date("held_on", held_on)
        except CouncilInvalid as exc:
            errors.update(exc.errors)
    with transaction.atomic():
        locked = _locked(meeting)
        if errors:
            raise CouncilInvalid(errors)
        before = snapshot(locked)
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save()
        audit_update(actor, locked, before)
    return locked


def attendance_record(
    *, actor: Any, meeting: Meeting, department: Department | None, status: str, attendee: str = ""
) -> Attendance:
    """Records whether a member department attended, and who came."""
    require_runs(actor, meeting.joint_meeting.region_id)
    if department is None:
        raise CouncilInvalid(_("Choose a department."), "department")
    if not meeting.joint_meeting.memberships.filter(department=department).exists():
        raise CouncilInvalid(
            _("This department is not a member of the joint meeting."), "department"
        )
    if status not in AttendanceStatus.values:
        raise CouncilInvalid(_("Choose present, sent a deputy or absent."), "status")
    attendee = clean_text("attendee", attendee)
    with transaction.atomic():
        _locked(meeting)
        row, created = Attendance.objects.update_or_create(
            meeting=meeting,
            department=department,
            defaults={"status": status, "attendee": attendee},
        )
        audit_create(actor, row, reason="attendance" if created else "attendance changed")
    return row


def attachment_add(*, actor: Any, meeting: Meeting, upload: Any) -> Attachment:
    require_runs(actor, meeting.joint_meeting.region_id)
    if upload is None:
        raise CouncilInvalid(_("Choose a file."), "file")
    with transaction.atomic():
        _locked(meeting)
        name, path, size = file_store(upload, folder="meetings", field="file")
        attachment = Attachment.objects.create(
            meeting=meeting, name=name, path=path, size=size, uploaded_by=actor
        )
        audit_create(actor, attachment)
    return attachment


def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    require_runs(actor, attachment.meeting.joint_meeting.region_id)
    with transaction.atomic():
        _locked(attachment.meeting)
        audit_delete(actor, attachment)
        attachment.delete()


def resolution_add(*, actor: Any, meeting: Meeting, text: str) -> Resolution:
    """Records a decision of the meeting, numbered after the last one."""
    require_runs(actor, meeting.joint_meeting.region_id)
    text = clean_text("text", text, required=True)
    with transaction.atomic():
        _locked(meeting)
        last = meeting.resolutions.aggregate(n=Max("number"))["n"] or 0
        resolution = Resolution.objects.create(meeting=meeting, number=last + 1, text=text)
        audit_create(actor, resolution)
    return resolution


def meeting_close(*, actor: Any, meeting: Meeting) -> Meeting:
    """Closes the meeting: its agenda, minutes, attendance, attachments and resolutions are
    final from now on (tasks already assigned go on)."""
    require_runs(actor, meeting.joint_meeting.region_id)
    with transaction.atomic():
        locked = _locked(meeting)
        if not locked.minutes.strip():
            raise CouncilInvalid(_("Write the minutes before closing the meeting."), "minutes")
        before = snapshot(locked)
        locked.status = MeetingStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save()
        audit_update(actor, locked, before, reason="closed")
    return locked
