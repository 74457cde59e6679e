"""The self-service pages as their people use them, through forms with CSRF: what each page
says, who may open it, and what a bad input reads."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from yufang.accounts.models import Role
from yufang.enterprises.models import InsuredHeadcount
from yufang.portal import services
from yufang.portal.models import ChangeRequest, RequestStatus, RosterChange
from yufang.portal.tests.factories import headcount_request, id_number, roster_add
from yufang.tests.factories import persona

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("proof.png", buffer.getvalue(), content_type="image/png")


def test_the_safety_manager_lands_on_the_self_service_home(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.SAFETY_MANAGER])
    landed = client.get("/", follow=True)
    assert landed.redirect_chain[-1][0] == "/portal/"
    text = landed.content.decode()
    assert world.enterprise.name in text
    assert "申请人社局更正企业信息" in text
    assert "隐患与风险评估" in text  # the registry's panels, reused
    assert "千人工伤发生率" in text


def test_officials_open_the_desk_and_other_roles_have_no_business(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.CITY_OFFICIAL])
    assert client.get("/portal/", follow=True).redirect_chain[-1][0] == "/portal/desk/"
    for role in (Role.GRID_WORKER, Role.WORKER, Role.INSTITUTION_STAFF, Role.DEPARTMENT_LIAISON):
        client.force_login(world.people[role])
        assert client.get("/portal/desk/").status_code == 403
        assert client.get("/portal/requests/new/").status_code == 403


def test_asking_for_a_headcount_correction_through_the_form(client: Any, world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    client.force_login(manager)
    refused = client.submit(
        "/portal/requests/new/",
        {"field": "insured_headcount", "requested_value": "", "reason": ""},
    )
    assert refused.status_code == 422
    assert "请填写正确的值。" in refused.content.decode()
    assert "请说明变更原因。" in refused.content.decode()
    sent = client.submit(
        "/portal/requests/new/",
        {
            "field": "insured_headcount",
            "requested_value": "150",
            "headcount_year": str(YEAR),
            "reason": "新招聘30人已参保",
            "evidence": png(),
        },
        follow=True,
    )
    text = sent.content.decode()
    assert "您的申请已提交人社局。" in text
    assert "待人社局审核" in text
    request = ChangeRequest.objects.get()
    assert request.evidence
    assert client.get(f"/portal/requests/{request.pk}/evidence/").status_code == 200


def test_a_text_file_is_no_evidence(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.SAFETY_MANAGER])
    refused = client.submit(
        "/portal/requests/new/",
        {
            "field": "size",
            "requested_value": "large",
            "reason": "扩大生产",
            "evidence": SimpleUploadedFile("x.png", b"not a picture", content_type="image/png"),
        },
    )
    assert "证明材料须为照片" in refused.content.decode()
    assert not ChangeRequest.objects.exists()


def test_the_city_approves_a_request_from_its_page(client: Any, world: Any) -> None:
    request = headcount_request(world.people[Role.SAFETY_MANAGER], "150", headcount_year=str(YEAR))
    client.force_login(world.people[Role.CITY_OFFICIAL])
    desk = client.get("/portal/desk/").content.decode()
    assert world.enterprise.name in desk and "新招聘员工已参保" in desk
    page = f"/portal/requests/{request.pk}/"
    done = client.submit(
        page, {"decision": "approve"}, action=f"{page}decide/", follow=True
    ).content.decode()
    assert "审核结果已记录并通知企业。" in done
    assert world.enterprise.headcounts.get(year=YEAR).insured_headcount == 150


def test_the_other_city_and_the_auditor_cannot_decide(client: Any, world: Any) -> None:
    request = headcount_request(world.people[Role.SAFETY_MANAGER])
    client.force_login(world.jinan_city_official)
    assert client.get(f"/portal/requests/{request.pk}/").status_code == 404
    assert (
        client.post_direct(
            f"/portal/requests/{request.pk}/decide/", {"decision": "approve"}
        ).status_code
        == 404
    )
    client.force_login(world.people[Role.AUDITOR])
    assert client.get(f"/portal/requests/{request.pk}/").status_code == 200
    assert (
        client.post_direct(
            f"/portal/requests/{request.pk}/decide/", {"decision": "approve"}
        ).status_code
        == 403
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_roster_changes_one_by_one_and_from_a_file(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.people[Role.SAFETY_MANAGER])
    bad = client.submit(
        "/portal/roster/",
        {"action": "one", "kind": "add", "person_name": "张三", "id_number": "123"},
    )
    assert "不是有效的居民身份证号码。" in bad.content.decode()
    one = client.submit(
        "/portal/roster/",
        {"action": "one", "kind": "add", "person_name": "张三", "id_number": id_number(1)},
        follow=True,
    ).content.decode()
    assert "1 条参保人员增减已提交人社局审核。" in one
    assert id_number(1) not in one and "张三" in one
    csv = f"增减,姓名,身份证号\n增员,王一,{id_number(2)}\n增员,王二,{id_number(3)}\n"
    checked = client.submit(
        "/portal/roster/",
        {"action": "file", "file": SimpleUploadedFile("roster.csv", csv.encode())},
    )
    # The file goes through the imports app: a preview first, nothing sent until confirmed.
    assert checked.status_code == 302 and checked["Location"].startswith("/imports/")
    preview = client.get(checked["Location"]).content.decode()
    assert "王一" in preview and id_number(2) not in preview
    assert RosterChange.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.submit(checked["Location"], {}, action=f"{checked['Location']}confirm/")
    assert RosterChange.objects.filter(source="file").count() == 2
    assert "王二" in client.get("/portal/roster/").content.decode()


def test_the_desk_flags_a_person_insured_elsewhere_and_approval_moves_the_headcount(
    client: Any, world: Any
) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    other = persona(Role.SAFETY_MANAGER, enterprise=world.other_enterprise)
    services.roster_change_decide(actor=county, change=roster_add(other, 7), approve=True)
    flagged = roster_add(world.people[Role.SAFETY_MANAGER], 7, name="赵六")
    plain = roster_add(world.people[Role.SAFETY_MANAGER], 8, name="钱七")
    client.force_login(world.people[Role.CITY_OFFICIAL])
    desk = client.get("/portal/desk/").content.decode()
    assert f"已在 {world.other_enterprise.name} 参保" in desk
    approved = client.submit(
        "/portal/desk/",
        {"decision": "approve"},
        action=f"/portal/roster/{flagged.pk}/decide/",
        follow=True,
    ).content.decode()
    assert "须该单位先办理减员" in approved
    client.submit(
        "/portal/desk/", {"decision": "approve"}, action=f"/portal/roster/{plain.pk}/decide/"
    )
    assert (
        InsuredHeadcount.objects.get(enterprise=world.enterprise, year=YEAR).insured_headcount == 1
    )


def test_the_bureau_runs_reviews_and_exports_the_floating_rate(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.CITY_OFFICIAL])
    page = client.get("/portal/rates/").content.decode()
    assert "未确认规则" in page
    bad = client.submit("/portal/rates/", {"region": "370200", "year": str(YEAR + 5)})
    assert "请选择已结束的年度" in bad.content.decode()
    ran = client.submit("/portal/rates/", {"region": "370200", "year": str(YEAR - 1)}, follow=True)
    text = ran.content.decode()
    assert world.enterprise.name in text and world.jinan_enterprise.name not in text
    run_url = ran.redirect_chain[-1][0]
    reviewed = client.submit(run_url, {}, action=f"{run_url}review/", follow=True).content.decode()
    assert "测算已审核。" in reviewed
    export = client.get(f"{run_url}?export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A1"].value == "企业"
    client.force_login(world.jinan_city_official)
    assert client.get(run_url).status_code == 404


def test_the_enterprise_home_shows_its_floating_rate_and_what_prevention_would_change(
    client: Any, world: Any
) -> None:
    from yufang.tests.factories import region

    city = world.people[Role.CITY_OFFICIAL]
    run = services.floating_rates_run(actor=city, region=region("370200"), year=YEAR - 1)
    client.force_login(world.people[Role.SAFETY_MANAGER])
    assert "人社局尚未为本企业测算浮动费率" in client.get("/portal/").content.decode()
    services.floating_rate_run_review(actor=city, run=run)
    text = client.get("/portal/").content.decode()
    assert "80% " in text or "80%" in text
    assert "无新发工伤且支缴率低" in text
    assert "部分阈值为外地示例" in text


def test_the_inbox_lists_tasks_deadlines_and_decisions(client: Any, world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    request = headcount_request(manager, "150", headcount_year=str(YEAR))
    client.force_login(manager)
    assert "人社局应于" in client.get("/portal/inbox/").content.decode()
    services.change_request_decide(
        actor=world.people[Role.CITY_OFFICIAL], request=request, approve=False, note="缺少证明"
    )
    assert "参保人数：人社局已退回" in client.get("/portal/inbox/").content.decode()


def test_the_enterprise_checks_itself_with_an_official_checklist(client: Any, world: Any) -> None:
    from yufang.hazards.models import Checklist, Hazard
    from yufang.hazards.services import checklists_import

    checklists_import()
    checklist = Checklist.objects.filter(key="T16").first() or Checklist.objects.first()
    numbers = list(checklist.items.order_by("number").values_list("number", flat=True))
    client.force_login(world.people[Role.SAFETY_MANAGER])
    assert checklist.title in client.get("/portal/self-assessments/").content.decode()
    page = f"/portal/self-assessments/new/?checklist={checklist.pk}"
    answers = {f"item_{n}": "pass" for n in numbers[1:]}
    refused = client.submit(
        page, {"checklist": checklist.pk, **answers}, action="/portal/self-assessments/new/"
    )
    assert refused.status_code == 422
    answers[f"item_{numbers[0]}"] = "fail"
    done = client.submit(
        page,
        {"checklist": checklist.pk, **answers, f"note_{numbers[0]}": "灭火器过期"},
        action="/portal/self-assessments/new/",
        follow=True,
    ).content.decode()
    assert "灭火器过期" in done and "不符合" in done
    # Kept apart from the official inspections: no hazard, no assessment.
    assert not Hazard.objects.exists()
    assert not world.enterprise.assessments.exists()
    from yufang.portal.models import SelfAssessment

    made = SelfAssessment.objects.get()
    assert (made.failed, made.answers[str(numbers[0])]) == (1, "fail")
    client.force_login(world.jinan_city_official)
    assert client.get(f"/portal/self-assessments/{made.pk}/").status_code == 404


def test_the_city_records_lists_filters_exports_and_corrects_premiums(
    client: Any, world: Any
) -> None:
    from decimal import Decimal

    from yufang.portal.models import PremiumPaid

    last = YEAR - 1
    PremiumPaid.objects.create(enterprise=world.jinan_enterprise, year=last, amount=Decimal(9))
    client.force_login(world.people[Role.CITY_OFFICIAL])
    outside = client.submit(
        "/portal/premiums/new/",
        {"credit_code": world.jinan_enterprise.credit_code, "year": str(last), "amount": "abc"},
    )
    assert outside.status_code == 422
    said = outside.content.decode()
    assert "本辖区内没有该统一社会信用代码的企业。" in said
    assert "请以元为单位填写实缴保费" in said
    assert PremiumPaid.objects.count() == 1
    made = client.submit(
        "/portal/premiums/new/",
        {"credit_code": world.enterprise.credit_code, "year": str(last), "amount": "12,345.6"},
        follow=True,
    ).content.decode()
    assert world.enterprise.name in made and "12345.60" in made
    premium = PremiumPaid.objects.get(enterprise=world.enterprise)
    assert premium.amount == Decimal("12345.60")

    listed = client.get("/portal/premiums/", {"year": last}).content.decode()
    assert world.enterprise.name in listed
    assert world.jinan_enterprise.name not in listed
    other_year = client.get("/portal/premiums/", {"year": last - 1}).content.decode()
    assert world.enterprise.name not in other_year
    by_region = client.get("/portal/premiums/", {"region": world.enterprise.county.code})
    assert world.enterprise.name in by_region.content.decode()
    by_industry = client.get("/portal/premiums/", {"industry": "Z"}).content.decode()
    assert world.enterprise.name not in by_industry or world.enterprise.industry.section == "Z"

    export = client.get("/portal/premiums/", {"year": last, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:2] == ["企业", "统一社会信用代码"]
    assert [r[0] for r in rows[1:]] == [world.enterprise.name]

    bad = client.submit(f"/portal/premiums/{premium.pk}/", {"amount": "-5"})
    assert bad.status_code == 422
    client.submit(f"/portal/premiums/{premium.pk}/", {"amount": "20000"})
    premium.refresh_from_db()
    assert premium.amount == Decimal("20000.00")
    jinan = PremiumPaid.objects.get(enterprise=world.jinan_enterprise)
    assert client.get(f"/portal/premiums/{jinan.pk}/").status_code == 404


def test_the_enterprise_reads_its_own_premiums_on_its_home_and_nothing_else(
    client: Any, world: Any
) -> None:
    from decimal import Decimal

    from yufang.portal.models import PremiumPaid

    PremiumPaid.objects.create(enterprise=world.enterprise, year=YEAR - 1, amount=Decimal("3456.7"))
    PremiumPaid.objects.create(enterprise=world.other_enterprise, year=YEAR - 1, amount=Decimal(8))
    client.force_login(world.people[Role.SAFETY_MANAGER])
    home = client.get("/portal/").content.decode()
    assert "实缴保费" in home and "3456.70" in home
    assert client.get("/portal/premiums/").status_code == 403
    assert client.get("/portal/premiums/new/").status_code == 403


def test_the_auditor_reads_premiums_but_does_not_change_them(client: Any, world: Any) -> None:
    from decimal import Decimal

    from yufang.portal.models import PremiumPaid

    premium = PremiumPaid.objects.create(
        enterprise=world.enterprise, year=YEAR - 1, amount=Decimal(5)
    )
    client.force_login(world.people[Role.AUDITOR])
    page = client.get(f"/portal/premiums/{premium.pk}/").content.decode()
    assert 'data-testid="premium-form"' not in page
    assert client.post_direct(f"/portal/premiums/{premium.pk}/", {"amount": "1"}).status_code == 403
    premium.refresh_from_db()
    assert premium.amount == Decimal(5)
