"""The joint meeting's pages: the landing page, a region's joint meeting (members and
liaisons, meetings), a meeting (agenda, minutes, attendance, attachments, resolutions and the
tasks they assign) and an attachment's file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from yufang.accounts.models import Role, User
from yufang.accounts.scoping import regions_visible
from yufang.accounts.scoping.council import may_run_joint_meeting
from yufang.council import selectors, services
from yufang.council.models import AttendanceStatus, Membership, TaskStatus
from yufang.council.views.common import render_page, role
from yufang.lib.errors import InvalidInput
from yufang.organisations.models import Department
from yufang.regions.models import Region
from yufang.support.bounds import bounded_id
from yufang.support.http import private_file_response


def _own_region(request: HttpRequest) -> Region | None:
    """The region whose joint meeting the caller would set up: their own; the province's
    officials and the administrator pick one (`region` code)."""
    user = request.user
    code = str(request.POST.get("region", "")).strip()[:12]
    if code and getattr(user, "role", "") in (Role.PROVINCE_OFFICIAL, Role.ADMIN):
        return regions_visible(user).filter(code=code).first()
    return getattr(user, "region", None)


def _require_runs(request: HttpRequest, region_id: int) -> None:
    if not may_run_joint_meeting(request.user, region_id=region_id):
        raise PermissionDenied(_("Only the officials of this region run its joint meeting."))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The joint meetings a user reads; a liaison also sees its department's tasks; an
    official whose region has none sets it up here."""
    selectors.require_reader(request.user)
    errors: dict[str, str] = {}
    if request.method == "POST":
        region = _own_region(request)
        if region is None:
            raise PermissionDenied(_("Only the officials of a region run its joint meeting."))
        try:
            jm = services.joint_meeting_create(
                actor=request.user,
                region=region,
                name=request.POST.get("name", ""),
                convener=request.POST.get("convener", ""),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Joint meeting set up."))
            return redirect("council:joint_meeting", pk=jm.pk)
    user = request.user
    joint_meetings = list(selectors.joint_meetings_visible(user).order_by("region__code")[:200])
    own_region = getattr(user, "region", None)
    may_set_up = (
        own_region is not None
        and may_run_joint_meeting(user, region_id=own_region.pk)
        and not any(jm.region_id == own_region.pk for jm in joint_meetings)
    )
    tasks = []
    if role(request) == Role.DEPARTMENT_LIAISON:
        tasks = list(
            selectors.with_overdue(selectors.tasks_visible(user)).order_by("status", "deadline")[
                :100
            ]
        )
    meetings = list(selectors.meetings_visible(user).order_by("-held_on", "-id")[:10])
    return render_page(
        request,
        "council/index.html",
        {
            "tab": "index",
            "joint_meetings": joint_meetings,
            "may_set_up": may_set_up,
            "own_region": own_region,
            "tasks": tasks,
            "meetings": meetings,
            "is_liaison": role(request) == Role.DEPARTMENT_LIAISON,
            "errors": errors,
            "data": request.POST,
        },
    )


@login_required
def joint_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    jm = selectors.joint_meeting_get(request.user, pk)
    errors: dict[str, str] = {}
    p = request.POST
    if request.method == "POST":
        _require_runs(request, jm.region_id)
        action = p.get("action", "")
        try:
            if action == "member":
                dept_id = bounded_id(p.get("department"))
                department = Department.objects.filter(pk=dept_id).first() if dept_id else None
                services.membership_add(
                    actor=request.user,
                    joint_meeting=jm,
                    department=department,
                    remit=p.get("remit", ""),
                )
                messages.success(request, _("Member department added."))
            elif action == "liaison":
                membership = get_object_or_404(
                    Membership, pk=bounded_id(p.get("membership")) or 0, joint_meeting=jm
                )
                user_id = bounded_id(p.get("user"))
                services.liaison_add(
                    actor=request.user,
                    membership=membership,
                    user=User.objects.filter(pk=user_id).first() if user_id else None,
                    position=p.get("position", ""),
                )
                messages.success(request, _("Liaison added."))
            elif action == "meeting":
                meeting = services.meeting_create(
                    actor=request.user,
                    joint_meeting=jm,
                    title=p.get("title", ""),
                    held_on=p.get("held_on", ""),
                    place=p.get("place", ""),
                    agenda=p.get("agenda", ""),
                )
                messages.success(request, _("Meeting recorded."))
                return redirect("council:meeting", pk=meeting.pk)
            else:
                raise InvalidInput(_("Unknown action."))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            return redirect("council:joint_meeting", pk=jm.pk)
    may_run = may_run_joint_meeting(request.user, region_id=jm.region_id)
    members = selectors.members_of(jm)
    liaison_accounts = (
        User.objects.filter(
            role=Role.DEPARTMENT_LIAISON,
            is_active=True,
            department__in=[m.department_id for m in members],
        ).select_related("department")
        if may_run
        else User.objects.none()
    )
    return render_page(
        request,
        "council/joint_meeting.html",
        {
            "tab": "index",
            "jm": jm,
            "members": members,
            "meetings": jm.meetings.order_by("-held_on", "-id"),
            "may_run": may_run,
            "departments_to_add": selectors.departments_to_add(jm) if may_run else [],
            "liaison_accounts": liaison_accounts,
            "errors": errors,
            "data": p,
        },
    )


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.meeting_get(request.user, pk)
    errors: dict[str, str] = {}
    p = request.POST
    if request.method == "POST":
        _require_runs(request, m.joint_meeting.region_id)
        action = p.get("action", "")
        user = request.user
        try:
            if action == "update":
                services.meeting_update(
                    actor=user,
                    meeting=m,
                    title=p.get("title", ""),
                    held_on=p.get("held_on", ""),
                    place=p.get("place", ""),
                    agenda=p.get("agenda", ""),
                    minutes=p.get("minutes", ""),
                )
                messages.success(request, _("Meeting record saved."))
            elif action == "attendance":
                dept_id = bounded_id(p.get("department"))
                services.attendance_record(
                    actor=user,
                    meeting=m,
                    department=Department.objects.filter(pk=dept_id).first() if dept_id else None,
                    status=p.get("status", ""),
                    attendee=p.get("attendee", ""),
                )
                messages.success(request, _("Attendance recorded."))
            elif action == "attachment":
                services.attachment_add(actor=user, meeting=m, upload=request.FILES.get("file"))
                messages.success(request, _("File attached."))
            elif action == "remove_attachment":
                attachment = get_object_or_404(
                    m.attachments, pk=bounded_id(p.get("attachment")) or 0
                )
                services.attachment_remove(actor=user, attachment=attachment)
                messages.success(request, _("File removed."))
            elif action == "resolution":
                services.resolution_add(actor=user, meeting=m, text=p.get("text", ""))
                messages.success(request, _("Resolution recorded."))
            elif action == "task":
                resolution = get_object_or_404(
                    m.resolutions, pk=bounded_id(p.get("resolution")) or 0
                )
                dept_id = bounded_id(p.get("department"))
                task = services.task_create(
                    actor=user,
                    resolution=resolution,
                    department=Department.objects.filter(pk=dept_id).first() if dept_id else None,
                    title=p.get("title", ""),
                    deadline=p.get("deadline", ""),
                )
                messages.success(
                    request,
                    _("Task assigned to %(department)s.") % {"department": task.department.name},
                )
            elif action == "close":
                services.meeting_close(actor=user, meeting=m)
                messages.success(request, _("Meeting closed: its record is now final."))
            else:
                raise InvalidInput(_("Unknown action."))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            return redirect("council:meeting", pk=m.pk)
        m = selectors.meeting_get(request.user, pk)
    may_run = may_run_joint_meeting(request.user, region_id=m.joint_meeting.region_id)
    return render_page(
        request,
        "council/meeting.html",
        {
            "tab": "index",
            "m": m,
            "may_edit": selectors.may_edit_meeting(request.user, m),
            "may_assign": may_run,
            "attendance": m.attendance.select_related("department"),
            "attachments": m.attachments.all(),
            "resolutions": selectors.resolutions_of(request.user, m),
            "departments": selectors.member_departments(m.joint_meeting),
            "attendance_statuses": AttendanceStatus.choices,
            "done": TaskStatus.DONE,
            "errors": errors,
            "data": p,
        },
    )


@login_required
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    return private_file_response(selectors.attachment_get(request.user, pk).path)
