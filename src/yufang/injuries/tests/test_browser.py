from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.injuries.services import case_create, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, insure
from yufang.tests.factories import TEST_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_official_drills_from_the_map_to_the_cases(page: Any, world: Any) -> None:
    insure(world.enterprise, 2024, 100)
    rollup_rebuild()
    case = case_create(actor=world.people[Role.ADMIN], data=case_data(world.enterprise, 1))
    official = world.people[Role.CITY_OFFICIAL]
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", official.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{page.base_url}/")
    page.goto(f"{page.base_url}/injuries/?year=2024")
    # ECharts draws the county map and the charts into canvases.
    page.wait_for_selector("[data-testid=rate-map] canvas")
    assert page.locator("[data-testid=trend-chart] canvas").count() == 1
    page.click("[data-testid=area-table] a >> nth=0")
    page.wait_for_url("**/injuries/?county=370211*")
    page.click("[data-testid=enterprise-rates] a >> nth=0")
    page.wait_for_url("**/injuries/cases/**")
    assert page.locator("[data-testid=case-table]").inner_text().count(case.case_number) == 1
