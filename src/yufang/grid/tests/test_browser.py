"""The county official's journey at 1366 px: sees which grids lag behind on screening and
hands a sick grid worker's tasks to the grid's other workers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.conftest import browser_login
from yufang.grid.models import ScreeningTask, TaskStatus
from yufang.grid.services import screening_record
from yufang.grid.tests.factories import grid_worker, task
from yufang.tests.factories import TEST_PASSWORD, EnterpriseFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_county_official_reassigns_a_sick_workers_tasks(
    page: Any, world: Any, tmp_path: Any
) -> None:
    sick = world.people[Role.GRID_WORKER]
    sick.full_name = "网格员 病假"
    sick.save()
    helper = grid_worker(world.grid, full_name="网格员 顶班")
    today = timezone.localdate()
    due = today - dt.timedelta(days=5)
    start = due - dt.timedelta(days=25)
    late = [
        task(
            EnterpriseFactory(grid=world.grid, township=world.grid.township),
            worker=sick,
            period_start=start,
            due_on=due,
        )
        for _i in range(3)
    ]
    done = task(world.enterprise, worker=helper, period_start=start, due_on=due)
    screening_record(
        actor=helper, task=done, note="正常", done_at=timezone.now() - dt.timedelta(days=7)
    )
    # the other grid is on time
    other_worker = grid_worker(world.other_grid)
    kept = task(world.other_enterprise, worker=other_worker, period_start=start, due_on=due)
    screening_record(
        actor=other_worker, task=kept, note="正常", done_at=timezone.now() - dt.timedelta(days=7)
    )

    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, world.people[Role.COUNTY_OFFICIAL].username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/grid/?level=grid&days=30")
    lagging = page.locator("[data-testid=lagging-grids]")
    assert world.grid.name in lagging.inner_text()
    assert world.other_grid.name not in lagging.inner_text()
    assert "25.0%" in lagging.inner_text()
    page.screenshot(path=str(tmp_path / "grid-coverage.png"), full_page=True)
    lagging.get_by_text(world.grid.name).click()
    page.wait_for_url(f"**/grid/grids/{world.grid.pk}/")
    workers = page.locator("[data-testid=grid-workers]")
    assert "网格员 病假" in workers.inner_text() and "网格员 顶班" in workers.inner_text()
    page.click(f"[data-testid=hand-over-{sick.username}]")
    page.wait_for_url(f"**/grid/grids/{world.grid.pk}/")
    assert "已改派 3 项任务。" in page.inner_text("body")
    assert page.locator("[data-testid=task-worker]").all_inner_texts() == ["网格员 顶班"] * 3
    page.screenshot(path=str(tmp_path / "grid-reassigned.png"), full_page=True)
    assert set(
        ScreeningTask.objects.filter(pk__in=[t.pk for t in late]).values_list(
            "worker_id", flat=True
        )
    ) == {helper.pk}
    assert ScreeningTask.objects.filter(status=TaskStatus.OPEN, worker=sick).count() == 0
