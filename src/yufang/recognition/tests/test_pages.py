"""The recognition pages as people use them: in Chinese, with forms that say what is wrong,
scoped (another enterprise's record is 404, a role with no business 403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.notifications.phone import code_in
from yufang.recognition import services
from yufang.recognition.models import ApplicationStatus, RecognitionApplication
from yufang.recognition.tests import factories as f

pytestmark = pytest.mark.django_db


def _now_local(hours_ago: float) -> str:
    t = timezone.localtime(timezone.now() - dt.timedelta(hours=hours_ago))
    return t.strftime("%Y-%m-%dT%H:%M")


def test_safety_manager_reports_an_accident_and_reads_its_grade(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.SAFETY_MANAGER])
    page = reverse("recognition:report_new")
    assert "1 小时内" in client.get(page).content.decode()
    data = {
        "occurred_at": _now_local(0.2),
        "place": "二车间",
        "description": "吊装时钢丝绳断裂",
        "deaths": "3",
        "serious_injuries": "1",
        "direct_loss": "120000",
    }
    bad = client.submit(page, {**data, "deaths": "-1"})
    assert bad.status_code == 200 and "不小于 0 的整数" in bad.content.decode()
    done = client.submit(page, data)
    assert done.status_code == 302
    shown = client.get(done["Location"]).content.decode()
    assert "较大事故" in shown and "按时报告" in shown


def test_a_late_report_asks_for_the_reason(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.SAFETY_MANAGER])
    page = reverse("recognition:report_new")
    data = {
        "occurred_at": _now_local(5),
        "place": "仓库",
        "description": "叉车撞伤",
        "minor_injuries": "1",
    }
    bad = client.submit(page, data)
    assert "请说明迟报原因" in bad.content.decode()
    done = client.submit(page, {**data, "late_reason": "负责人外出"})
    assert "迟报" in client.get(done["Location"]).content.decode()


def test_the_enterprise_applies_with_materials_and_sees_what_is_missing(
    client: Any, world: Any
) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    client.force_login(manager)
    r = f.report(manager, world.enterprise)
    page = reverse("recognition:application_new") + f"?report={r.pk}"
    values = f.application_values()
    form = {k: str(v) for k, v in values.items() if k != "applicant_kind"}
    done = client.submit(page, {**form, "report": r.pk, "file_application_form": f.pdf_upload()})
    assert done.status_code == 302, done.content.decode()[:2000]
    shown = client.get(done["Location"]).content.decode()
    assert "材料审查中" in shown and "缺少" in shown and "劳动关系证明" in shown
    a = RecognitionApplication.objects.get()
    assert a.applicant_kind == "employer" and a.accident_report_id == r.pk


def test_the_county_official_requests_accepts_and_decides(client: Any, world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    f.insured(world.enterprise)
    a = f.application(manager, world.enterprise, materials=("application_form",))
    client.force_login(county)
    board = client.get(reverse("recognition:index")).content.decode()
    assert "工伤认定办理台" in board and a.worker_name in board
    page = reverse("recognition:application_detail", args=[a.pk])
    early = client.submit(page, {"action": "accept"})
    assert "缺少必需材料" in early.content.decode()
    client.submit(page, {"action": "request", "materials": ["employment_proof", "diagnosis"]})
    a.refresh_from_db()
    assert a.status == ApplicationStatus.MATERIALS_REQUESTED
    client.force_login(manager)
    asked = client.get(page).content.decode()
    assert "一次性告知需补正的材料" in asked
    client.submit(page, {"action": "upload", "file_employment_proof": f.png_upload()})
    client.submit(page, {"action": "upload", "file_diagnosis": f.pdf_upload()})
    client.submit(page, {"action": "supplement", "note": "已补齐"})
    client.force_login(county)
    again = client.submit(page, {"action": "request", "materials": ["other"]})
    assert again.status_code == 302 or "一次性告知" in again.content.decode()
    client.submit(page, {"action": "accept", "clear": "1"})
    decided = client.submit(
        page, {"action": "decide", "decision": "recognised", "reason": "工作时间工作场所受伤"}
    )
    assert decided.status_code == 302
    shown = client.get(page).content.decode()
    assert "认定为工伤" in shown and "已录入工伤认定案件库" in shown
    pdf = client.get(reverse("recognition:letter", args=[a.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    client.force_login(manager)
    assert client.get(reverse("recognition:letter", args=[a.pk])).status_code == 200


def test_scope_another_enterprise_is_404_other_roles_403(client: Any, world: Any) -> None:
    other_manager = f.manager_of(world.other_enterprise)
    a = f.application(other_manager, world.other_enterprise)
    client.force_login(world.people[Role.SAFETY_MANAGER])
    assert client.get(reverse("recognition:application_detail", args=[a.pk])).status_code == 404
    client.get(reverse("recognition:index"))
    assert (
        client.post_direct(
            reverse("recognition:application_detail", args=[a.pk]), {"action": "supplement"}
        ).status_code
        == 404
    )
    client.force_login(world.people[Role.GRID_WORKER])
    assert client.get(reverse("recognition:index")).status_code == 403
    client.force_login(world.jinan_city_official)
    assert client.get(reverse("recognition:application_detail", args=[a.pk])).status_code == 404
    client.force_login(world.people[Role.AUDITOR])
    assert client.get(reverse("recognition:application_detail", args=[a.pk])).status_code == 200
    client.post_direct(
        reverse("recognition:application_detail", args=[a.pk]),
        {"action": "accept"},
    )
    a.refresh_from_db()
    assert a.status == ApplicationStatus.SUBMITTED


def test_the_public_page_asks_for_a_phone_code_then_takes_the_application(
    client: Any, world: Any, sms_outbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    page = reverse("recognition:public_apply")
    first = client.get(page)
    assert first.status_code == 302 and "phone" in first["Location"]
    verify = reverse("notifications:phone_verify")
    client.get(first["Location"])
    client.post(
        verify, {"purpose": "recognition", "next": page, "phone": "13912345678", "action": "send"}
    )
    code = code_in(sms_outbox[-1][1])
    back = client.post(
        verify,
        {
            "purpose": "recognition",
            "next": page,
            "phone": "13912345678",
            "code": code,
            "action": "check",
        },
    )
    assert back["Location"] == page
    values = f.application_values(
        applicant_kind="relative",
        applicant_name="李四的妻子",
        accident_date=timezone.localdate() - dt.timedelta(days=100),
    )
    form = {k: str(v) for k, v in values.items()}
    bad = client.submit(page, {**form, "enterprise": "NOPE"})
    assert "没有这个统一社会信用代码" in bad.content.decode()
    done = client.submit(
        page,
        {**form, "enterprise": world.enterprise.credit_code, "file_diagnosis": f.png_upload()},
    )
    assert done.status_code == 302, done.content.decode()[:3000]
    shown = client.get(done["Location"]).content.decode()
    assert "材料审查中" in shown and "逾期申请" not in shown
    a = RecognitionApplication.objects.get()
    assert a.applicant_phone == "13912345678" and a.submitted_by is None
    county = world.people[Role.COUNTY_OFFICIAL]
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_materials(
            actor=county, application=a, materials=["application_form"], note=""
        )
    texts = [text for phone, text in sms_outbox if phone == "13912345678"]
    assert any("补正" in t or "materials" in t for t in texts)
    asked = client.get(done["Location"]).content.decode()
    assert "一次性告知需补正的材料" in asked
    client.submit(done["Location"], {"action": "upload", "file_application_form": f.pdf_upload()})
    client.submit(done["Location"], {"action": "supplement"})
    a.refresh_from_db()
    assert a.status == ApplicationStatus.SUBMITTED and a.supplemented_on is not None


def test_every_recognition_page_reads_in_chinese(client: Any, world: Any) -> None:
    from yufang.lib.messages import untranslated

    missing = {path: ids for path, ids in untranslated().items() if path.startswith("recognition/")}
    assert not missing


def test_the_public_page_limits_submissions_per_address(client: Any, world: Any) -> None:
    from yufang.recognition.views.public import APPLY_RATE

    page = reverse("recognition:public_apply")
    limit = int(APPLY_RATE.split("/")[0])
    client.get(client.get(page)["Location"])  # the phone check's form sets the CSRF cookie
    answers = [client.post_direct(page, {}).status_code for _ in range(limit + 1)]
    assert answers[:limit] == [302] * limit and answers[-1] == 429


def test_the_enterprise_page_shows_its_recognition_panel(client: Any, world: Any) -> None:
    f.application(world.people[Role.SAFETY_MANAGER], world.enterprise)
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    shown = client.get(
        reverse("enterprises:enterprise", args=[world.enterprise.pk])
    ).content.decode()
    assert 'data-testid="panel-recognition"' in shown and "李四" in shown
    client.force_login(world.people[Role.GRID_WORKER])
    shown = client.get(
        reverse("enterprises:enterprise", args=[world.enterprise.pk])
    ).content.decode()
    assert 'data-testid="panel-recognition"' not in shown


def test_the_bureau_registers_an_application_handed_in_at_the_counter(
    client: Any, world: Any
) -> None:
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    page = reverse("recognition:application_new")
    values = f.application_values(applicant_kind="relative", applicant_name="李四的父亲")
    form = {k: str(v) for k, v in values.items()}
    jinan = client.submit(page, {**form, "enterprise": world.jinan_enterprise.credit_code})
    assert jinan.status_code == 200 and RecognitionApplication.objects.count() == 0
    done = client.submit(
        page,
        {**form, "enterprise": world.enterprise.credit_code, "applicant_phone": "13912340000"},
    )
    assert done.status_code == 302, done.content.decode()[:2000]
    a = RecognitionApplication.objects.get()
    assert a.applicant_kind == "relative" and a.enterprise == world.enterprise
    assert "13912340000" in client.get(done["Location"]).content.decode()
    client.force_login(world.people[Role.SAFETY_MANAGER])
    assert "139****0000" in client.get(done["Location"]).content.decode()
