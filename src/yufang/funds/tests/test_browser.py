"""The fee's journeys in a real browser: the city official, the province official and an
institution's staff, asserting what each reads."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from yufang.accounts.models import Role
from yufang.funds.models import Payment
from yufang.funds.tests.factories import fee_budget, fee_contract, fee_project
from yufang.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, user: Any) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{page.base_url}/")


def evidence_file(tmp_path: Any) -> str:
    path = tmp_path / "验收单.png"
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (250, 250, 250)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_city_official_budgets_approves_pays_after_acceptance_and_reads_the_dashboard(
    page: Any, world: Any, tmp_path: Any
) -> None:
    year = timezone.localdate().year
    official = world.people[Role.CITY_OFFICIAL]
    staff = world.people[Role.INSTITUTION_STAFF]
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, official)

    page.goto(f"{page.base_url}/funds/budgets/370200/{year}/")
    page.fill("#contribution_income", "100000000")
    page.fill("#publicity", "1000000")
    page.fill("#training", "2500000")
    page.click("[data-testid=budget-save]")
    assert "超过提取额度" in page.inner_text("[data-testid=form-errors]")
    page.fill("#training", "2000000")
    page.click("[data-testid=budget-save]")
    page.wait_for_selector("text=预算已保存")
    assert page.inner_text("[data-testid=cap-amount]") == "3,000,000.00"
    assert "鲁人社规〔2018〕3号" in page.inner_text("[data-testid=rules-card]")

    project = fee_project(
        official, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), approve=False
    )
    page.goto(f"{page.base_url}/funds/projects/{project.pk}/")
    page.click("[data-testid=approve]")
    page.wait_for_selector("text=项目已批准")
    assert page.inner_text("[data-testid=project-status]") == "已批准"

    contract = fee_contract(official, project, staff.institution)
    page.goto(f"{page.base_url}/funds/contracts/{contract.pk}/")
    assert "pay-form-1" not in page.content()
    form = page.locator("[data-testid=accept-form-1]")
    form.locator("input[type=file]").set_input_files(evidence_file(tmp_path))
    form.locator("input[name=note]").fill("培训记录齐全，验收合格")
    form.locator("button").click()
    page.wait_for_selector("text=履约节点已验收")
    pay = page.locator("[data-testid=pay-form-1]")
    pay.locator("input[name=amount]").fill("300000.01")
    pay.locator("button").click()
    page.wait_for_selector("text=超过")
    assert not Payment.objects.exists()
    page.locator("[data-testid=pay-form-1] input[name=amount]").fill("300000")
    page.locator("[data-testid=pay-form-1] button").click()
    page.wait_for_selector("text=拨付已登记")
    assert "300,000.00" in page.inner_text("[data-testid=payments]")

    page.goto(f"{page.base_url}/funds/dashboard/?year={year}")
    assert page.inner_text("[data-testid=total-paid]") == "300,000.00"
    assert page.inner_text("[data-testid=total-committed]") == "600,000.00"
    assert page.locator("[data-echarts=months-option] canvas").count() == 1
    page.screenshot(path="/tmp/funds-dashboard.png", full_page=True)  # noqa: S108 - a screenshot to look at


def test_province_official_approves_a_raise_and_publishes_the_use(page: Any, world: Any) -> None:
    year = timezone.localdate().year
    official = world.people[Role.CITY_OFFICIAL]
    fee_budget(official, year=year)
    fee_project(official, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, world.people[Role.PROVINCE_OFFICIAL])
    page.goto(f"{page.base_url}/funds/budgets/370200/{year}/")
    page.fill("#ratio", "6")
    page.fill("#reason", "省人社厅、省财政厅同意")
    page.click("[data-testid=raise-save]")
    page.wait_for_selector("text=不得超过 5%")
    page.fill("#ratio", "4")
    page.fill("#reason", "省人社厅、省财政厅同意")
    page.click("[data-testid=raise-save]")
    page.wait_for_selector("text=提高比例的批准已登记")
    assert "4%" in page.inner_text("[data-testid=raise-approval]")
    assert page.inner_text("[data-testid=cap-amount]") == "4,000,000.00"
    page.screenshot(path="/tmp/funds-budget.png", full_page=True)  # noqa: S108 - a screenshot to look at
    page.click("[data-testid=disclose]")
    page.wait_for_url(f"**/funds/disclosure/370200/{year}/")
    text = page.inner_text("[data-testid=disclosed-projects]")
    assert "实训基地体验式培训" in text
    assert page.inner_text("[data-testid=disclosed-budget]") == "2,900,000.00"
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/funds/disclosure/370200/{year}/")
    assert "实训基地体验式培训" in page.inner_text("[data-testid=disclosed-projects]")
    assert official.username not in page.content()


def test_institution_staff_read_their_milestones_and_counted_outputs(page: Any, world: Any) -> None:
    year = timezone.localdate().year
    official = world.people[Role.CITY_OFFICIAL]
    staff = world.people[Role.INSTITUTION_STAFF]
    fee_budget(official, year=year)
    project = fee_project(
        official, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), person_times=500
    )
    contract = fee_contract(official, project, staff.institution)
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, staff)
    page.goto(f"{page.base_url}/funds/")
    page.click(f"text={contract.number}")
    page.wait_for_url(f"**/funds/contracts/{contract.pk}/")
    milestones = page.inner_text("[data-testid=milestones]")
    assert "上半年培训" in milestones and "未验收" in milestones
    assert page.inner_text("[data-testid=counted-person_times]") == "0"
    assert "500" in page.inner_text("[data-testid=progress-table]")
    assert page.locator("[data-testid=pay-form-1]").count() == 0
    page.screenshot(path="/tmp/funds-institution.png", full_page=True)  # noqa: S108 - a screenshot to look at
