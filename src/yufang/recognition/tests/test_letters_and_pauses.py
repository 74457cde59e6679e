"""The bureau's letters besides the decision (受理决定书, 不予受理决定书) and the pause of the
worker's one-year limit for time lost through no fault of theirs (R10 第七条): what the PDFs
say, who may download them, what the pages and the board show, and what is refused."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.notifications.models import Notification
from yufang.notifications.phone import code_in
from yufang.recognition import clock, services
from yufang.recognition.models import ApplicationStatus, RecognitionApplication
from yufang.recognition.services import RecognitionInvalid
from yufang.recognition.tests import factories as f
from yufang.recognition.tests.pdf import pdf_text

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _verify_phone(client: Any, sms_outbox: list[Any], next_url: str) -> None:
    verify = reverse("notifications:phone_verify")
    client.get(verify, {"purpose": "recognition", "next": next_url})
    client.post(
        verify, {"purpose": "recognition", "next": next_url, "phone": PHONE, "action": "send"}
    )
    code = code_in(sms_outbox[-1][1])
    back = client.post(
        verify,
        {
            "purpose": "recognition",
            "next": next_url,
            "phone": PHONE,
            "code": code,
            "action": "check",
        },
    )
    assert back.status_code == 302


def _public_application(world: Any, *, days_ago: int, **extra: Any) -> RecognitionApplication:
    return services.application_submit(
        actor=None,
        enterprise=world.enterprise,
        applicant_phone=extra.pop("applicant_phone", PHONE),
        **f.application_values(
            applicant_kind="worker",
            applicant_name="李四",
            accident_date=timezone.localdate() - dt.timedelta(days=days_ago),
            **extra,
        ),
    )


def test_not_accepted_letter_names_the_bureau_the_grounds_and_the_time_to_challenge(
    client: Any, world: Any
) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    a = f.application(manager, world.enterprise, materials=())
    url = reverse("recognition:letter", args=[a.pk])
    client.force_login(manager)
    assert client.get(url).status_code == 404  # no letter before the bureau's answer
    services.application_refuse(
        actor=county, application=a, reason="申请人与用人单位不存在劳动关系"
    )
    a.refresh_from_db()
    assert a.not_accepted_on == timezone.localdate() and a.accepting_bureau
    page = client.get(reverse("recognition:application_detail", args=[a.pk])).content.decode()
    assert "不予受理决定书" in page and "申请人与用人单位不存在劳动关系" in page
    response = client.get(url + "?document=not_accepted")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert a.accepting_bureau in text and "人力资源和社会保障局" in text
    assert "工伤认定申请不予受理决定书" in text
    assert "不予受理的理由：申请人与用人单位不存在劳动关系" in text
    assert "60日内依法申请行政复议" in text and "6个月内依法向人民法院提起行政诉讼" in text
    assert "李四" in text and world.enterprise.credit_code in text
    assert a.worker_id_masked in text and f.id_number(7) not in text
    # The latest letter is the default; a letter the application does not have is 404.
    assert pdf_text(client.get(url).content) == text
    assert client.get(url + "?document=decision").status_code == 404
    assert client.get(url + "?document=acceptance").status_code == 404
    # Told: the enterprise's safety manager has the notice.
    assert Notification.objects.filter(recipient=manager, title__contains="不予受理").exists()
    # Outside the scope the letter is not there.
    client.force_login(world.jinan_city_official)
    assert client.get(url + "?document=not_accepted").status_code == 404


def test_acceptance_letter_gives_the_date_the_decision_is_due(client: Any, world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    a = f.application(manager, world.enterprise)
    services.application_accept(actor=county, application=a, is_clear_case=True)
    a.refresh_from_db()
    due = clock.decision_due(a)
    assert due == a.accepted_on + dt.timedelta(days=15)  # type: ignore[operator]
    client.force_login(manager)
    page = client.get(reverse("recognition:application_detail", args=[a.pk])).content.decode()
    assert "受理决定书" in page
    response = client.get(reverse("recognition:letter", args=[a.pk]) + "?document=acceptance")
    text = pdf_text(response.content)
    assert "工伤认定申请受理决定书" in text and a.accepting_bureau in text
    assert "决定予以受理" in text and "15日内" in text
    assert f"{due:%Y年%m月%d日}前" in text
    # Once decided, both letters stay available and the decision letter now says the time
    # limits to challenge it as well.
    services.application_decide(actor=county, application=a, recognised=False, reason="不符合")
    url = reverse("recognition:letter", args=[a.pk])
    assert "受理决定书" in pdf_text(client.get(url + "?document=acceptance").content)
    decision = pdf_text(client.get(url).content)
    assert "不予认定工伤决定书" in decision and "60日内依法申请行政复议" in decision


def test_the_public_applicant_downloads_the_not_accepted_letter(
    client: Any, world: Any, sms_outbox: list[Any]
) -> None:
    a = _public_application(world, days_ago=30)
    services.application_refuse(
        actor=world.people[Role.COUNTY_OFFICIAL], application=a, reason="事故不在本统筹地区"
    )
    page = reverse("recognition:public_application", args=[a.pk])
    _verify_phone(client, sms_outbox, page)
    shown = client.get(page).content.decode()
    assert "不予受理决定书" in shown
    letter = client.get(
        reverse("recognition:public_letter", args=[a.pk]) + "?document=not_accepted"
    )
    assert letter.status_code == 200
    assert "事故不在本统筹地区" in pdf_text(letter.content)
    other = _public_application(world, days_ago=20, applicant_phone="13900000000")
    assert client.get(reverse("recognition:public_letter", args=[other.pk])).status_code == 404


def test_the_bureau_pauses_the_workers_limit_and_the_late_flag_goes(
    client: Any, world: Any
) -> None:
    """The worker applies 380 days after the accident, saying a flood cut the village off for
    three weeks; the bureau records 25 days not counted, and the application is on time."""
    county = world.people[Role.COUNTY_OFFICIAL]
    with pytest.raises(RecognitionInvalid) as refused:
        _public_application(world, days_ago=380, pause_claimed=True)
    assert "late_reason" in refused.value.errors
    with translation.override("zh-hans"):  # as the public page's request would be
        a = _public_application(
            world, days_ago=380, late_reason="洪水封村三周，无法出行", pause_claimed=True
        )
    assert a.pause_claimed and clock.application_is_late(a) and clock.pause_claim_open(a)
    titles = list(Notification.objects.filter(recipient=county).values_list("title", flat=True))
    assert any("待局方认定" in t for t in titles), titles
    client.force_login(county)
    board = client.get(reverse("recognition:index")).content.decode()
    assert "主张非本人原因耽误时间" in board
    page = reverse("recognition:application_detail", args=[a.pk])
    before = client.get(page).content.decode()
    assert "待局方认定" in before and 'data-testid="late-flag"' in before
    accident = a.accident_date
    bad = client.submit(
        page,
        {
            "action": "pause",
            "started_on": (accident - dt.timedelta(days=3)).isoformat(),
            "ended_on": (accident + dt.timedelta(days=10)).isoformat(),
            "reason": "洪水",
            "evidence": "",
        },
    )
    text = bad.content.decode()
    assert bad.status_code == 200 and "证明材料" in text and "事故" in text
    start = accident + dt.timedelta(days=200)
    done = client.submit(
        page,
        {
            "action": "pause",
            "started_on": start.isoformat(),
            "ended_on": (start + dt.timedelta(days=24)).isoformat(),
            "reason": "洪水封村",
            "evidence": "村委会证明、气象部门灾情通报",
        },
    )
    assert done.status_code == 302
    a.refresh_from_db()
    assert clock.paused_days(a) == 25 and not clock.application_is_late(a)
    assert not clock.pause_claim_open(a)
    shown = client.get(page).content.decode()
    assert "村委会证明" in shown and "不计入申请时限的天数" in shown
    assert 'data-testid="late-flag"' not in shown
    board = client.get(reverse("recognition:index")).content.decode()
    assert "25 天不计入" in board and "主张非本人原因耽误时间" not in board
    assert AuditEntry.objects.filter(model__icontains="limitpause", action="create").exists()
    overlap = client.submit(
        page,
        {
            "action": "pause",
            "started_on": (start + dt.timedelta(days=20)).isoformat(),
            "ended_on": (start + dt.timedelta(days=30)).isoformat(),
            "reason": "再次",
            "evidence": "证明",
        },
    )
    assert "重叠" in overlap.content.decode()
    assert a.limit_pauses.count() == 1


def test_the_employers_limit_cannot_be_paused_and_the_enterprise_may_not_record(
    world: Any,
) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    a = f.application(manager, world.enterprise)
    day = a.accident_date
    with pytest.raises(RecognitionInvalid) as refused:
        services.application_pause_record(
            actor=county, application=a, started_on=day, ended_on=day, reason="x", evidence="y"
        )
    assert "applicant_kind" in refused.value.errors
    worker = _public_application(world, days_ago=30)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.application_pause_record(
            actor=manager,
            application=worker,
            started_on=worker.accident_date,
            ended_on=worker.accident_date,
            reason="x",
            evidence="y",
        )
    assert not worker.limit_pauses.exists()
    assert RecognitionApplication.objects.get(pk=worker.pk).status == ApplicationStatus.SUBMITTED
