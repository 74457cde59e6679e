"""The fee's pages as their users read them (Chinese by default)."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.funds.models import Budget, LedgerEntry, Payment, Project, ProjectStatus
from yufang.funds.tests.factories import YEAR, fee_budget, fee_contract, fee_project, png

pytestmark = pytest.mark.django_db


def test_city_official_sets_a_budget_under_the_cap_and_reads_it_with_its_source(
    client: Any, world: Any
) -> None:
    client.force_login(world.people[Role.CITY_OFFICIAL])
    url = f"/funds/budgets/370200/{YEAR}/"
    page = client.get(url)
    assert "上年度工伤保险基金征缴收入" in page.content.decode()
    response = client.submit(
        url,
        {
            "contribution_income": "100000000",
            "publicity": "900000",
            "training": "2000000",
            "note": "2026年预算",
        },
    )
    assert response.status_code == 302
    text = client.get(url).content.decode()
    assert "3,000,000.00" in text
    assert "人社部规〔2017〕13号" in text or "鲁人社规〔2018〕3号" in text
    assert Budget.objects.get().total == 2900000


def test_a_budget_above_the_cap_is_refused_with_a_clear_message(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.CITY_OFFICIAL])
    url = f"/funds/budgets/370200/{YEAR}/"
    client.get(url)
    response = client.post(
        url, {"contribution_income": "100000000", "publicity": "1000000", "training": "2000001"}
    )
    text = response.content.decode()
    assert response.status_code == 422
    assert "超过提取额度" in text
    assert not Budget.objects.exists()


def test_a_negative_amount_is_refused_by_its_label(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.CITY_OFFICIAL])
    url = f"/funds/budgets/370200/{YEAR}/"
    client.get(url)
    response = client.post(url, {"contribution_income": "abc", "publicity": "-5", "training": "1"})
    text = response.content.decode()
    assert "金额不能为负数" in text
    assert "不是有效的金额" in text
    assert "宣传（元）" in text


def test_county_official_reads_but_cannot_set_the_city_budget(client: Any, world: Any) -> None:
    fee_budget(world.people[Role.CITY_OFFICIAL])
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    page = client.get(f"/funds/budgets/370200/{YEAR}/")
    assert page.status_code == 200
    assert "保存预算" not in page.content.decode()
    assert client.post_direct(f"/funds/budgets/370200/{YEAR}/", {}).status_code == 403


def test_jinan_official_cannot_open_qingdaos_project(client: Any, world: Any) -> None:
    fee_budget(world.people[Role.CITY_OFFICIAL])
    project = fee_project(world.people[Role.CITY_OFFICIAL])
    client.force_login(world.jinan_city_official)
    assert client.get(f"/funds/projects/{project.pk}/").status_code == 404


def test_grid_worker_has_no_business_here(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.GRID_WORKER])
    assert client.get("/funds/").status_code == 403


def test_proposal_approval_acceptance_and_payment_through_the_pages(
    client: Any, world: Any
) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    fee_budget(official)
    client.force_login(official)
    client.get(f"/funds/projects/?year={YEAR}")
    response = client.post(
        "/funds/projects/",
        {
            "pooling_region": "370200",
            "use": "training",
            "title": "建筑施工一线员工体验式培训",
            "purpose": "降低高处坠落事故",
            "proposer": "青岛市建筑业协会",
            "cost_basis": "每人次200元",
            "starts_on": f"{YEAR}-03-01",
            "ends_on": f"{YEAR}-12-31",
            "year_1": str(YEAR),
            "amount_1": "600000",
            "target_person_times_1": "3000",
        },
    )
    project = Project.objects.get()
    assert response.status_code == 302
    client.get(f"/funds/projects/{project.pk}/")
    client.post(f"/funds/projects/{project.pk}/review/", {"decision": "approve", "note": "同意"})
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED
    contract = fee_contract(official, project, world.people[Role.INSTITUTION_STAFF].institution)
    first = contract.milestones.get(number=1)
    page = client.get(f"/funds/contracts/{contract.pk}/")
    assert "未验收" in page.content.decode()
    client.post(f"/funds/milestones/{first.pk}/accept/", {"evidence": png(), "note": "验收合格"})
    first.refresh_from_db()
    assert first.accepted_at is not None
    client.get(f"/funds/contracts/{contract.pk}/")
    response = client.post(
        f"/funds/milestones/{first.pk}/pay/",
        {"amount": "999999", "paid_on": f"{YEAR}-07-01"},
    )
    assert not Payment.objects.exists()
    page = client.get(f"/funds/contracts/{contract.pk}/").content.decode()
    assert "超过合同剩余金额" in page
    client.post(
        f"/funds/milestones/{first.pk}/pay/", {"amount": "300000", "paid_on": f"{YEAR}-07-01"}
    )
    assert Payment.objects.get().amount == 300000
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
    evidence = client.get(f"/funds/milestones/{first.pk}/evidence/")
    assert evidence.status_code == 200


def test_institution_staff_see_their_contract_and_counted_outputs(client: Any, world: Any) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    staff = world.people[Role.INSTITUTION_STAFF]
    fee_budget(official)
    project = fee_project(official)
    contract = fee_contract(official, project, staff.institution)
    client.force_login(staff)
    home = client.get("/funds/").content.decode()
    assert contract.number in home
    page = client.get(f"/funds/contracts/{contract.pk}/").content.decode()
    assert "平台统计的履约产出" in page
    assert "验收" in page
    assert "pay-form" not in page


def test_dashboard_shows_figures_and_exports_them(client: Any, world: Any) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    fee_budget(official)
    fee_project(official)
    client.force_login(official)
    page = client.get(f"/funds/dashboard/?year={YEAR}").content.decode()
    assert "2,900,000.00" in page
    assert "600,000.00" in page
    export = client.get(f"/funds/dashboard/?year={YEAR}&export=regions")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_province_publishes_and_the_public_reads_without_personal_data(
    client: Any, world: Any
) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    fee_budget(official)
    fee_project(official)
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    client.get(f"/funds/budgets/370200/{YEAR}/")
    client.post(f"/funds/budgets/370200/{YEAR}/disclose/")
    client.logout()
    page = client.get(f"/funds/disclosure/370200/{YEAR}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "实训基地体验式培训" in text
    assert official.username not in text
    assert "2,900,000.00" in text


def test_an_unpublished_year_is_not_public(client: Any, world: Any) -> None:
    fee_budget(world.people[Role.CITY_OFFICIAL])
    assert client.get(f"/funds/disclosure/370200/{YEAR}/").status_code == 404


def test_ledger_page_verifies_the_chain(client: Any, world: Any) -> None:
    fee_budget(world.people[Role.CITY_OFFICIAL])
    client.force_login(world.people[Role.AUDITOR])
    page = client.get(f"/funds/ledger/?year={YEAR}&verify=1").content.decode()
    assert "每条记录都与其哈希一致" in page


def test_a_project_too_long_is_refused_on_the_page(client: Any, world: Any) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    fee_budget(official)
    client.force_login(official)
    client.get("/funds/projects/")
    response = client.post(
        "/funds/projects/",
        {
            "pooling_region": "370200",
            "use": "training",
            "title": "三年项目",
            "purpose": "x",
            "proposer": "x",
            "cost_basis": "x",
            "starts_on": f"{YEAR}-01-01",
            "ends_on": f"{YEAR + 2}-06-30",
            "year_1": str(YEAR),
            "amount_1": "1",
        },
    )
    assert response.status_code == 422
    assert "项目周期最长 2 年" in response.content.decode()
    assert not Project.objects.exists()


def test_a_use_the_fee_may_not_pay_for_is_refused_on_the_page(client: Any, world: Any) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    fee_budget(official)
    client.force_login(official)
    client.get("/funds/projects/")
    response = client.post(
        "/funds/projects/",
        {
            "pooling_region": "370200",
            "use": "equipment",
            "title": "购置设备",
            "purpose": "x",
            "proposer": "x",
            "cost_basis": "x",
            "starts_on": f"{YEAR}-01-01",
            "ends_on": f"{YEAR}-06-30",
            "year_1": str(YEAR),
            "amount_1": "1",
        },
    )
    assert "工伤预防费只能用于：宣传、培训" in response.content.decode()


def test_the_public_disclosure_is_rate_limited(client: Any, world: Any) -> None:
    from yufang.funds.views.reports import PUBLIC_RATE

    limit = int(PUBLIC_RATE.split("/")[0])
    answers = [client.get("/funds/disclosure/").status_code for _ in range(limit + 1)]
    assert answers[:limit] == [200] * limit
    assert answers[-1] == 429
