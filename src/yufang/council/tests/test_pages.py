"""The council's pages as a browser meets them (CSRF enforced): what each person reads, and
bad input refused with a clear message and nothing half-written."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from yufang.accounts.models import Role
from yufang.council import services
from yufang.council.models import CouncilTask, Meeting, TaskStatus
from yufang.council.tests.factories import council_for

pytestmark = pytest.mark.django_db


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 20)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def text(response: Any) -> str:
    return response.content.decode()


def test_official_sets_up_the_joint_meeting_and_records_a_meeting(client: Any, world: Any) -> None:
    from yufang.tests.factories import DepartmentFactory, region

    city = world.people[Role.CITY_OFFICIAL]
    DepartmentFactory(region=region("370200"), code="health", name="青岛市卫生健康委员会")
    client.force_login(city)
    opened = client.get("/council/")
    assert "建立青岛市联席会议" in text(opened)
    made = client.submit("/council/", {"name": "青岛市工伤预防联席会议"})
    assert made.status_code == 302
    jm_url = made["Location"]
    page = client.get(jm_url)
    assert "青岛市工伤预防联席会议" in text(page)
    client.post(
        jm_url, {"action": "member", "department": page.context["departments_to_add"][0].pk}
    )
    missing = client.post(jm_url, {"action": "meeting", "title": "", "held_on": "2026-13-01"})
    assert missing.status_code == 200
    errors = text(missing).split('data-testid="form-errors"')[1].split("</div>")[0]
    assert "<strong>标题</strong>" in errors and "<strong>举办日期</strong>" in errors
    assert "不是有效日期" in errors
    assert not Meeting.objects.exists()
    made = client.post(
        jm_url, {"action": "meeting", "title": "第一次全体会议", "held_on": "2026-12-01"}
    )
    assert made.status_code == 302
    meeting_page = client.get(made["Location"])
    assert "第一次全体会议" in text(meeting_page)


def test_city_official_records_a_resolution_assigns_a_task_and_closes(
    client: Any, world: Any
) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    c = council_for(city)
    client.force_login(city)
    url = f"/council/meetings/{c.meeting.pk}/"
    client.get(url)
    client.post(url, {"action": "resolution", "text": "建立职业病危害信息共享机制"})
    second = c.meeting.resolutions.get(number=2)
    refused = client.post(url, {"action": "task", "resolution": second.pk, "title": "建立机制"})
    assert refused.status_code == 200
    body = text(refused)
    assert "请选择任务的责任单位。" in body
    assert "请为任务设定完成期限。" in body
    assert not CouncilTask.objects.filter(resolution=second).exists()
    deadline = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    client.post(
        url,
        {
            "action": "task",
            "resolution": second.pk,
            "title": "建立机制",
            "department": c.health.pk,
            "deadline": deadline,
        },
    )
    assert CouncilTask.objects.filter(resolution=second, department=c.health).exists()
    client.post(url, {"action": "attachment", "file": png()})
    attachment = c.meeting.attachments.get()
    assert client.get(f"/council/attachments/{attachment.pk}/").status_code == 200
    client.post(
        url,
        {"action": "update", "title": c.meeting.title, "held_on": "2026-12-01", "minutes": "纪要"},
    )
    client.post(url, {"action": "close"})
    closed = client.get(url)
    assert "会议记录已定稿" in text(closed)
    refused = client.post_direct(url, {"action": "resolution", "text": "会后补充"})
    assert refused.status_code == 200
    assert "该会议已结束，会议记录不能再修改。" in text(refused)
    assert c.meeting.resolutions.count() == 2


def test_liaison_sees_its_tasks_and_reports_progress_with_evidence(client: Any, world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    liaison = world.people[Role.DEPARTMENT_LIAISON]
    c = council_for(city)
    services.task_create(
        actor=city,
        resolution=c.resolution,
        department=c.health,
        title="卫健部门的任务",
        deadline=timezone.localdate(),
    )
    client.force_login(liaison)
    home = client.get("/council/")
    assert c.task.title in text(home) and "卫健部门的任务" not in text(home)
    task_url = f"/council/tasks/{c.task.pk}/"
    client.get(task_url)
    done = client.post(task_url, {"note": "全部完成", "completes": "1", "evidence": png()})
    assert done.status_code == 302
    c.task.refresh_from_db()
    assert c.task.status == TaskStatus.DONE
    report = c.task.reports.get()
    assert client.get(f"/council/evidence/{report.pk}/").status_code == 200
    # Another department's liaison: not its task (404), nor the evidence.
    client.force_login(c.health_liaison)
    assert client.get(task_url).status_code == 404
    assert client.get(f"/council/evidence/{report.pk}/").status_code == 404


def test_another_department_cannot_report_and_a_closed_meeting_says_so(
    client: Any, world: Any
) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    c = council_for(city)
    health_task = services.task_create(
        actor=city,
        resolution=c.resolution,
        department=c.health,
        title="卫健任务",
        deadline=timezone.localdate(),
    )
    client.force_login(world.people[Role.DEPARTMENT_LIAISON])
    client.get("/council/")
    refused = client.post_direct(f"/council/tasks/{health_task.pk}/", {"note": "越权"})
    assert refused.status_code == 404
    client.force_login(city)
    client.get(f"/council/tasks/{c.task.pk}/")
    forbidden = client.post_direct(f"/council/tasks/{c.task.pk}/", {"note": "代报"})
    assert forbidden.status_code == 403
    assert not c.task.reports.exists()


def test_board_by_department_and_its_export(client: Any, world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    c = council_for(city)
    CouncilTask.objects.filter(pk=c.task.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(city)
    board = client.get(f"/council/board/?meeting={c.meeting.pk}")
    assert c.task.title in text(board)
    assert board.context["board"]["overdue"] == 1
    export = client.get(f"/council/board/?department={c.emergency.pk}&export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "任务" and rows[1][4] == c.task.title and rows[1][8] == "是"
    client.force_login(world.jinan_city_official)
    assert c.task.title not in text(client.get("/council/board/"))


def test_roles_without_business_are_refused(client: Any, world: Any) -> None:
    for role in (Role.GRID_WORKER, Role.SAFETY_MANAGER, Role.WORKER, Role.INSTITUTION_STAFF):
        client.force_login(world.people[role])
        assert client.get("/council/").status_code == 403
        assert client.get("/council/board/").status_code == 403
