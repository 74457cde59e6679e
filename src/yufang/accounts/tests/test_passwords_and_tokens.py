"""Passwords: an official sets one for an account they manage, a person changes their own;
tokens: a client revokes its own. Through the pages and, as a client system, the API."""

from __future__ import annotations

import pytest

from yufang.accounts.models import ApiToken, Role
from yufang.audit.models import AuditEntry
from yufang.tests.clients import ApiClient
from yufang.tests.factories import TEST_PASSWORD, EnterpriseFactory, persona, region

pytestmark = pytest.mark.django_db
NEW = "a new long passphrase 2026"


def test_an_official_sets_a_forgotten_password_on_the_page(client):
    county = persona(Role.COUNTY_OFFICIAL, region=region("370211"))
    manager = persona(Role.SAFETY_MANAGER, enterprise=EnterpriseFactory(county=region("370211")))
    client.force_login(county)
    page = f"/accounts/users/{manager.pk}/password/"
    differ = client.submit(page, {"password": NEW, "password_again": NEW + "x"})
    assert "两次输入的密码不一致" in differ.content.decode()
    weak = client.submit(page, {"password": "123", "password_again": "123"})
    assert 'data-testid="form-errors"' in weak.content.decode()
    done = client.submit(page, {"password": NEW, "password_again": NEW})
    assert done.status_code == 302
    manager.refresh_from_db()
    assert manager.check_password(NEW)
    entry = AuditEntry.objects.get(action="password", object_id=str(manager.pk))
    assert entry.actor == county
    assert NEW not in str(entry.changes)


def test_nobody_sets_the_password_of_an_account_above_or_outside_them(client):
    county = persona(Role.COUNTY_OFFICIAL, region=region("370211"))
    city = persona(Role.CITY_OFFICIAL, region=region("370200"))
    jinan_manager = persona(
        Role.SAFETY_MANAGER, enterprise=EnterpriseFactory(county=region("370102"))
    )
    client.force_login(county)
    assert client.get(f"/accounts/users/{city.pk}/password/").status_code in (403, 404)
    assert client.get(f"/accounts/users/{jinan_manager.pk}/password/").status_code == 404


def test_a_person_changes_their_own_password(client):
    worker = persona(Role.CITY_OFFICIAL, region=region("370200"))
    client.force_login(worker)
    wrong = client.submit(
        "/accounts/password/",
        {"old_password": "nope", "new_password": NEW, "password_again": NEW},
    )
    assert "当前密码不正确" in wrong.content.decode()
    done = client.submit(
        "/accounts/password/",
        {"old_password": TEST_PASSWORD, "new_password": NEW, "password_again": NEW},
    )
    assert done.status_code == 302
    assert "_auth_user_id" in client.session  # still signed in
    worker.refresh_from_db()
    assert worker.check_password(NEW)


@pytest.mark.django_db(transaction=True)
def test_api_token_lifecycle_and_password_calls(api_client, live_server):
    county = persona(Role.COUNTY_OFFICIAL, region=region("370211"))
    manager = persona(Role.SAFETY_MANAGER, enterprise=EnterpriseFactory(county=region("370211")))
    jinan = persona(Role.CITY_OFFICIAL, region=region("370100"))

    anonymous = api_client()
    bad_body = anonymous.post("/auth/token", json={"username": county.username})
    assert bad_body.status_code == 422
    assert bad_body.json()["detail"][0]["loc"][-1] == "password"

    client = ApiClient.signed_in(live_server.url, county.username, TEST_PASSWORD)
    assert client.get("/auth/me").json()["username"] == county.username

    weak = client.post(f"/auth/users/{manager.pk}/password", json={"password": "1"})
    assert weak.status_code == 422
    assert weak.json()["detail"][0]["loc"] == ["body", "password"]
    manager_token = ApiClient.signed_in(live_server.url, manager.username, TEST_PASSWORD)
    assert (
        client.post(f"/auth/users/{manager.pk}/password", json={"password": NEW}).status_code == 204
    )
    assert manager_token.get("/auth/me").status_code == 401  # its tokens were revoked
    assert client.post(f"/auth/users/{manager.pk}/unlock").status_code == 204

    outsider = api_client(jinan)
    assert (
        outsider.post(f"/auth/users/{manager.pk}/password", json={"password": NEW}).status_code
        == 404
    )
    assert outsider.post(f"/auth/users/{manager.pk}/unlock").status_code == 404

    own = client.post("/auth/password", json={"old_password": "x", "new_password": NEW})
    assert own.status_code == 422
    assert own.json()["detail"][0]["loc"] == ["body", "old_password"]
    assert (
        client.post(
            "/auth/password", json={"old_password": TEST_PASSWORD, "new_password": NEW}
        ).status_code
        == 204
    )

    assert client.delete("/auth/token").status_code == 204
    assert client.get("/auth/me").status_code == 401
    assert not ApiToken.objects.filter(user=county).exists()
