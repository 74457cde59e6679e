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


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_safety_manager_reads_the_case_list_on_a_phone(phone_page: Any, world: Any) -> None:
    from yufang.conftest import assert_fits_phone, browser_login

    insure(world.enterprise, 2024, 100)
    rollup_rebuild()
    admin = world.people[Role.ADMIN]
    case = case_create(
        actor=admin, data=case_data(world.enterprise, 1, person_name="欧阳明", disability_grade="7")
    )
    manager = world.people[Role.SAFETY_MANAGER]
    browser_login(phone_page, manager.username, TEST_PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/injuries/cases/")
    cards = phone_page.locator("[data-testid=case-cards]")
    text = cards.inner_text()
    assert case.case_number in text and "欧阳明" in text and "2024-03-05" in text
    assert "伤残 7 级" in text
    assert not phone_page.locator("[data-testid=case-table]").is_visible()
    assert_fits_phone(phone_page)
    cards.locator("a", has_text=case.case_number).click()
    phone_page.wait_for_url(f"**/injuries/cases/{case.pk}/")
    assert "欧阳明" in phone_page.locator("[data-testid=case-fields]").inner_text()
    assert_fits_phone(phone_page)
