"""The recognition journeys in a real browser: the safety manager on a phone reports an
accident, applies with materials, answers the bureau's request and receives the decision; the
county official at a desk checks, asks, accepts and decides; the public applies after a phone
code. Each asserts what the person reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.conftest import assert_fits_phone
from yufang.notifications.phone import code_in
from yufang.recognition import services
from yufang.recognition.models import RecognitionApplication
from yufang.recognition.tests import factories as f
from yufang.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SHOTS = "/tmp/recognition-"  # noqa: S108 - screenshots to look at while developing


def _login(page: Any, user: Any) -> None:
    """Signs in; a role's home may redirect (the enterprise lands on its self-service)."""
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_function("() => !location.pathname.startsWith('/accounts/login')")


def _file(name: str, data: bytes, mime: str) -> dict[str, Any]:
    return {"name": name, "mimeType": mime, "buffer": data}


def _pdf(name: str) -> dict[str, Any]:
    return _file(name, f.PDF_BYTES, "application/pdf")


def test_safety_manager_reports_applies_answers_and_reads_the_decision(
    phone_page: Any, world: Any
) -> None:
    page = phone_page
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    f.insured(world.enterprise)
    _login(page, manager)
    page.goto(f"{page.base_url}/recognition/")
    assert_fits_phone(page)
    page.click("[data-testid=report-accident]")
    assert "1 小时内" in page.inner_text("[data-testid=one-hour-duty]")
    when = timezone.localtime() - dt.timedelta(minutes=15)
    page.fill("#occurred_at", when.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#place", "二车间冲压线")
    page.fill("#description", "冲床误动作，操作工右手受伤")
    page.fill("#serious_injuries", "1")
    page.click("[data-testid=report-submit]")
    page.wait_for_url("**/recognition/reports/*/")
    assert page.inner_text("[data-testid=grade]") == "一般事故"
    assert page.locator("[data-testid=report-on-time]").is_visible()
    assert_fits_phone(page)
    page.click("[data-testid=apply-for-report]")
    page.fill("#applicant_name", "陈刚")
    page.fill("#worker_name", "李四")
    page.fill("#worker_id_number", f.id_number(7))
    page.fill("#injury", "右手食指骨折")
    page.select_option("#accident_category", "03")
    page.select_option("#body_part", "hand")
    page.set_input_files("#file_application_form", [_pdf("申请表.pdf")])
    page.set_input_files("#file_diagnosis", [_pdf("诊断证明.pdf")])
    assert_fits_phone(page)
    page.click("[data-testid=application-submit]")
    page.wait_for_url("**/recognition/applications/*/")
    assert "材料审查中" in page.inner_text("[data-testid=status]")
    assert "劳动关系证明" in page.inner_text("[data-testid=missing-materials]")
    page.screenshot(path=SHOTS + "manager-applied.png", full_page=True)

    a = RecognitionApplication.objects.get()
    services.application_request_materials(
        actor=county, application=a, materials=["employment_proof"], note="请补交劳动合同"
    )
    page.reload()
    assert "请补交劳动合同" in page.inner_text("[data-testid=request]")
    page.select_option("#upload_kind", "employment_proof")
    page.set_input_files("#upload_file", [_pdf("劳动合同.pdf")])
    with page.expect_navigation():
        page.click("[data-testid=upload-submit]")
    assert page.locator("[data-testid=materials-complete]").is_visible()
    with page.expect_navigation():
        page.click("[data-testid=supplement]")
    assert "材料审查中" in page.inner_text("[data-testid=status]")

    a.refresh_from_db()
    services.application_accept(actor=county, application=a, is_clear_case=True)
    services.application_decide(
        actor=county, application=a, recognised=True, reason="在工作时间和工作场所内因工作原因受伤"
    )
    page.reload()
    assert "认定为工伤" in page.inner_text("[data-testid=decision]")
    assert_fits_phone(page)
    page.screenshot(path=SHOTS + "manager-decided.png", full_page=True)
    with page.expect_response(lambda r: "letter.pdf" in r.url) as letter:
        page.evaluate("url => fetch(url)", page.get_attribute("[data-testid=letter]", "href"))
    assert letter.value.headers["content-type"] == "application/pdf"


def test_county_official_checks_asks_accepts_and_decides(page: Any, world: Any) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    f.insured(world.enterprise)
    a = f.application(manager, world.enterprise, materials=("application_form", "diagnosis"))
    _login(page, county)
    page.goto(f"{page.base_url}/recognition/")
    assert "李四" in page.inner_text("[data-testid=board-open]")
    assert "审查截止" in page.inner_text("[data-testid=board-open]")
    page.click("text=李四")
    page.wait_for_url("**/recognition/applications/*/")
    with page.expect_navigation():
        page.click("[data-testid=accept]")
    assert "缺少必需材料" in page.inner_text("[data-testid=form-errors]")
    with page.expect_navigation():
        page.click("[data-testid=request-submit]")
    assert "待补正材料" in page.inner_text("[data-testid=status]")
    assert page.locator("[data-testid=request-form]").count() == 0
    services.material_add(
        actor=manager, application=a, kind="employment_proof", upload=f.pdf_upload()
    )
    a.refresh_from_db()
    services.application_supplement(actor=manager, application=a)
    page.reload()
    with page.expect_navigation():
        page.click("[data-testid=accept]")
    assert "已受理，待认定" in page.inner_text("[data-testid=status]")
    assert page.inner_text("[data-testid=decision-due]").startswith(
        (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    )
    page.check("input[name=decision][value=recognised]")
    page.fill("#decision_reason", "在工作时间和工作场所内因工作原因受伤")
    page.fill("#case_number", "黄人社工认〔2026〕88号")
    with page.expect_navigation():
        page.click("[data-testid=decide]")
    assert "认定为工伤" in page.inner_text("[data-testid=decision]")
    assert page.locator("[data-testid=injury-case]").is_visible()
    page.screenshot(path=SHOTS + "county-decided.png", full_page=True)


def test_the_public_applies_after_a_phone_code(
    phone_page: Any, world: Any, sms_outbox: list[Any]
) -> None:
    page = phone_page
    page.goto(f"{page.base_url}/recognition/apply/")
    page.fill("#phone", "13912345678")
    page.click("button[value=send]")
    page.wait_for_selector("[data-testid=code-sent]")
    page.fill("#code", code_in(sms_outbox[-1][1]))
    page.click("button[value=check]")
    page.wait_for_url("**/recognition/apply/")
    page.select_option("#applicant_kind", "relative")
    page.fill("#applicant_name", "王芳")
    page.fill("#enterprise", world.enterprise.credit_code)
    page.fill("#worker_name", "李四")
    page.fill("#worker_id_number", f.id_number(7))
    page.fill("#accident_date", (timezone.localdate() - dt.timedelta(days=200)).isoformat())
    page.fill("#accident_place", "二车间")
    page.fill("#description", "上午9时在车间被冲床压伤右手")
    page.fill("#injury", "右手食指骨折")
    page.select_option("#accident_category", "03")
    page.select_option("#body_part", "hand")
    page.set_input_files("#file_diagnosis", [_pdf("诊断证明.pdf")])
    assert_fits_phone(page)
    page.click("[data-testid=public-submit]")
    page.wait_for_url("**/recognition/apply/*/")
    assert "材料审查中" in page.inner_text("[data-testid=status]")
    assert_fits_phone(page)
    page.screenshot(path=SHOTS + "public.png", full_page=True)
    a = RecognitionApplication.objects.get()
    assert a.applicant_kind == "relative" and a.applicant_phone == "13912345678"


def test_a_late_worker_claims_time_lost_and_the_bureau_records_it_then_refuses(
    phone_page: Any, page: Any, world: Any, sms_outbox: list[Any]
) -> None:
    """On a phone, the worker applies 400 days after the accident, saying a flood cut the
    village off; at a desk, the county official reads the claim on the board, records the
    period, and later refuses the application; the worker downloads the not-accepted letter."""
    from yufang.recognition.tests.pdf import pdf_text

    phone = phone_page
    phone.goto(f"{phone.base_url}/recognition/apply/")
    phone.fill("#phone", "13912345678")
    phone.click("button[value=send]")
    phone.wait_for_selector("[data-testid=code-sent]")
    phone.fill("#code", code_in(sms_outbox[-1][1]))
    phone.click("button[value=check]")
    phone.wait_for_url("**/recognition/apply/")
    accident = timezone.localdate() - dt.timedelta(days=400)
    phone.select_option("#applicant_kind", "worker")
    phone.fill("#applicant_name", "李四")
    phone.fill("#enterprise", world.enterprise.credit_code)
    phone.fill("#worker_name", "李四")
    phone.fill("#worker_id_number", f.id_number(7))
    phone.fill("#accident_date", accident.isoformat())
    phone.fill("#accident_place", "二车间")
    phone.fill("#description", "上午9时在车间被冲床压伤右手")
    phone.fill("#injury", "右手食指骨折")
    phone.select_option("#accident_category", "03")
    phone.select_option("#body_part", "hand")
    phone.fill("#late_reason", "洪水封村，2025年夏季约五周无法出村")
    phone.check("[data-testid=pause-claimed]")
    assert_fits_phone(phone)
    phone.click("[data-testid=public-submit]")
    phone.wait_for_url("**/recognition/apply/*/")
    assert "已主张，待局方认定" in phone.inner_text("[data-testid=pause-claim]")
    assert_fits_phone(phone)
    own = phone.url

    _login(page, world.people[Role.COUNTY_OFFICIAL])
    page.goto(f"{page.base_url}/recognition/")
    assert "主张非本人原因耽误时间" in page.inner_text("[data-testid=board-open]")
    page.click("text=李四")
    page.wait_for_url("**/recognition/applications/*/")
    start = accident + dt.timedelta(days=100)
    page.fill("#pause_from", start.isoformat())
    page.fill("#pause_to", (start + dt.timedelta(days=34)).isoformat())
    page.fill("#pause_reason", "洪水封村")
    page.fill("#pause_evidence", "村委会证明")
    with page.expect_navigation():
        page.click("[data-testid=pause-submit]")
    assert page.inner_text("[data-testid=paused-days]") == "35"
    assert "村委会证明" in page.inner_text("[data-testid=limit-pauses]")
    assert page.locator("[data-testid=late-flag]").count() == 0
    page.fill("#refuse_reason", "职工与该单位不存在劳动关系")
    with page.expect_navigation():
        page.click("[data-testid=refuse]")
    assert "职工与该单位不存在劳动关系" in page.inner_text("[data-testid=not-accepted]")
    page.screenshot(path=SHOTS + "county-not-accepted.png", full_page=True)

    phone.goto(own)
    link = phone.locator("[data-testid=not-accepted-letter]")
    assert link.is_visible()
    letter = phone.request.get(f"{phone.base_url}{link.get_attribute('href')}")
    assert letter.status == 200
    text = pdf_text(letter.body())
    assert "工伤认定申请不予受理决定书" in text and "职工与该单位不存在劳动关系" in text
