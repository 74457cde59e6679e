"""Roles × pages and API endpoints: nobody reads or writes outside their scope.

The world: Qingdao 黄岛区 has two grids with one enterprise each (`enterprise` in the grid
worker's grid, `other_enterprise` in another); Jinan has `jinan_enterprise`.
"""

from __future__ import annotations

import json

import pytest

from yufang.accounts.models import Role
from yufang.accounts.scoping import enterprise_fields_writable

pytestmark = pytest.mark.django_db

R = Role
# Which of the three enterprises each role may read.
READS = {
    R.PROVINCE_OFFICIAL: {"enterprise", "other_enterprise", "jinan_enterprise"},
    R.ADMIN: {"enterprise", "other_enterprise", "jinan_enterprise"},
    R.AUDITOR: {"enterprise", "other_enterprise", "jinan_enterprise"},
    R.CITY_OFFICIAL: {"enterprise", "other_enterprise"},
    R.COUNTY_OFFICIAL: {"enterprise", "other_enterprise"},
    R.DEPARTMENT_LIAISON: {"enterprise", "other_enterprise"},
    R.GRID_WORKER: {"enterprise"},
    R.SAFETY_MANAGER: {"enterprise"},
    R.WORKER: {"enterprise"},
    R.INSTITUTION_STAFF: set(),
}
# Which each role may change.
WRITES = {
    R.PROVINCE_OFFICIAL: {"enterprise", "other_enterprise", "jinan_enterprise"},
    R.ADMIN: {"enterprise", "other_enterprise", "jinan_enterprise"},
    R.AUDITOR: set(),
    R.CITY_OFFICIAL: {"enterprise", "other_enterprise"},
    R.COUNTY_OFFICIAL: {"enterprise", "other_enterprise"},
    R.DEPARTMENT_LIAISON: set(),
    R.GRID_WORKER: {"enterprise"},
    R.SAFETY_MANAGER: {"enterprise"},
    R.WORKER: set(),
    R.INSTITUTION_STAFF: set(),
}
ENTERPRISES = ("enterprise", "other_enterprise", "jinan_enterprise")


def put_body(enterprise):
    return {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name + "（改）",
        "county": enterprise.county.code,
        "township": enterprise.township.code if enterprise.township else "",
        "grid": enterprise.grid.code if enterprise.grid else "",
        "industry": enterprise.industry.code,
        "size": enterprise.size,
    }


@pytest.mark.parametrize("role", list(READS))
def test_enterprise_list_page_and_api_show_only_the_scope(client, world, role):
    client.force_login(world.people[role])
    page = client.get("/enterprises/").content.decode()
    api = client.get("/api/v1/enterprises").json()
    api_ids = {item["id"] for item in api["items"]}
    for name in ENTERPRISES:
        enterprise = getattr(world, name)
        expected = name in READS[role]
        assert (enterprise.name in page) == expected, (role, name)
        assert (enterprise.pk in api_ids) == expected, (role, name)


@pytest.mark.parametrize("role", list(READS))
def test_enterprise_detail_page_and_api_404_outside_the_scope(client, world, role):
    client.force_login(world.people[role])
    for name in ENTERPRISES:
        pk = getattr(world, name).pk
        expected = 200 if name in READS[role] else 404
        assert client.get(f"/enterprises/{pk}/").status_code == expected, (role, name)
        assert client.get(f"/api/v1/enterprises/{pk}").status_code == expected, (role, name)
        assert client.get(f"/api/v1/enterprises/{pk}/headcounts").status_code == expected, (
            role,
            name,
        )


@pytest.mark.parametrize("role", list(WRITES))
def test_enterprise_writes_only_in_scope_through_page_and_api(client, world, role):
    """Officials change the bureau's fields; a grid worker and a safety manager change the
    contact details only (scoping.enterprise_fields_writable): each tries what it may."""
    user = world.people[role]
    client.force_login(user)
    bureau = "name" in enterprise_fields_writable(user)
    for name in ENTERPRISES:
        enterprise = getattr(world, name)
        if bureau:
            body = put_body(enterprise)
            api = client.put(
                f"/api/v1/enterprises/{enterprise.pk}",
                json.dumps(body),
                content_type="application/json",
            )
        else:
            body = {"address": "青岛市黄岛区（改）", "contact_phone": "0532-12345678"}
            api = client.patch(
                f"/api/v1/enterprises/{enterprise.pk}",
                json.dumps(body),
                content_type="application/json",
            )
        page = client.post_direct(f"/enterprises/{enterprise.pk}/edit/", body)
        enterprise.refresh_from_db()
        changed = enterprise.name if bureau else enterprise.address
        if name in WRITES[role]:
            assert api.status_code == 200, (role, name, api.content)
            assert page.status_code == 302, (role, name)
            assert changed.endswith("（改）"), (role, name)
        else:
            assert api.status_code in (403, 404), (role, name)
            assert page.status_code in (403, 404), (role, name)
            assert not changed.endswith("（改）"), (role, name)


@pytest.mark.parametrize("role", list(READS))
def test_grid_lists_follow_the_scope(client, world, role):
    client.force_login(world.people[role])
    codes = {g["code"] for g in client.get("/api/v1/grids").json()["items"]}
    page = client.get("/regions/grids/").content.decode()
    sees_own_grid = bool(READS[role]) and role not in (R.SAFETY_MANAGER, R.WORKER)
    assert (world.grid.code in codes) == sees_own_grid, role
    assert (world.grid.code in page) == sees_own_grid, role
    sees_jinan = "jinan_enterprise" in READS[role]
    assert (world.jinan_enterprise.grid.code in codes) == sees_jinan, role


@pytest.mark.parametrize("role", list(READS))
def test_audit_log_is_for_province_wide_readers_only(client, world, role):
    client.force_login(world.people[role])
    allowed = role in (R.AUDITOR, R.ADMIN, R.PROVINCE_OFFICIAL)
    assert client.get("/audit/").status_code == (200 if allowed else 403)
    items = client.get("/api/v1/audit").json()["items"]
    assert allowed or items == []


def test_jinan_city_official_sees_jinan_only(client, world):
    client.force_login(world.jinan_city_official)
    api_ids = {i["id"] for i in client.get("/api/v1/enterprises").json()["items"]}
    assert api_ids == {world.jinan_enterprise.pk}
    regions = client.get("/api/v1/regions?level=2").json()["items"]
    assert [r["code"] for r in regions] == ["370100"]


def test_city_official_lists_only_people_of_the_city(client, world):
    client.force_login(world.people[R.CITY_OFFICIAL])
    page = client.get("/accounts/users/").content.decode()
    assert world.people[R.GRID_WORKER].username in page
    assert world.jinan_city_official.username not in page


def test_city_official_cannot_create_in_another_city_through_the_api(client, world):
    client.force_login(world.people[R.CITY_OFFICIAL])
    body = put_body(world.jinan_enterprise) | {"credit_code": "913701001234567881"}
    response = client.post("/api/v1/enterprises", json.dumps(body), content_type="application/json")
    assert response.status_code == 403


def test_anonymous_gets_nothing(client, world):
    assert client.get("/enterprises/").status_code == 302
    assert client.get("/api/v1/enterprises").status_code == 401
    assert client.get(f"/enterprises/{world.enterprise.pk}/").status_code == 302
