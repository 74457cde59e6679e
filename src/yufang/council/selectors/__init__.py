"""Reads of the joint meeting's records, each for a user: only what that user may see
(`accounts.scoping.council`). A role with no business here is refused (403); a record outside
the user's scope is not found (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.council import (
    council_reader,
    council_task_q,
    joint_meeting_q,
    may_report_progress,
    may_run_joint_meeting,
)
from yufang.council.models import (
    Attachment,
    CouncilTask,
    JointMeeting,
    Meeting,
    MeetingStatus,
    ProgressReport,
    Resolution,
    TaskStatus,
)
from yufang.organisations.models import Department


def require_reader(user: Any) -> None:
    if not council_reader(user):
        raise PermissionDenied(_("Your role has no joint-meeting records."))


def _filtered(qs: QuerySet[Any], q: Q | None) -> QuerySet[Any]:
    return qs if q is None else qs.filter(q)


def joint_meetings_visible(user: Any) -> QuerySet[JointMeeting]:
    return _filtered(JointMeeting.objects.select_related("region"), joint_meeting_q(user))


def joint_meeting_get(user: Any, pk: int) -> JointMeeting:
    require_reader(user)
    return get_object_or_404(joint_meetings_visible(user), pk=pk)


def joint_meeting_of_region(user: Any, region_id: int | None) -> JointMeeting | None:
    if region_id is None:
        return None
    return joint_meetings_visible(user).filter(region_id=region_id).first()


def members_of(joint_meeting: JointMeeting) -> list[Any]:
    return list(
        joint_meeting.memberships.select_related("department").prefetch_related("liaisons__user")
    )


def departments_to_add(joint_meeting: JointMeeting) -> QuerySet[Department]:
    return Department.objects.filter(region_id=joint_meeting.region_id).exclude(
        pk__in=joint_meeting.memberships.values("department_id")
    )


def member_departments(joint_meeting: JointMeeting) -> QuerySet[Department]:
    return Department.objects.filter(
        pk__in=joint_meeting.memberships.values("department_id")
    ).order_by("code")


def meetings_visible(user: Any) -> QuerySet[Meeting]:
    return _filtered(
        Meeting.objects.select_related("joint_meeting", "joint_meeting__region"),
        joint_meeting_q(user, "joint_meeting__"),
    )


def meeting_get(user: Any, pk: int) -> Meeting:
    require_reader(user)
    return get_object_or_404(meetings_visible(user), pk=pk)


def resolutions_of(user: Any, meeting: Meeting) -> list[Resolution]:
    """The meeting's resolutions with the tasks the user may see."""
    tasks = with_overdue(tasks_visible(user))
    resolutions = list(meeting.resolutions.order_by("number"))
    by_resolution: dict[int, list[CouncilTask]] = {}
    for task in tasks.filter(resolution__meeting=meeting):
        by_resolution.setdefault(task.resolution_id, []).append(task)
    for r in resolutions:
        r.visible_tasks = by_resolution.get(r.pk, [])  # type: ignore[attr-defined]
    return resolutions


def attachment_get(user: Any, pk: int) -> Attachment:
    require_reader(user)
    return get_object_or_404(
        Attachment.objects.filter(meeting__in=meetings_visible(user).values("pk")), pk=pk
    )


def may_edit_meeting(user: Any, meeting: Meeting) -> bool:
    return meeting.status == MeetingStatus.OPEN and may_run_joint_meeting(
        user, region_id=meeting.joint_meeting.region_id
    )


# --- tasks --------------------------------------------------------------------------------


def tasks_visible(user: Any) -> QuerySet[CouncilTask]:
    return _filtered(
        CouncilTask.objects.select_related(
            "department",
            "resolution",
            "resolution__meeting",
            "resolution__meeting__joint_meeting",
        ),
        council_task_q(user),
    )


def with_overdue(qs: QuerySet[CouncilTask], today: dt.date | None = None) -> QuerySet[CouncilTask]:
    """Overdue is derived: the deadline has passed and the task is not done."""
    today = today or timezone.localdate()
    return qs.annotate(
        is_overdue=Case(
            When(Q(status=TaskStatus.OPEN, deadline__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def is_overdue(task: CouncilTask, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return task.status == TaskStatus.OPEN and task.deadline < today


def task_get(user: Any, pk: int) -> CouncilTask:
    require_reader(user)
    return get_object_or_404(with_overdue(tasks_visible(user)), pk=pk)


def reports_of(task: CouncilTask) -> QuerySet[ProgressReport]:
    return task.reports.select_related("author", "department").order_by("reported_at", "id")


def evidence_get(user: Any, pk: int) -> ProgressReport:
    require_reader(user)
    return get_object_or_404(
        ProgressReport.objects.filter(task__in=tasks_visible(user).values("pk")).exclude(
            evidence_path=""
        ),
        pk=pk,
    )


def task_actions(user: Any, task: CouncilTask) -> dict[str, bool]:
    """What a user may do on a task's page, by the services' own rules."""
    open_ = task.status == TaskStatus.OPEN
    return {
        "report": open_ and may_report_progress(user, department_id=task.department_id),
        "reopen": not open_
        and may_run_joint_meeting(user, region_id=task.resolution.meeting.joint_meeting.region_id),
    }


@dataclass
class BoardFilter:
    meeting: int | None = None
    department: int | None = None
    status: str = ""  # "", open, done, overdue


def task_board(user: Any, f: BoardFilter) -> dict[str, Any]:
    """The follow-up board: the tasks (of a meeting, of a department) with counts by
    department: open, overdue, done, done on time."""
    today = timezone.localdate()
    qs = with_overdue(tasks_visible(user), today)
    if f.meeting:
        qs = qs.filter(resolution__meeting_id=f.meeting)
    if f.department:
        qs = qs.filter(department_id=f.department)
    if f.status == "overdue":
        qs = qs.filter(status=TaskStatus.OPEN, deadline__lt=today)
    elif f.status in TaskStatus.values:
        qs = qs.filter(status=f.status)
    by_department = list(
        qs.values("department_id", "department__name")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status=TaskStatus.OPEN)),
            overdue=Count("id", filter=Q(status=TaskStatus.OPEN, deadline__lt=today)),
            done=Count("id", filter=Q(status=TaskStatus.DONE)),
        )
        .order_by("department__name")
    )
    rows = list(qs.order_by("deadline", "id"))
    done_on_time = sum(
        1
        for t in rows
        if t.status == TaskStatus.DONE and t.done_at and timezone.localdate(t.done_at) <= t.deadline
    )
    return {
        "tasks": rows,
        "by_department": by_department,
        "total": len(rows),
        "overdue": sum(1 for t in rows if getattr(t, "is_overdue", False)),
        "done": sum(1 for t in rows if t.status == TaskStatus.DONE),
        "done_on_time": done_on_time,
    }


BOARD_HEADERS = [
    "编号",
    "联席会议",
    "会议",
    "议定事项",
    "任务",
    "责任单位",
    "完成期限",
    "状态",
    "逾期",
    "完成时间",
]


def board_export_rows(tasks: list[CouncilTask]) -> list[list[Any]]:
    return [
        [
            t.pk,
            t.resolution.meeting.joint_meeting.name,
            f"{t.resolution.meeting.title}（{t.resolution.meeting.held_on.isoformat()}）",
            f"{t.resolution.number}. {t.resolution.text}",
            t.title,
            t.department.name,
            t.deadline,
            "已完成" if t.status == TaskStatus.DONE else "办理中",
            "是" if getattr(t, "is_overdue", False) else "否",
            timezone.localtime(t.done_at).strftime("%Y-%m-%d %H:%M") if t.done_at else "",
        ]
        for t in tasks
    ]


def council_todos(user: Any) -> list[Any]:
    """On a person's home: overdue joint-meeting tasks (officials who run the meeting, and the
    liaisons of the department), and tasks due within the reminder days (liaisons)."""
    from yufang import policy
    from yufang.accounts.models import Role
    from yufang.support.todos import Todo

    if not council_reader(user) or user.role in (Role.AUDITOR, Role.ADMIN):
        return []
    today = timezone.localdate()
    qs = tasks_visible(user).filter(status=TaskStatus.OPEN)
    if user.role != Role.DEPARTMENT_LIAISON:
        qs = qs.filter(resolution__meeting__joint_meeting__region_id=user.region_id)
    from django.urls import reverse

    found: list[Any] = []
    overdue = qs.filter(deadline__lt=today).count()
    if overdue:
        found.append(
            Todo(
                _("%(n)s joint-meeting tasks overdue") % {"n": overdue},
                reverse("council:board") + "?status=overdue",
                "danger",
            )
        )
    if user.role == Role.DEPARTMENT_LIAISON:
        ahead = int(policy.value("council_task_reminder_days", today))
        soon = qs.filter(
            deadline__gte=today, deadline__lte=today + dt.timedelta(days=ahead)
        ).count()
        if soon:
            found.append(
                Todo(
                    _("%(n)s joint-meeting tasks due within %(days)s days")
                    % {"n": soon, "days": ahead},
                    reverse("council:board") + "?status=open",
                    "warning",
                )
            )
    return found


# --- work plans -------------------------------------------------------------------------------


def plans_visible(user: Any) -> QuerySet[Any]:
    from yufang.accounts.scoping.council import region_records_q
    from yufang.council.models import WorkPlan

    return _filtered(WorkPlan.objects.select_related("region"), region_records_q(user))


def plan_get(user: Any, pk: int) -> Any:
    require_reader(user)
    return get_object_or_404(plans_visible(user), pk=pk)


@dataclass
class ItemProgress:
    item: Any
    source_label: str
    reference_label: str
    progress: float | None  # 0..1; None: nothing to measure (or not visible to this user)

    @property
    def percent(self) -> int | None:
        return None if self.progress is None else round(self.progress * 100)


def plan_progress(user: Any, plan: Any) -> dict[str, Any]:
    """Each item's completion from its source, and the plan's: the mean of the items that
    have something to measure."""
    from yufang.council.sources import source_of

    rows: list[ItemProgress] = []
    for item in plan.items.select_related("department").order_by("id"):
        source = source_of(item.source)
        if source is None:
            rows.append(ItemProgress(item, item.source, item.reference, None))
            continue
        labels = dict(source.options(user, plan.region, plan.year))
        rows.append(
            ItemProgress(
                item,
                str(source.label),
                labels.get(item.reference, item.reference),
                source.progress(user, plan.region, plan.year, item.reference),
            )
        )
    measured = [r.progress for r in rows if r.progress is not None]
    overall = sum(measured) / len(measured) if measured else None
    return {
        "items": rows,
        "overall": overall,
        "overall_percent": None if overall is None else round(overall * 100),
    }
