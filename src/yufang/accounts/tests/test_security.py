from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from yufang.accounts.models import ApiToken, Role
from yufang.tests.factories import TEST_PASSWORD, persona, region

pytestmark = pytest.mark.django_db


def test_passwords_are_hashed_with_argon2_in_production():
    # The tests swap in a fast hasher; the configured one is Argon2.
    from yufang import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_login_by_username_or_phone(client):
    user = persona(Role.CITY_OFFICIAL, region=region("370200"), phone="13800001111")
    for login in (user.username, "13800001111"):
        response = client.submit("/accounts/login/", {"username": login, "password": TEST_PASSWORD})
        assert response.status_code == 302, login
        assert client.submit("/", action="/accounts/logout/").status_code == 302


def test_repeated_failures_lock_the_account_even_for_the_right_password(client):
    user = persona(Role.CITY_OFFICIAL, region=region("370200"))
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        response = client.submit(
            "/accounts/login/", {"username": user.username, "password": "wrong"}
        )
        assert "不匹配" in response.content.decode()
    last = client.submit("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert "登录失败次数过多" in last.content.decode()
    response = client.submit(
        "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_token_auth_for_clients(client):
    user = persona(Role.PROVINCE_OFFICIAL, region=region("370000"))
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": user.username, "password": TEST_PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert not ApiToken.objects.filter(digest=token).exists()  # only the digest is stored
    anonymous = Client()
    me = anonymous.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["username"] == user.username
    assert (
        anonymous.get("/api/v1/auth/me", headers={"Authorization": "Bearer nonsense"}).status_code
        == 401
    )


def test_wrong_password_for_a_token_is_a_structured_error(client):
    user = persona(Role.PROVINCE_OFFICIAL)
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": user.username, "password": "nope"}),
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"]


def test_session_api_writes_need_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    response = client.put(
        f"/api/v1/enterprises/{world.enterprise.pk}/headcounts/2024",
        json.dumps({"insured_headcount": 5}),
        content_type="application/json",
    )
    assert response.status_code in (401, 403)


def test_pages_send_security_headers(client, world):
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_logout_needs_post(client, world):
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    assert client.get("/accounts/logout/").status_code == 405


def test_signing_out_tells_the_browser_to_drop_its_cached_pages(client, world):
    client.force_login(world.people[Role.CITY_OFFICIAL])
    response = client.submit("/", action="/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache"'
    assert client.get("/").status_code == 302


def test_login_redirect_refuses_other_hosts(client):
    user = persona(Role.PROVINCE_OFFICIAL)
    response = client.submit(
        "/accounts/login/?next=https://evil.example/",
        {"username": user.username, "password": TEST_PASSWORD},
        action="/accounts/login/?next=https://evil.example/",
    )
    assert response["Location"] == "/"


def test_the_database_refuses_a_role_without_its_scope(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        persona(Role.CITY_OFFICIAL)  # a city official needs a region


def test_the_api_sends_the_content_security_policy_too(client, world):
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    for path in ("/api/v1/auth/me", "/api/v1/docs"):
        csp = client.get(path)["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
    assert "geolocation=(self)" in client.get("/")["Permissions-Policy"]


def test_production_sends_hsts(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_body_over_the_limit_is_a_413_naming_the_limit(client):
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": big, "password": "p"}),
        content_type="application/json",
    )
    assert response.status_code == 413
    assert "MB" in response.json()["detail"]


def test_a_nul_character_is_refused_naming_the_field(client, world):
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    api = client.get("/api/v1/enterprises?search=a%00b")
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["query", "search"]
    body = client.post(
        "/api/v1/notifications/read", '{"ids": [], "x": "\\u0000"}', content_type="application/json"
    )
    assert body.status_code == 422
    page = client.get("/enterprises/?q=a%00")
    assert page.status_code == 400
    assert "空字符" in page.content.decode()
