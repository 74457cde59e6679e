"""Journeys in a real browser: the safety manager on a phone (home; asks to correct its
insured headcount with a reason and cannot change it directly; submits a roster change) and
the city official at a desk approving them."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.conftest import assert_fits_phone
from yufang.enterprises.models import InsuredHeadcount
from yufang.portal.tests.factories import id_number
from yufang.tests.factories import TEST_PASSWORD

YEAR = timezone.localdate().year


def shot(page: Any, name: str) -> None:
    """A screenshot to look at while developing (`/tmp/portal-<name>.png`)."""
    page.screenshot(path=str(Path(tempfile.gettempdir()) / f"portal-{name}.png"), full_page=True)


def login(page: Any, username: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_safety_manager_asks_for_a_headcount_correction_and_a_roster_change_on_a_phone(
    phone_page: Any, world: Any
) -> None:
    InsuredHeadcount.objects.create(enterprise=world.enterprise, year=YEAR, insured_headcount=120)
    page = phone_page
    login(page, world.people[Role.SAFETY_MANAGER].username)
    assert page.url.endswith("/portal/")
    assert page.locator("[data-testid=portal-profile]").is_visible()
    assert world.enterprise.name in page.inner_text("h2")
    assert "千人工伤发生率" in page.inner_text("[data-testid=portal-injury-rate]")
    assert_fits_phone(page)
    shot(page, "home-phone")

    # The registry's own page offers no headcount form to the enterprise.
    page.goto(f"{page.base_url}/enterprises/{world.enterprise.pk}/")
    assert page.locator("input[name=insured_headcount]").count() == 0

    page.goto(f"{page.base_url}/portal/")
    page.click("[data-testid=ask-change]")
    assert "不能自行修改" in page.inner_text("body")
    page.select_option("#field", "insured_headcount")
    page.fill("#requested_value", "150")
    page.fill("#headcount_year", str(YEAR))
    page.click("[data-testid=request-form] button[type=submit]")
    assert "请说明变更原因。" in page.inner_text("[data-testid=form-errors]")
    page.fill("#reason", "新招聘30名员工已参保")
    page.click("[data-testid=request-form] button[type=submit]")
    page.wait_for_url("**/portal/requests/*/")
    assert "待人社局审核" in page.inner_text("[data-testid=request-status]")
    assert_fits_phone(page)
    shot(page, "request-phone")
    assert (
        InsuredHeadcount.objects.get(enterprise=world.enterprise, year=YEAR).insured_headcount
        == 120
    )

    page.goto(f"{page.base_url}/portal/roster/")
    page.fill("#person_name", "张三")
    page.fill("#id_number", id_number(1))
    page.click("[data-testid=roster-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    changes = page.inner_text("[data-testid=roster-changes]")
    assert "张三" in changes and "待人社局审核" in changes and id_number(1) not in changes
    assert_fits_phone(page)
    shot(page, "roster-phone")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_city_official_approves_requests_and_roster_changes(page: Any, world: Any) -> None:
    from yufang.portal.tests.factories import headcount_request, roster_add

    InsuredHeadcount.objects.create(enterprise=world.enterprise, year=YEAR, insured_headcount=120)
    manager = world.people[Role.SAFETY_MANAGER]
    request = headcount_request(manager, "150", headcount_year=str(YEAR))
    roster_add(manager, 3, name="钱七")
    login(page, world.people[Role.CITY_OFFICIAL].username)
    page.goto(f"{page.base_url}/portal/desk/")
    desk = page.inner_text("[data-testid=desk-requests]")
    assert world.enterprise.name in desk and "新招聘员工已参保" in desk
    shot(page, "desk")
    page.click(f"a[href='/portal/requests/{request.pk}/']")
    page.click("[data-testid=approve]")
    page.wait_for_load_state("networkidle")
    assert "已通过" in page.inner_text("[data-testid=request-status]")
    page.goto(f"{page.base_url}/portal/desk/")
    page.click("[data-testid=roster-row] button[value=approve]")
    page.wait_for_load_state("networkidle")
    assert "审核结果已记录并通知企业。" in page.inner_text("body")
    assert (
        InsuredHeadcount.objects.get(enterprise=world.enterprise, year=YEAR).insured_headcount
        == 151
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_city_official_enters_lists_and_corrects_premiums(page: Any, world: Any) -> None:
    from decimal import Decimal

    from yufang.portal.models import PremiumPaid

    last = YEAR - 1
    PremiumPaid.objects.create(enterprise=world.jinan_enterprise, year=last, amount=Decimal(7))
    login(page, world.people[Role.CITY_OFFICIAL].username)
    page.goto(f"{page.base_url}/portal/desk/")
    page.click("[data-testid=desk-premiums]")
    page.click("[data-testid=premium-new]")
    page.fill("#credit_code", world.enterprise.credit_code)
    page.fill("#year", str(last))
    page.fill("#amount", "1,2a")
    page.click("[data-testid=premium-form] button[type=submit]")
    assert "请以元为单位填写实缴保费" in page.inner_text("[data-testid=form-errors]")
    page.fill("#amount", "12345.6")
    page.click("[data-testid=premium-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    listed = page.inner_text("[data-testid=premium-list]")
    assert world.enterprise.name in listed and "12345.60" in listed
    assert f"已登记 {world.enterprise.name} {last} 年度的实缴保费。" in page.inner_text("body")
    page.goto(f"{page.base_url}/portal/premiums/?year={last}")
    listed = page.inner_text("[data-testid=premium-list]")
    assert world.jinan_enterprise.name not in listed
    shot(page, "premiums")
    page.click(f"[data-testid=premium-list] a:has-text('{world.enterprise.name}')")
    page.fill("#amount", "20000")
    page.click("[data-testid=premium-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "20000.00" in page.inner_text("[data-testid=premium-summary]")
    page.goto(f"{page.base_url}/portal/premiums/")
    page.click("[data-testid=premium-import]")
    page.wait_for_load_state("networkidle")
    assert "实缴保费（按企业和年度）" in page.inner_text("body")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_safety_manager_sends_a_roster_file_through_the_import_on_a_phone(
    phone_page: Any, world: Any, tmp_path: Path
) -> None:
    from decimal import Decimal

    from yufang.portal.models import PremiumPaid

    page = phone_page
    PremiumPaid.objects.create(enterprise=world.enterprise, year=YEAR - 1, amount=Decimal(900))
    roster = tmp_path / "roster.csv"
    roster.write_text(
        f"增减,姓名,身份证号\n增员,王一,{id_number(21)}\n增员,王二,{id_number(22)}\n",
        encoding="utf-8",
    )
    login(page, world.people[Role.SAFETY_MANAGER].username)
    assert "900.00" in page.inner_text("[data-testid=portal-premiums]")
    page.goto(f"{page.base_url}/portal/roster/")
    page.set_input_files("#file", str(roster))
    page.click("[data-testid=roster-file-form] button[type=submit]")
    page.wait_for_load_state("networkidle")
    preview = page.inner_text("[data-testid=import-preview]")
    assert "王一" in preview and id_number(21) not in preview
    assert_fits_phone(page)
    page.click("[data-testid=import-confirm]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{page.base_url}/portal/roster/")
    changes = page.inner_text("[data-testid=roster-changes]")
    assert "王一" in changes and "王二" in changes
    shot(page, "roster-import-phone")
