"""The registry in a real browser: the enterprise's page as an official reads it, the list
and the page on a grid worker's and a safety manager's phone."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.conftest import assert_fits_phone, browser_login
from yufang.hazards import services as hazards
from yufang.injuries.services import case_create
from yufang.injuries.tests.helpers import case_data, insure
from yufang.support.topics import Topic
from yufang.tests.factories import TEST_PASSWORD, EnterpriseFactory, industry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

R = Role


def _busy(world: Any) -> None:
    """The world's enterprise with a long name, headcounts, an open hazard and a case, and
    neighbours in its grid with long names (what squeezed the phone's table)."""
    e = world.enterprise
    e.name = "青岛黄岛经济技术开发区海洋精细化工新材料股份有限公司"
    e.contact_person = "王安全"
    e.contact_phone = "0532-86001234"
    e.save()
    for n in range(3):
        EnterpriseFactory(
            name=f"青岛西海岸新区第{n}号港口装卸物流有限责任公司",
            county=e.county,
            township=e.township,
            grid=e.grid,
            industry=industry("5910"),
        )
    insure(e, 2023, 200)
    insure(e, 2024, 250)
    hazards.hazard_report(
        actor=world.people[R.COUNTY_OFFICIAL],
        enterprise=e,
        topic=Topic.CONFINED_SPACE,
        level="ordinary",
        description="有限空间入口未设警示标志",
    )
    case_create(actor=world.people[R.CITY_OFFICIAL], data=case_data(e, 1))


def test_city_official_reads_the_enterprises_whole_picture(page: Any, world: Any) -> None:
    _busy(world)
    official = world.people[R.CITY_OFFICIAL]
    browser_login(page, official.username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/enterprises/{world.enterprise.pk}/")
    assert "海洋精细化工" in page.locator("h2.page-title").inner_text()
    hazards_panel = page.locator("[data-testid=panel-hazards]")
    assert "隐患与风险评估" in hazards_panel.inner_text()
    assert "有限空间入口未设警示标志" in hazards_panel.inner_text()
    injuries = page.locator("[data-testid=panel-injuries]").inner_text()
    assert "2024" in injuries and "4.00" in injuries
    assert "培训" in page.locator("[data-testid=panel-training]").inner_text()
    headcounts = page.locator("[data-testid=panel-headcounts]").inner_text()
    assert "250" in headcounts and "200" in headcounts
    facts = page.locator("[data-testid=enterprise-facts]").inner_text()
    assert "王安全" in facts and "网格员" in facts
    page.click("[data-testid=panel-injuries] >> text=该企业的全部案件")
    page.wait_for_url("**/injuries/cases/?enterprise=*")
    assert world.enterprise.name in page.content()


@pytest.mark.parametrize("role", [R.GRID_WORKER, R.SAFETY_MANAGER])
def test_list_and_page_read_on_a_phone(phone_page: Any, world: Any, role: str) -> None:
    _busy(world)
    user = world.people[role]
    browser_login(phone_page, user.username, TEST_PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/enterprises/")
    cards = phone_page.locator("[data-testid=enterprise-cards]")
    assert "海洋精细化工" in cards.inner_text()
    assert not phone_page.locator("[data-testid=enterprise-table]").is_visible()
    assert_fits_phone(phone_page)
    cards.locator("a", has_text="海洋精细化工").click()
    phone_page.wait_for_url(f"**/enterprises/{world.enterprise.pk}/")
    assert (
        "有限空间入口未设警示标志" in phone_page.locator("[data-testid=panel-hazards]").inner_text()
    )
    assert_fits_phone(phone_page)
    phone_page.click("text=编辑")
    phone_page.wait_for_url("**/edit/")
    assert phone_page.locator("[data-testid=read-only-fields]").is_visible()
    assert_fits_phone(phone_page)
    assert phone_page.locator("input[name=industry]").count() == 0
    phone_page.fill("#id_contact_phone", "13900001111")
    phone_page.click("button[type=submit] >> text=保存")
    phone_page.wait_for_url(f"**/enterprises/{world.enterprise.pk}/")
    assert "13900001111" in phone_page.locator("[data-testid=enterprise-facts]").inner_text()
    assert_fits_phone(phone_page)


def test_official_starts_an_assessment_by_picking_from_part_of_a_name(
    page: Any, world: Any
) -> None:
    hazards.checklists_import()
    e = world.enterprise
    e.name = "青岛黄岛蓝海精细化工有限公司"
    e.save()
    EnterpriseFactory(name="青岛市北蓝海商贸有限公司", county=world.other_enterprise.county)
    jinan = world.jinan_enterprise
    jinan.name = "济南蓝海化工有限公司"
    jinan.save()
    browser_login(page, world.people[R.CITY_OFFICIAL].username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/hazards/assessments/new/")
    page.locator("#id_enterprise").press_sequentially("蓝海", delay=30)
    options = page.locator("[data-pick-id]")
    options.first.wait_for()
    page.wait_for_function("document.querySelectorAll('[data-pick-id]').length === 2")
    shown = page.locator("[data-picker-results]").inner_text()
    assert "青岛黄岛蓝海精细化工有限公司" in shown and e.credit_code in shown
    assert "济南" not in shown
    page.locator("[data-pick-id]", has_text="精细化工").click()
    assert page.input_value("#id_enterprise") == "青岛黄岛蓝海精细化工有限公司"
    assert "济南" not in page.content()
    page.select_option("#checklist", "T09")
    page.select_option("#method", "site_patrol")
    page.click("[data-testid=assessment-new-form] button[type=submit]")
    page.wait_for_url("**/fill/")
    assert e.assessments.count() == 1


def test_without_scripts_a_name_fragment_is_resolved_or_offered(
    browser: Any, live_server: Any, reference_data: None, world: Any
) -> None:
    hazards.checklists_import()
    e = world.enterprise
    e.name = "青岛黄岛蓝海精细化工有限公司"
    e.save()
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    page.base_url = live_server.url
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", world.people[R.COUNTY_OFFICIAL].username)
        page.fill("#id_password", TEST_PASSWORD)
        page.click("[data-testid=login-submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/hazards/new/")
        page.fill("#id_enterprise", "有限公司")  # both enterprises of the county
        page.fill("#description", "配电箱未上锁")
        page.click("[data-testid=hazard-new-form] button[type=submit]")
        candidates = page.locator("[data-testid=picker-candidates]")
        assert world.other_enterprise.name in candidates.inner_text()
        assert "蓝海精细化工" in candidates.inner_text()
        assert world.jinan_enterprise.name not in page.content()
        assert "请在下面选择一家" in page.content()
        page.check(f"input[type=radio][value='{world.other_enterprise.pk}']")
        page.click("[data-testid=hazard-new-form] button[type=submit]")
        page.wait_for_url("**/hazards/*/")
        assert world.other_enterprise.hazards.count() == 1
    finally:
        context.close()


def test_grid_worker_picks_with_the_keyboard_on_a_phone(phone_page: Any, world: Any) -> None:
    e = world.enterprise
    e.name = "青岛黄岛蓝海精细化工有限公司"
    e.save()
    browser_login(phone_page, world.people[R.GRID_WORKER].username, TEST_PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/hazards/new/?enterprise={world.other_enterprise.pk}")
    # Not the grid worker's grid: the page does not start with it.
    assert phone_page.input_value("#id_enterprise") == ""
    phone_page.locator("#id_enterprise").press_sequentially("蓝海", delay=30)
    phone_page.locator("[data-pick-id]").first.wait_for()
    assert phone_page.locator("[data-pick-id]").count() == 1
    assert_fits_phone(phone_page)
    phone_page.keyboard.press("ArrowDown")
    phone_page.keyboard.press("Enter")
    assert phone_page.input_value("#id_enterprise") == "青岛黄岛蓝海精细化工有限公司"
    assert phone_page.input_value("input[type=hidden][name=enterprise]") == str(e.pk)
    phone_page.fill("#description", "配电箱未上锁")
    phone_page.click("[data-testid=hazard-new-form] button[type=submit]")
    phone_page.wait_for_url("**/hazards/*/")
    assert e.hazards.count() == 1
