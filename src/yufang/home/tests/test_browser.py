"""A city official's first minutes, in a real browser (Debian chromium)."""

from __future__ import annotations

import pytest

from yufang.accounts.models import Role
from yufang.conftest import browser_login
from yufang.tests.factories import (
    TEST_PASSWORD,
    EnterpriseFactory,
    HeadcountFactory,
    industry,
    persona,
    region,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_official_sees_the_map_and_filters_the_enterprise_list(page):
    official = persona(Role.CITY_OFFICIAL, region=region("370200"))
    chemical = EnterpriseFactory(name="青岛黄岛化工有限公司", county=region("370211"))
    EnterpriseFactory(
        name="青岛市南商贸有限公司",
        county=region("370202"),
        industry=industry("5211"),
        risk_class=2,
        is_key_industry=False,
    )
    EnterpriseFactory(name="济南历下建设有限公司", county=region("370102"))
    HeadcountFactory(enterprise=chemical, year=2024, insured_headcount=120)

    browser_login(page, official.username, TEST_PASSWORD)
    page.wait_for_selector("[data-testid=region-map][data-ready='1']")
    assert page.locator("[data-testid=region-map] canvas").count() >= 1
    assert "青岛市" in page.locator("h2.page-title").inner_text()
    assert page.locator("[data-testid=figure-enterprises]").inner_text() == "2"

    page.click('#navbar-menu >> text="企业"')
    page.wait_for_selector("[data-testid=enterprise-table]")
    table = page.locator("[data-testid=enterprise-table]")
    assert "青岛黄岛化工有限公司" in table.inner_text()
    assert "济南历下建设有限公司" not in table.inner_text()  # another city

    page.select_option("select[name=key_industry]", "1")
    page.click("[data-testid=enterprise-filters] button[type=submit]")
    page.wait_for_url("**key_industry=1**")
    text = page.locator("[data-testid=enterprise-table]").inner_text()
    assert "青岛黄岛化工有限公司" in text
    assert "青岛市南商贸有限公司" not in text

    page.fill("input[name=q]", "商贸")
    page.select_option("select[name=key_industry]", "")
    page.click("[data-testid=enterprise-filters] button[type=submit]")
    page.wait_for_url("**q=**")
    assert "青岛市南商贸有限公司" in page.locator("[data-testid=enterprise-table]").inner_text()


def test_english_switch_and_wrong_password_message(page):
    persona(Role.PROVINCE_OFFICIAL, region=region("370000"), username="prov")
    page.goto(f"{page.base_url}/accounts/login/")
    page.click("button[value=en]")
    page.fill("#id_username", "prov")
    page.fill("#id_password", "wrong")
    page.click("[data-testid=login-submit]")
    assert "do not match" in page.locator("[data-testid=login-error]").inner_text()
