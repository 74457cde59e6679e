"""The sign-in lockout holds whatever name reaches the account, on every login path, from
one source address, and under simultaneous attempts; officials lift it; the log shows it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.tests.clients import ApiClient
from yufang.tests.factories import TEST_PASSWORD, persona, region

pytestmark = pytest.mark.django_db
LIMIT = settings.LOGIN_FAILURE_LIMIT


def sign_in(client, username, password):
    return client.submit("/accounts/login/", {"username": username, "password": password})


def test_the_phone_number_and_the_username_share_one_lock(client):
    user = persona(Role.COUNTY_OFFICIAL, region=region("370211"), phone="13800002222")
    for i in range(LIMIT):
        sign_in(client, user.username if i % 2 else "13800002222", "wrong")
    for name in (user.username, "13800002222"):
        refused = sign_in(client, name, TEST_PASSWORD)
        assert "登录失败次数过多" in refused.content.decode(), name
        assert "_auth_user_id" not in client.session


def test_one_source_address_is_locked_across_accounts(client):
    names = [f"nobody{i}" for i in range(LIMIT)]
    for name in names:
        sign_in(client, name, "wrong")
    official = persona(Role.CITY_OFFICIAL, region=region("370200"))
    refused = sign_in(client, official.username, TEST_PASSWORD)
    assert "登录失败次数过多" in refused.content.decode()
    other_address = client.submit(
        "/accounts/login/",
        {"username": official.username, "password": TEST_PASSWORD},
        REMOTE_ADDR="10.1.2.3",
    )
    assert other_address.status_code == 302


def test_the_admin_login_is_the_platform_login(client):
    admin = persona(Role.ADMIN, is_staff=True, is_superuser=True)
    page = client.get("/admin/login/?next=/admin/")
    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/?next=/admin/")
    # Credentials posted to the admin's address sign nobody in and are not checked there.
    client.get("/accounts/login/")
    posted = client.post_direct(
        "/admin/login/", {"username": admin.username, "password": TEST_PASSWORD}
    )
    assert posted.status_code == 302
    assert "_auth_user_id" not in client.session


def test_lockout_is_in_the_audit_log_and_an_official_lifts_it(client):
    county = persona(Role.COUNTY_OFFICIAL, region=region("370211"))
    from yufang.tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(county=region("370211"))
    manager = persona(Role.SAFETY_MANAGER, enterprise=enterprise)
    for _ in range(LIMIT):
        sign_in(client, manager.username, "wrong")
    entry = AuditEntry.objects.get(action="lockout", object_id=str(manager.pk))
    assert str(LIMIT) in entry.reason

    official = client.__class__()
    official.force_login(county)
    users = official.get("/accounts/users/").content.decode()
    assert 'data-testid="locked"' in users
    lifted = official.submit("/accounts/users/", action=f"/accounts/users/{manager.pk}/unlock/")
    assert lifted.status_code == 302
    assert AuditEntry.objects.filter(action="unlock", object_id=str(manager.pk)).exists()
    assert sign_in(client, manager.username, TEST_PASSWORD).status_code == 302


def test_an_official_cannot_unlock_an_account_outside_their_scope(client):
    jinan = persona(Role.CITY_OFFICIAL, region=region("370100"))
    from yufang.tests.factories import EnterpriseFactory

    manager = persona(Role.SAFETY_MANAGER, enterprise=EnterpriseFactory(county=region("370211")))
    client.force_login(jinan)
    assert client.post_direct(f"/accounts/users/{manager.pk}/unlock/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_token_endpoint_counts_failures_and_answers_429(live_server, reference_data):
    user = persona(Role.CITY_OFFICIAL, region=region("370200"))
    with ApiClient(live_server.url) as api:
        answers = [
            api.post("/auth/token", json={"username": user.username, "password": "wrong"})
            for _ in range(LIMIT)
        ]
        assert [a.status_code for a in answers[:-1]] == [422] * (LIMIT - 1)
        assert answers[-1].status_code == 429
        right = api.post("/auth/token", json={"username": user.username, "password": TEST_PASSWORD})
        assert right.status_code == 429
        assert "登录失败次数过多" in right.json()["detail"]


@pytest.mark.django_db(transaction=True)
def test_simultaneous_guesses_are_checked_one_at_a_time(live_server, reference_data):
    if connection.vendor == "sqlite":
        pytest.skip("the live server shares one in-memory SQLite connection across threads")
    user = persona(Role.CITY_OFFICIAL, region=region("370200"))

    def guess(i: int) -> int:
        with ApiClient(live_server.url) as api:
            body = {"username": user.username, "password": f"wrong{i}"}
            return api.post("/auth/token", json=body).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        codes = list(pool.map(guess, range(20)))
    # Only the failures before the lock were checked; every other guess was refused unchecked.
    assert codes.count(422) == LIMIT - 1, codes
    assert codes.count(429) == 20 - (LIMIT - 1), codes
