"""The grid pages: what officials and grid workers read, and their forms."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from yufang.accounts.models import Role
from yufang.grid.models import DutyList, ScreeningPlan, ScreeningTask, TaskStatus
from yufang.grid.services import screening_record
from yufang.grid.tests.factories import grid_worker, task

pytestmark = pytest.mark.django_db


def overdue_world(world: Any) -> dict[str, Any]:
    """A grid with a sick worker holding overdue tasks and a colleague."""
    sick = world.people[Role.GRID_WORKER]
    helper = grid_worker(world.grid, full_name="李网格")
    today = timezone.localdate()
    past = today - dt.timedelta(days=10)
    late = task(
        world.enterprise, worker=sick, period_start=past - dt.timedelta(days=20), due_on=past
    )
    return {"sick": sick, "helper": helper, "late": late}


def test_the_county_reads_lagging_grids_and_idle_workers(client: Any, world: Any) -> None:
    overdue_world(world)
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    page = client.get("/grid/?level=grid")
    text = page.content.decode()
    assert page.status_code == 200
    assert "滞后网格" in text and world.grid.name in text
    assert "近期无排查的网格员" in text and "李网格" in text


def test_the_coverage_figures_link_to_their_records(client: Any, world: Any) -> None:
    data = overdue_world(world)
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    page = client.get("/grid/?level=grid").content.decode()
    assert "/grid/records/?kind=overdue" in page
    records = client.get(
        f"/grid/records/?kind=overdue&level=grid&area={world.grid.pk}"
    ).content.decode()
    assert world.enterprise.name in records and f"/grid/tasks/{data['late'].pk}/" in records


def test_coverage_exports_to_excel(client: Any, world: Any) -> None:
    overdue_world(world)
    client.force_login(world.people[Role.CITY_OFFICIAL])
    response = client.get("/grid/?level=grid&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[0]) == 15
    assert any(r[1] == world.grid.name and r[5] == 1 for r in rows[1:])


def test_the_jinan_official_does_not_see_qingdao_grids(client: Any, world: Any) -> None:
    overdue_world(world)
    client.force_login(world.jinan_city_official)
    page = client.get("/grid/?level=grid").content.decode()
    assert world.grid.name not in page
    assert client.get(f"/grid/grids/{world.grid.pk}/").status_code == 404


def test_the_county_hands_a_sick_workers_tasks_to_the_others(client: Any, world: Any) -> None:
    data = overdue_world(world)
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    grid_page = f"/grid/grids/{world.grid.pk}/"
    response = client.submit(
        grid_page,
        {"from_worker": data["sick"].pk},
        action=f"/grid/grids/{world.grid.pk}/reassign/",
        follow=True,
    )
    assert "已改派 1 项任务。" in response.content.decode()
    data["late"].refresh_from_db()
    assert data["late"].worker_id == data["helper"].pk


def test_a_worker_cannot_reassign(client: Any, world: Any) -> None:
    data = overdue_world(world)
    client.force_login(world.people[Role.GRID_WORKER])
    response = client.post_direct(
        f"/grid/grids/{world.grid.pk}/reassign/", {"from_worker": data["sick"].pk}
    )
    assert response.status_code == 403


def test_the_county_publishes_a_duty_list(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    response = client.submit(
        "/grid/duty/",
        {
            "county": "370211",
            "grid_role": "full_time",
            "valid_from": "2026-12-01",
            "items": "检查安全出口是否畅通\n- 宣传工伤保险政策",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "职责清单已发布" in text
    assert "检查安全出口是否畅通" in text
    assert DutyList.objects.get().items.filter(in_checklist=False).count() == 1


def test_an_empty_duty_list_is_refused_with_a_message(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    response = client.submit(
        "/grid/duty/",
        {"county": "370211", "grid_role": "full_time", "valid_from": "2026-12-01", "items": ""},
    )
    assert "请至少填写一项预防事项。" in response.content.decode()
    assert not DutyList.objects.exists()


def test_a_campaign_is_planned_from_the_page(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    response = client.submit(
        "/grid/plans/",
        {
            "name": "有限空间专项排查",
            "region": "370211",
            "target": "industries",
            "industry_codes": "C26",
            "starts_on": "2026-12-07",
            "ends_on": "",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "有限空间专项排查" in text and "生成 2 项排查任务" in text
    assert ScreeningPlan.objects.filter(kind="campaign").count() == 1


def test_the_grid_worker_reads_their_own_record(client: Any, world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    screening_record(actor=worker, task=t, note="一切正常")
    client.force_login(worker)
    assert client.get("/grid/").status_code == 302
    page = client.get("/grid/my-work/").content.decode()
    assert "我的排查工作" in page and world.enterprise.name in page
    assert ScreeningTask.objects.get(pk=t.pk).status == TaskStatus.DONE
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    assert client.get("/grid/my-work/").status_code == 403
