"""Proving a phone number: the code by SMS, its limits, the page that sends a visitor back
verified, and the same two steps over the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from yufang.lib.errors import InvalidInput
from yufang.notifications.models import PhoneCode
from yufang.notifications.phone import (
    HOURLY_PER_PHONE,
    code_in,
    phone_code_check,
    phone_code_send,
)
from yufang.tests.clients import ApiClient

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def test_a_code_proves_the_number_once(sms_outbox: list[Any]) -> None:
    phone_code_send(phone="138 1234 5678", purpose="quiz", source="10.0.0.1")
    ((sent_to, text),) = sms_outbox
    assert sent_to == PHONE
    code = code_in(text)
    assert len(code) == 6
    phone_code_check(phone=PHONE, code=code, purpose="quiz")
    with pytest.raises(InvalidInput) as used:
        phone_code_check(phone=PHONE, code=code, purpose="quiz")
    assert used.value.errors.keys() == {"code"}
    # Neither the number nor the code is kept in clear.
    row = PhoneCode.objects.get()
    assert PHONE not in row.phone_digest and code not in row.code_digest


def test_a_code_is_for_its_purpose_only(sms_outbox: list[Any]) -> None:
    phone_code_send(phone=PHONE, purpose="vote", source="")
    with pytest.raises(InvalidInput):
        phone_code_check(phone=PHONE, code=code_in(sms_outbox[0][1]), purpose="quiz")


def test_wrong_guesses_use_up_the_code(sms_outbox: list[Any]) -> None:
    phone_code_send(phone=PHONE, purpose="quiz", source="")
    code = code_in(sms_outbox[0][1])
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        with pytest.raises(InvalidInput):
            phone_code_check(phone=PHONE, code=wrong, purpose="quiz")
    with pytest.raises(InvalidInput):
        phone_code_check(phone=PHONE, code=code, purpose="quiz")


def test_an_expired_code_is_refused(sms_outbox: list[Any]) -> None:
    phone_code_send(phone=PHONE, purpose="quiz", source="")
    PhoneCode.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(InvalidInput):
        phone_code_check(phone=PHONE, code=code_in(sms_outbox[0][1]), purpose="quiz")


def test_codes_are_limited_per_number_and_per_address(sms_outbox: list[Any]) -> None:
    phone_code_send(phone=PHONE, purpose="quiz", source="10.0.0.9")
    with pytest.raises(InvalidInput, match="less than a minute"):
        phone_code_send(phone=PHONE, purpose="quiz", source="10.0.0.9")
    PhoneCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    for _ in range(HOURLY_PER_PHONE - 1):
        phone_code_send(phone=PHONE, purpose="quiz", source="")
        PhoneCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    with pytest.raises(InvalidInput, match="last hour"):
        phone_code_send(phone=PHONE, purpose="quiz", source="")
    assert len(sms_outbox) == HOURLY_PER_PHONE


@pytest.mark.parametrize("bad", ["12345", "23812345678", "1381234567a", ""])
def test_a_malformed_number_is_refused_naming_the_field(bad: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        phone_code_send(phone=bad, purpose="quiz", source="")
    assert refused.value.errors.keys() == {"phone"}


def test_the_page_sends_the_visitor_back_verified(client: Any, sms_outbox: list[Any]) -> None:
    from yufang.notifications.phone import verified_phone

    url = reverse("notifications:phone_verify") + "?purpose=quiz&next=/training/verify/"
    opened = client.get(url)
    assert "手机号" in opened.content.decode()
    sent = client.post(
        reverse("notifications:phone_verify"),
        {"purpose": "quiz", "next": "/training/verify/", "phone": PHONE, "action": "send"},
    )
    page = sent.content.decode()
    assert "138****5678" in page
    code = code_in(sms_outbox[0][1])
    wrong = client.post(
        reverse("notifications:phone_verify"),
        {"purpose": "quiz", "next": "/", "phone": PHONE, "code": "99999x", "action": "check"},
    )
    assert "验证码错误或已过期" in wrong.content.decode()
    done = client.post(
        reverse("notifications:phone_verify"),
        {
            "purpose": "quiz",
            "next": "/training/verify/",
            "phone": PHONE,
            "code": code,
            "action": "check",
        },
    )
    assert done.status_code == 302 and done["Location"] == "/training/verify/"
    request = type("R", (), {"session": client.session})()
    assert verified_phone(request, purpose="quiz") == PHONE
    assert verified_phone(request, purpose="vote") is None


def test_the_page_never_sends_anyone_off_the_site(client: Any, sms_outbox: list[Any]) -> None:
    client.get(reverse("notifications:phone_verify") + "?purpose=vote")
    client.post(
        reverse("notifications:phone_verify"),
        {"purpose": "vote", "next": "https://evil.example/", "phone": PHONE, "action": "send"},
    )
    done = client.post(
        reverse("notifications:phone_verify"),
        {
            "purpose": "vote",
            "next": "https://evil.example/",
            "phone": PHONE,
            "code": code_in(sms_outbox[0][1]),
            "action": "check",
        },
    )
    assert done["Location"] == "/"


def test_the_page_without_a_purpose_says_so(client: Any) -> None:
    response = client.get(reverse("notifications:phone_verify"))
    assert response.status_code == 400
    assert "打开此页面时没有说明用途" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_client_proves_a_number_over_the_api(
    live_server: Any, reference_data: None, sms_outbox: list[Any]
) -> None:
    with ApiClient(live_server.url) as api:
        bad = api.post("/notifications/phone-codes", json={"phone": "123", "purpose": "quiz"})
        assert bad.status_code == 422 and "11" in bad.text
        sent = api.post("/notifications/phone-codes", json={"phone": PHONE, "purpose": "quiz"})
        assert sent.status_code == 202, sent.text
        code = code_in(sms_outbox[-1][1])
        wrong = api.post(
            "/notifications/phone-codes/check",
            json={"phone": PHONE, "purpose": "quiz", "code": "abc"},
        )
        assert wrong.status_code == 422 and "code" in wrong.text
        ok = api.post(
            "/notifications/phone-codes/check",
            json={"phone": PHONE, "purpose": "quiz", "code": code},
        )
        assert ok.status_code == 200
        assert ok.json() == {"phone": "138****5678", "purpose": "quiz", "verified": True}


@pytest.mark.django_db(transaction=True)
def test_a_burst_from_one_address_is_refused_with_429(
    live_server: Any, reference_data: None, sms_outbox: list[Any]
) -> None:
    with ApiClient(live_server.url) as api:
        answers = [
            api.post(
                "/notifications/phone-codes",
                json={"phone": f"139{n:08d}", "purpose": "quiz"},
            ).status_code
            for n in range(65)
        ]
    assert answers.count(429) >= 1
    assert 500 not in answers


def test_a_number_proved_for_the_quiz_can_be_proved_at_once_for_a_vote(
    sms_outbox: list[Any],
) -> None:
    phone_code_send(phone=PHONE, purpose="quiz", source="")
    phone_code_send(phone=PHONE, purpose="vote", source="")
    assert len(sms_outbox) == 2
