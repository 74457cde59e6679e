"""Tasks from resolutions: assigned to a member department with a deadline, reported on by
that department alone (with evidence), reminded before the deadline and escalated after it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role, User
from yufang.accounts.scoping.council import may_report_progress
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.council.models import CouncilTask, ProgressReport, Resolution, TaskStatus
from yufang.council.services.common import (
    CouncilInvalid,
    clean_date,
    clean_text,
    file_store,
    require_runs,
)
from yufang.notifications.services import notify
from yufang.organisations.models import Department


def task_create(
    *,
    actor: Any,
    resolution: Resolution,
    department: Department | None,
    title: str,
    deadline: dt.date | str | None,
) -> CouncilTask:
    """Assigns a task of a resolution to one member department, with a deadline; without
    either it is refused. The department's liaisons are told."""
    joint_meeting = resolution.meeting.joint_meeting
    require_runs(actor, joint_meeting.region_id)
    errors: dict[str, str] = {}
    if department is None:
        errors["department"] = _("Choose the department that owns the task.")
    elif not joint_meeting.memberships.filter(department=department).exists():
        errors["department"] = _(
            "The task can only go to a member department of the joint meeting."
        )
    try:
        title = clean_text("title", title, required=True)
    except CouncilInvalid as exc:
        errors.update(exc.errors)
    day: dt.date | None = None
    try:
        day = clean_date("deadline", deadline)
    except CouncilInvalid as exc:
        errors.update({"deadline": _("Give the task a deadline.")} if not deadline else exc.errors)
    if day is not None and day < timezone.localdate():
        errors["deadline"] = _("The deadline cannot be in the past.")
    if errors:
        raise CouncilInvalid(errors)
    if department is None or day is None:  # pragma: no cover - reported in errors above
        raise CouncilInvalid(_("Give the task a deadline."), "deadline")
    with transaction.atomic():
        task = CouncilTask.objects.create(
            resolution=resolution,
            department=department,
            title=title,
            deadline=day,
            created_by=actor,
        )
        audit_create(actor, task)
        notify(
            recipients=liaisons_of(department),
            title=_("Joint-meeting task for %(department)s: %(title)s (due %(deadline)s)")
            % {"department": department.name, "title": title, "deadline": day.isoformat()},
            url=task_url(task),
        )
    return task


def task_url(task: CouncilTask) -> str:
    return reverse("council:task", args=[task.pk])


def liaisons_of(department: Department) -> list[User]:
    """The liaison accounts of a department (those on the roster and any other)."""
    return list(
        User.objects.filter(
            role=Role.DEPARTMENT_LIAISON, department=department, is_active=True
        ).order_by("pk")
    )


def progress_report(
    *,
    actor: Any,
    task: CouncilTask,
    note: str,
    evidence: Any = None,
    completes: bool = False,
) -> ProgressReport:
    """The assigned department reports progress, with evidence; a report that completes the
    task needs evidence, and marks the task done. A done task takes no more reports."""
    if not may_report_progress(actor, department_id=task.department_id):
        raise PermissionDenied(
            _("Only the department the task is assigned to (%(department)s) reports its progress.")
            % {"department": task.department.name}
        )
    note = clean_text("note", note, required=True)
    if completes and evidence is None:
        raise CouncilInvalid(_("Attach the evidence that the task is done."), "evidence")
    with transaction.atomic():
        locked = CouncilTask.objects.select_for_update().get(pk=task.pk)
        if locked.status == TaskStatus.DONE:
            raise CouncilInvalid(_("This task is already done."))
        name = path = ""
        if evidence is not None:
            name, path, _size = file_store(evidence, folder="evidence", field="evidence")
        report = ProgressReport.objects.create(
            task=locked,
            department_id=locked.department_id,
            author=actor,
            note=note,
            completes=completes,
            evidence_name=name,
            evidence_path=path,
        )
        audit_create(actor, report)
        if completes:
            before = snapshot(locked)
            locked.status = TaskStatus.DONE
            locked.done_at = timezone.now()
            locked.save()
            audit_update(actor, locked, before, reason="reported done")
            notify(
                recipients=_runners_of(locked),
                title=_("Task done by %(department)s: %(title)s")
                % {"department": locked.department.name, "title": locked.title},
                url=task_url(locked),
            )
    return report


def _runners_of(task: CouncilTask) -> list[User]:
    """The officials who run the task's joint meeting (its region's)."""
    region = task.resolution.meeting.joint_meeting.region
    return list(
        User.objects.filter(
            role__in=[Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL],
            region=region,
            is_active=True,
        )
    )


def task_reopen(*, actor: Any, task: CouncilTask, reason: str) -> CouncilTask:
    """The officials send a done task back (the evidence does not show it done)."""
    require_runs(actor, task.resolution.meeting.joint_meeting.region_id)
    reason = clean_text("note", reason, required=True)
    with transaction.atomic():
        locked = CouncilTask.objects.select_for_update().get(pk=task.pk)
        if locked.status != TaskStatus.DONE:
            raise CouncilInvalid(_("Only a done task can be sent back."))
        before = snapshot(locked)
        locked.status = TaskStatus.OPEN
        locked.done_at = None
        locked.save()
        audit_update(actor, locked, before, reason=reason)
        notify(
            recipients=liaisons_of(locked.department),
            title=_("Task sent back: %(title)s") % {"title": locked.title},
            body=reason,
            url=task_url(locked),
        )
    return locked


def task_reminders_run(*, today: dt.date | None = None) -> dict[str, int]:
    """Reminds the liaisons of tasks coming due (once, the configured days before the
    deadline) and escalates to the joint meeting's officials the tasks overdue by the
    configured days (once). Running it twice on the same day sends nothing more."""
    today = today or timezone.localdate()
    ahead = int(policy.value("council_task_reminder_days", today))
    after = int(policy.value("council_task_escalation_days", today))
    now = timezone.now()
    open_tasks = CouncilTask.objects.filter(status=TaskStatus.OPEN).select_related(
        "department", "resolution__meeting__joint_meeting__region"
    )
    reminded = escalated = 0
    due = open_tasks.filter(
        reminded_at__isnull=True,
        deadline__gte=today,
        deadline__lte=today + dt.timedelta(days=ahead),
    )
    for task in due:
        with transaction.atomic():
            if not CouncilTask.objects.filter(pk=task.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue  # another run sent it
            notify(
                recipients=liaisons_of(task.department),
                title=_("Reminder: joint-meeting task due %(deadline)s: %(title)s")
                % {"deadline": task.deadline.isoformat(), "title": task.title},
                url=task_url(task),
                by_sms=True,
            )
        reminded += 1
    late = open_tasks.filter(
        Q(escalated_at__isnull=True), deadline__lte=today - dt.timedelta(days=after)
    )
    for task in late:
        with transaction.atomic():
            if not CouncilTask.objects.filter(pk=task.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue
            notify(
                recipients=[*_runners_of(task), *liaisons_of(task.department)],
                title=_(
                    "Overdue joint-meeting task of %(department)s: %(title)s (due %(deadline)s)"
                )
                % {
                    "department": task.department.name,
                    "title": task.title,
                    "deadline": task.deadline.isoformat(),
                },
                url=task_url(task),
                by_sms=True,
            )
        escalated += 1
    return {"reminded": reminded, "escalated": escalated}
