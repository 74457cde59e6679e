"""The joint meeting's rules: who runs it, a closed meeting is final, a task needs an owner
department and a deadline, only the assigned department reports progress, overdue is derived,
reminders and escalation are sent once."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from yufang.accounts.models import Role
from yufang.council import selectors, services
from yufang.council.models import CouncilTask, MeetingStatus, TaskStatus
from yufang.council.services import CouncilInvalid
from yufang.council.tasks import remind_council_tasks
from yufang.council.tests.factories import council_for
from yufang.notifications.models import Notification

pytestmark = pytest.mark.django_db


def png(name: str = "evidence.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 20)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_city_official_runs_the_joint_meeting_and_others_cannot(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    c = council_for(city)
    for role in (Role.COUNTY_OFFICIAL, Role.DEPARTMENT_LIAISON, Role.AUDITOR, Role.GRID_WORKER):
        with pytest.raises(PermissionDenied):
            services.resolution_add(actor=world.people[role], meeting=c.meeting, text="x")
    with pytest.raises(PermissionDenied):
        services.resolution_add(actor=world.jinan_city_official, meeting=c.meeting, text="x")


def test_a_closed_meeting_cannot_be_edited(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    c = council_for(city)
    with pytest.raises(CouncilInvalid) as no_minutes:
        services.meeting_close(actor=city, meeting=c.meeting)
    assert "minutes" in no_minutes.value.errors
    services.meeting_update(actor=city, meeting=c.meeting, minutes="会议议定三项事项。")
    closed = services.meeting_close(actor=city, meeting=c.meeting)
    assert closed.status == MeetingStatus.CLOSED
    for attempt in (
        lambda: services.meeting_update(actor=city, meeting=closed, minutes="改"),
        lambda: services.resolution_add(actor=city, meeting=closed, text="新事项"),
        lambda: services.attachment_add(actor=city, meeting=closed, upload=png()),
        lambda: services.attendance_record(
            actor=city, meeting=closed, department=c.health, status="present"
        ),
    ):
        with pytest.raises(CouncilInvalid) as refused:
            attempt()
        assert "closed" in refused.value.message
    closed.refresh_from_db()
    assert closed.minutes == "会议议定三项事项。"
    assert closed.resolutions.count() == 1


def test_a_task_needs_an_owner_department_and_a_deadline(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    c = council_for(city)
    with pytest.raises(CouncilInvalid) as refused:
        services.task_create(
            actor=city, resolution=c.resolution, department=None, title="x", deadline=None
        )
    assert set(refused.value.errors) == {"department", "deadline"}
    outsider = council_for(world.jinan_city_official, city="370100", name="济南")
    with pytest.raises(CouncilInvalid) as not_member:
        services.task_create(
            actor=city,
            resolution=c.resolution,
            department=outsider.health,
            title="x",
            deadline=timezone.localdate(),
        )
    assert "member department" in not_member.value.errors["department"]
    assert CouncilTask.objects.filter(resolution=c.resolution).count() == 1


def test_only_the_assigned_department_reports_progress(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    liaison = world.people[Role.DEPARTMENT_LIAISON]
    c = council_for(city)
    assert liaison.department_id == c.emergency.pk
    for other in (c.health_liaison, city):
        with pytest.raises(PermissionDenied):
            services.progress_report(actor=other, task=c.task, note="我们来报")
    with pytest.raises(CouncilInvalid) as no_evidence:
        services.progress_report(actor=liaison, task=c.task, note="已完成", completes=True)
    assert "evidence" in no_evidence.value.errors
    services.progress_report(actor=liaison, task=c.task, note="已排查 40 家")
    services.progress_report(
        actor=liaison, task=c.task, note="全部完成", evidence=png(), completes=True
    )
    c.task.refresh_from_db()
    assert c.task.status == TaskStatus.DONE and c.task.done_at is not None
    assert c.task.reports.count() == 2
    with pytest.raises(CouncilInvalid):
        services.progress_report(actor=liaison, task=c.task, note="再报")


def test_evidence_must_be_what_its_name_says(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    liaison = world.people[Role.DEPARTMENT_LIAISON]
    c = council_for(city)
    fake = SimpleUploadedFile("report.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(CouncilInvalid) as refused:
        services.progress_report(actor=liaison, task=c.task, note="x", evidence=fake)
    assert "evidence" in refused.value.errors
    assert c.task.reports.count() == 0


def test_overdue_is_derived_and_the_liaison_sees_only_its_department(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    liaison = world.people[Role.DEPARTMENT_LIAISON]
    c = council_for(city)
    health_task = services.task_create(
        actor=city,
        resolution=c.resolution,
        department=c.health,
        title="职业病危害因素检测",
        deadline=timezone.localdate(),
    )
    CouncilTask.objects.filter(pk=health_task.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=2)
    )
    assert list(selectors.tasks_visible(liaison)) == [c.task]
    assert set(selectors.tasks_visible(city)) == {c.task, health_task}
    board = selectors.task_board(city, selectors.BoardFilter(status="overdue"))
    assert [t.pk for t in board["tasks"]] == [health_task.pk]
    assert board["overdue"] == 1
    assert not selectors.tasks_visible(world.jinan_city_official).exists()


def test_reminders_before_and_escalation_after_the_deadline_are_sent_once(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    liaison = world.people[Role.DEPARTMENT_LIAISON]
    c = council_for(city)
    today = timezone.localdate()
    CouncilTask.objects.filter(pk=c.task.pk).update(deadline=today + dt.timedelta(days=3))
    Notification.objects.all().delete()
    assert remind_council_tasks.delay(today.isoformat()).get() == {"reminded": 1, "escalated": 0}
    assert remind_council_tasks.delay(today.isoformat()).get() == {"reminded": 0, "escalated": 0}
    reminder = Notification.objects.get()
    assert reminder.recipient == liaison and "Reminder" in reminder.title
    later = today + dt.timedelta(days=5)
    call_command("council_reminders", "--today", later.isoformat(), stdout=io.StringIO())
    escalated = Notification.objects.exclude(pk=reminder.pk)
    assert {n.recipient for n in escalated} == {city, liaison}
    assert all("Overdue" in n.title for n in escalated)
    assert services.task_reminders_run(today=later)["escalated"] == 0


def test_home_todo_for_overdue_tasks(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    c = council_for(city)
    CouncilTask.objects.filter(pk=c.task.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    todos = selectors.council_todos(city)
    assert [t.level for t in todos] == ["danger"]
    assert "overdue" in str(todos[0].text)
    assert selectors.council_todos(world.jinan_city_official) == []
