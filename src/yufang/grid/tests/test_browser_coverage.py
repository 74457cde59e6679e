"""The city official's journey at 1366 px: reads coverage by grid for the city, follows a
grid's "never screened" and "not screened in their period" figures to the enterprises behind
them, and exports the table. Nothing of another city appears."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from yufang.accounts.models import Role
from yufang.conftest import browser_login
from yufang.grid.services import screening_record
from yufang.grid.tests.factories import task
from yufang.tests.factories import TEST_PASSWORD, EnterpriseFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_city_official_follows_the_enterprises_never_screened_to_their_list(
    page: Any, world: Any, tmp_path: Any
) -> None:
    worker = world.people[Role.GRID_WORKER]
    today = timezone.localdate()
    screening_record(actor=worker, task=task(world.enterprise, worker=worker), note="正常")
    in_grid = {"county": world.grid.county, "township": world.grid.township, "grid": world.grid}
    never = EnterpriseFactory(name="从未排查的五金厂", **in_grid)
    ended = today - dt.timedelta(days=3)
    missed = EnterpriseFactory(name="漏检的化工厂", **in_grid)
    task(missed, worker=worker, period_start=ended - dt.timedelta(days=27), due_on=ended)

    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, world.people[Role.CITY_OFFICIAL].username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/grid/?level=grid&days=30")
    table = page.locator("[data-testid=coverage-table]")
    assert world.grid.name in table.inner_text()
    # Another city's grids are not the city official's.
    assert world.jinan_enterprise.grid.name not in table.inner_text()
    row = table.locator("tr", has_text=world.grid.name)
    never_link = row.locator("a[href*='kind=never']")
    not_in_period_link = row.locator("a[href*='kind=not_in_period']")
    assert (never_link.inner_text(), not_in_period_link.inner_text()) == ("2", "1")
    page.screenshot(path=str(tmp_path / "coverage-city.png"), full_page=True)

    never_link.click()
    page.wait_for_url("**/grid/records/?*kind=never*")
    records = page.locator("[data-testid=records]").inner_text()
    assert never.name in records and missed.name in records
    assert world.enterprise.name not in records
    assert world.jinan_enterprise.name not in records
    page.screenshot(path=str(tmp_path / "coverage-never.png"), full_page=True)

    page.go_back()
    page.locator("[data-testid=coverage-table] tr", has_text=world.grid.name).locator(
        "a[href*='kind=not_in_period']"
    ).click()
    page.wait_for_url("**/grid/records/?*kind=not_in_period*")
    records = page.locator("[data-testid=records]").inner_text()
    assert missed.name in records and never.name not in records

    page.go_back()
    with page.expect_download() as download:
        page.click("[data-testid=export-coverage]")
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    assert sheet is not None
    names = [str(c.value) for c in sheet["B"]] + [str(c.value) for c in sheet["A"]]
    assert world.grid.name in names
