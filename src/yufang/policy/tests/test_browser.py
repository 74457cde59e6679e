"""The province's official keeps the working-day calendar in a real browser: records a day,
is told clearly when a file has a bad row (and nothing is written), imports the year, and
the city official reads it without the forms. The dates are the test's own."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.conftest import browser_login
from yufang.tests.factories import TEST_PASSWORD

GOOD = "日期,类别,名称\n2031-10-01,放假,国庆节\n2031-10-02,放假,国庆节\n2031-10-11,调休上班,国庆节调休\n"


def _file(text: str) -> str:
    path = Path(tempfile.mkdtemp()) / "days.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_province_official_keeps_the_calendar_and_the_city_reads_it(
    page: Any, world: Any
) -> None:
    browser_login(page, world.people[Role.PROVINCE_OFFICIAL].username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/policy/calendar/")
    assert "工作日历" in page.inner_text("h1, h2")
    page.fill("#day", "2031-10-03")
    page.select_option("#kind", "rest_day")
    page.fill("#name", "国庆节")
    page.get_by_role("button", name="记录").click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=calendar-day]").count() == 1

    page.set_input_files("input[name=file]", _file(GOOD + "2031-10-14,调休上班,周二\n"))
    page.get_by_role("button", name="导入").click()
    page.wait_for_load_state()
    body = page.inner_text("body")
    assert "第 5 行" in body and "本来就是工作日" in body
    assert page.locator("[data-testid=calendar-day]").count() == 1

    page.set_input_files("input[name=file]", _file(GOOD))
    page.get_by_role("button", name="导入").click()
    page.wait_for_load_state()
    rows = page.locator("[data-testid=calendar-day]")
    assert rows.count() == 4
    assert "国庆节调休" in page.inner_text("table")
    assert page.get_by_role("button", name="删除").count() == 4

    page.context.clear_cookies()
    browser_login(page, world.people[Role.CITY_OFFICIAL].username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/policy/calendar/?year=2031&kind=working_day")
    assert page.locator("[data-testid=calendar-day]").count() == 1
    assert "国庆节调休" in page.inner_text("table")
    assert page.locator("input[name=file]").count() == 0
    assert page.get_by_role("button", name="删除").count() == 0
