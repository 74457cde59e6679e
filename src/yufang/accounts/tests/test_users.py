from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from yufang.accounts.models import Role, User
from yufang.accounts.services import UserInvalid, user_create, user_set_active
from yufang.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
STRONG = "Qd-anquan-2026!"


def test_city_official_opens_a_grid_worker_account_in_the_city(world):
    official = world.people[Role.CITY_OFFICIAL]
    user = user_create(
        actor=official,
        username="wangge1",
        password=STRONG,
        role=Role.GRID_WORKER,
        phone="13912345678",
        scope={"grid": world.grid.code},
    )
    assert user.grid == world.grid
    assert user.check_password(STRONG)
    assert AuditEntry.objects.filter(
        model="accounts.User", object_id=str(user.pk), action="create"
    ).exists()


def test_city_official_cannot_bind_an_account_outside_the_city(world):
    official = world.people[Role.CITY_OFFICIAL]
    with pytest.raises(UserInvalid) as exc:
        user_create(
            actor=official,
            username="x",
            password=STRONG,
            role=Role.SAFETY_MANAGER,
            scope={"enterprise": world.jinan_enterprise.credit_code},
        )
    assert "enterprise" in exc.value.errors
    with pytest.raises(UserInvalid) as exc:
        user_create(actor=official, username="y", password=STRONG, role=Role.PROVINCE_OFFICIAL)
    assert "role" in exc.value.errors
    assert not User.objects.filter(username__in=["x", "y"]).exists()


def test_weak_password_bad_phone_and_taken_username_are_named(world):
    official = world.people[Role.PROVINCE_OFFICIAL]
    with pytest.raises(UserInvalid) as exc:
        user_create(
            actor=official,
            username=official.username,
            password="123",
            role=Role.AUDITOR,
            phone="12345",
        )
    assert {"username", "password", "phone"} <= set(exc.value.errors)


def test_grid_worker_cannot_open_accounts(world):
    with pytest.raises(PermissionDenied):
        user_create(
            actor=world.people[Role.GRID_WORKER], username="z", password=STRONG, role=Role.WORKER
        )


def test_deactivation_is_recorded_and_scoped(world):
    official = world.people[Role.CITY_OFFICIAL]
    grid_worker = world.people[Role.GRID_WORKER]
    user_set_active(actor=official, user=grid_worker, is_active=False)
    grid_worker.refresh_from_db()
    assert not grid_worker.is_active
    with pytest.raises(PermissionDenied):
        user_set_active(actor=world.jinan_city_official, user=official, is_active=False)


def test_user_form_page(client, world):
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    assert client.get("/accounts/users/new/").status_code == 200
    response = client.post(
        "/accounts/users/new/",
        {
            "role": Role.SAFETY_MANAGER,
            "username": "anquan",
            "password": STRONG,
            "enterprise": world.enterprise.credit_code,
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="anquan").enterprise == world.enterprise
    bad = client.post(
        "/accounts/users/new/", {"role": Role.SAFETY_MANAGER, "username": "b", "password": STRONG}
    )
    assert bad.status_code == 200 and "form-errors" in bad.content.decode()
