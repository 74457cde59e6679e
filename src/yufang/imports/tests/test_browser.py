"""Journey: a county official imports the bureau's enterprise file, as the bureau writes it."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.conftest import browser_login
from yufang.tests.factories import TEST_PASSWORD, valid_credit_code

BUREAU_FILE = (
    "统一社会信用代码,单位名称,所在区县代码,所属行业代码,参保人数,年度\n"
    f"{valid_credit_code(7001)},青岛浏览器甲有限公司,370211,8010,150,2024\n"
    f"{valid_credit_code(7002)},青岛浏览器乙有限公司,370211,1311,8,2024\n"
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL])
def test_official_imports_a_bureau_file_without_a_size_column(
    page: Any, world: Any, role: Role
) -> None:
    official = world.people[role]
    browser_login(page, official.username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/imports/")
    page.click("[data-testid=import-kind-enterprises]")
    page.wait_for_url("**/imports/new/enterprises/")
    # Every coded column's accepted values are on the page.
    assert "微型" in page.locator("[data-testid=import-columns]").inner_text()
    page.set_input_files(
        "#file",
        files=[{"name": "单位名单.csv", "mimeType": "text/csv", "buffer": BUREAU_FILE.encode()}],
    )
    page.click("[data-testid=import-upload]")
    page.wait_for_url("**/imports/*/")
    matched = page.locator("[data-testid=import-matched]").inner_text()
    assert "所在区县代码\t区县代码" in matched
    assert "所属行业代码\t行业代码" in matched
    preview = page.locator("[data-testid=import-preview]").inner_text()
    assert "中型（由参保人数推定）" in preview  # 150 people in 居民服务业
    assert "微型（由参保人数推定）" in preview  # 8 people in manufacturing
    assert page.locator("[data-testid=import-status]").inner_text() == "待确认导入"
    page.click("[data-testid=import-confirm]")
    page.wait_for_selector("[data-testid=import-status]:has-text('已导入')")
    page.goto(f"{page.base_url}/enterprises/?q=青岛浏览器")
    listed = page.locator("[data-testid=enterprise-table]").inner_text()
    assert "青岛浏览器甲有限公司" in listed
    assert "青岛浏览器乙有限公司" in listed


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_file_too_wide_is_refused_on_the_page_naming_the_limit(page: Any, world: Any) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    browser_login(page, official.username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/imports/new/enterprises/")
    limits = page.locator("[data-testid=import-limits]").inner_text()
    assert "最多 100000 行数据、100 列" in limits
    wide = ",".join(f"列{i}" for i in range(5000)) + "\n" + ",".join("1" * 5000) + "\n"
    page.set_input_files(
        "#file",
        files=[{"name": "宽表.csv", "mimeType": "text/csv", "buffer": wide.encode()}],
    )
    page.click("[data-testid=import-upload]")
    error = page.locator("[data-testid=import-error]").inner_text()
    assert error == "第 1 行（表头）超过 100 列；此类导入最多允许 100 列。"
