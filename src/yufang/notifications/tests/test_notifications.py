from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.core import mail

from yufang.accounts.models import Role
from yufang.notifications import delivery
from yufang.notifications.models import Notification
from yufang.notifications.services import notify
from yufang.tests.clients import FormClient

pytestmark = pytest.mark.django_db


class RecordingSmsBackend:
    """Stands in for an SMS gateway (outside the system), recording what would be sent."""

    sent: ClassVar[list[tuple[str, str]]] = []

    def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))


@pytest.fixture
def sms(settings: Any) -> type[RecordingSmsBackend]:
    settings.SMS_BACKEND = f"{__name__}.RecordingSmsBackend"
    delivery.sms_backend.cache_clear()
    RecordingSmsBackend.sent.clear()
    yield RecordingSmsBackend
    delivery.sms_backend.cache_clear()


def test_notify_fills_the_inbox_and_sends_email_and_sms_after_commit(
    world: Any, sms: Any, django_capture_on_commit_callbacks: Any
) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    manager.email, manager.phone = "anquan@example.com", "13800001234"
    manager.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[manager],
            title="隐患待整改",
            body="请于期限内整改",
            url="/hazards/1/",
            by_sms=True,
        )
        assert mail.outbox == []  # nothing leaves before the commit
    n = Notification.objects.get(recipient=manager)
    assert n.read_at is None and n.emailed_at is not None and n.texted_at is not None
    assert mail.outbox[0].subject == "隐患待整改" and "/hazards/1/" in mail.outbox[0].body
    assert sms.sent == [("13800001234", "隐患待整改")]


def test_delivery_does_not_send_twice(world: Any, sms: Any) -> None:
    user = world.people[Role.COUNTY_OFFICIAL]
    user.email, user.phone = "county@example.com", "13800004321"
    user.save()
    [n] = notify(recipients=[user], title="升级", by_sms=True)
    delivery.deliver([n.pk])
    delivery.deliver([n.pk])
    assert len(mail.outbox) == 1 and len(sms.sent) == 1


def test_without_address_only_the_inbox_is_used(world: Any, sms: Any) -> None:
    user = world.people[Role.GRID_WORKER]
    user.email, user.phone = "", None
    user.save()
    [n] = notify(recipients=[user], title="提醒", by_sms=True)
    assert not n.by_email and not n.by_sms
    delivery.deliver([n.pk])
    assert mail.outbox == [] and sms.sent == []


def test_inbox_page_shows_own_notifications_and_marks_them_read(world: Any) -> None:
    mine = world.people[Role.SAFETY_MANAGER]
    other = world.people[Role.COUNTY_OFFICIAL]
    [n] = notify(recipients=[mine], title="我的通知", url="/hazards/list/")
    notify(recipients=[other], title="别人的通知")
    client = FormClient()
    client.force_login(mine)
    body = client.get("/notifications/").content.decode()
    assert "我的通知" in body and "别人的通知" not in body
    assert client.get(f"/notifications/{n.pk}/").url == "/hazards/list/"
    n.refresh_from_db()
    assert n.read_at is not None


def test_api_lists_counts_and_marks_read(world: Any) -> None:
    user = world.people[Role.CITY_OFFICIAL]
    notify(recipients=[user], title="一")
    notify(recipients=[user], title="二")
    notify(recipients=[world.people[Role.COUNTY_OFFICIAL]], title="三")
    client = FormClient()
    client.force_login(user)
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 2}
    items = client.get("/api/v1/notifications").json()["items"]
    assert {i["title"] for i in items} == {"一", "二"}
    left = client.post(
        "/api/v1/notifications/read", {"ids": [items[0]["id"]]}, content_type="application/json"
    )
    assert left.json() == {"unread": 1}
    assert client.post(
        "/api/v1/notifications/read", {}, content_type="application/json"
    ).json() == {"unread": 0}
