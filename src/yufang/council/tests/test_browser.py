"""Browser journeys (chromium, 1366 px): the department liaison follows its department's
tasks, reports progress with evidence and reads its remit's shared data; the city official
records a meeting's resolution, assigns a task, follows the board, exports it and writes the
yearly report."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from yufang.accounts.models import Role
from yufang.council.models import CouncilTask, TaskStatus
from yufang.council.tests.factories import council_for
from yufang.hazards import services as hazard_services
from yufang.support.topics import Topic
from yufang.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, username: str) -> None:
    """`browser_login`, except that it waits for wherever the role lands (the liaison's home
    is the joint meeting), not for the home page itself."""
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=login-submit]")
    assert "/accounts/login/" not in page.url


def _evidence(tmp_path: Path) -> str:
    path = tmp_path / "整改照片.png"
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 140, 60)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_liaison_reports_progress_with_evidence_and_reads_shared_data(
    page: Any, world: Any, tmp_path: Path
) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    city = world.people[Role.CITY_OFFICIAL]
    liaison = world.people[Role.DEPARTMENT_LIAISON]
    c = council_for(city)
    hazard_services.hazard_report(
        actor=world.people[Role.GRID_WORKER],
        enterprise=world.enterprise,
        topic=Topic.FIRE,
        level="major",
        description="仓库安全出口被货物堵塞",
    )
    _sign_in(page, liaison.username)
    assert page.url.endswith("/council/")
    page.goto(f"{page.base_url}/council/")
    tasks = page.locator("[data-testid=my-tasks]")
    assert c.task.title in tasks.inner_text()
    page.click(f"text={c.task.title}")
    page.wait_for_url(f"**/council/tasks/{c.task.pk}/")
    assert "应急管理局" in page.locator("[data-testid=task-department]").inner_text()
    page.fill("#report-note", "已排查有限空间企业 40 家，全部建立台账。")
    page.set_input_files("#report-evidence", _evidence(tmp_path))
    page.check("#report-completes")
    page.click("[data-testid=report-form] button[type=submit]")
    page.wait_for_url(f"**/council/tasks/{c.task.pk}/")
    assert "已完成" in page.locator("[data-testid=task-status]").inner_text()
    reports = page.locator("[data-testid=reports]").inner_text()
    assert "已排查有限空间企业 40 家" in reports and "整改照片.png" in reports
    assert CouncilTask.objects.get(pk=c.task.pk).status == TaskStatus.DONE

    page.click("[data-testid=council-tabs] >> text=共享数据")
    page.wait_for_url("**/council/shared/")
    assert "只读" in page.locator("[data-testid=read-only-note]").inner_text()
    assert (
        "仓库安全出口被货物堵塞" in page.locator("[data-testid=shared-major-hazards]").inner_text()
    )
    assert page.locator("form").count() <= 2  # the language and sign-out forms, nothing to write


def test_city_official_resolution_task_board_export_and_yearly_report(
    page: Any, world: Any
) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    city = world.people[Role.CITY_OFFICIAL]
    c = council_for(city)
    _sign_in(page, city.username)
    page.goto(f"{page.base_url}/council/meetings/{c.meeting.pk}/")
    page.fill("#resolution-text", "建立职业病危害信息季度共享机制")
    page.click("[data-testid=resolution-form] button[type=submit]")
    page.wait_for_url(f"**/council/meetings/{c.meeting.pk}/")
    resolutions = page.locator("[data-testid=resolutions]")
    assert "2. 建立职业病危害信息季度共享机制" in " ".join(resolutions.inner_text().split())

    # Bad input: a task without owner department or deadline is refused, saying why.
    resolutions.locator("summary").nth(1).click()
    form = page.locator("[data-testid=task-form-2]")
    form.locator("input[name=title]").fill("报送职业病报告数据")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator("[data-testid=form-errors]").inner_text()
    assert "请选择任务的责任单位" in errors and "请为任务设定完成期限" in errors

    page.locator("[data-testid=resolutions] summary").nth(1).click()
    form = page.locator("[data-testid=task-form-2]")
    form.locator("input[name=title]").fill("报送职业病报告数据")
    form.locator("select[name=department]").select_option(label="卫生健康委员会")
    deadline = timezone.localdate().replace(day=1).replace(year=timezone.localdate().year + 1)
    form.locator("input[name=deadline]").fill(deadline.isoformat())
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"**/council/meetings/{c.meeting.pk}/")
    assert "报送职业病报告数据" in page.locator("[data-testid=resolutions]").inner_text()

    page.click("text=本次会议督办看板")
    page.wait_for_url("**/council/board/?meeting=*")
    board = page.locator("[data-testid=board-tasks]").inner_text()
    assert "报送职业病报告数据" in board and c.task.title in board
    assert "卫生健康委员会" in page.locator("[data-testid=by-department]").inner_text()
    with page.expect_download() as download:
        page.click("[data-testid=board-export]")
    assert download.value.suggested_filename.endswith(".xlsx")

    page.click("[data-testid=council-tabs] >> text=年度报告")
    page.wait_for_url("**/council/reports/")
    page.click("[data-testid=report-new] button[type=submit]")
    page.wait_for_url("**/council/reports/*/")
    assert "草稿" in page.locator("[data-testid=report-status]").inner_text()
    page.fill("#r-summary", "全年举办体验式培训 203 场。")
    page.click("[data-testid=report-form] button[type=submit]")
    page.wait_for_url("**/council/reports/*/")
    assert page.locator("#r-summary").input_value() == "全年举办体验式培训 203 场。"
    assert "12-31" in page.content()
    with page.expect_download() as word:
        page.click("[data-testid=report-docx]")
    assert word.value.suggested_filename.endswith(".docx")
