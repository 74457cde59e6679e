"""API contracts of the backbone's writes, as a client system calls them: a live server,
httpx, a bearer token; each write once as it should go and once with bad input (a 422 that
names the field), and a record outside the caller's scope absent."""

from __future__ import annotations

import pytest

from yufang.accounts.models import Role
from yufang.notifications.services import notify

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_province_official_records_a_risk_class_and_a_city_official_cannot(api_client, world):
    province = api_client(world.people[Role.PROVINCE_OFFICIAL])
    bad = province.post(
        "/industries/26/risk-classes",
        json={"risk_class": 9, "effective_from": "2026-01-01", "reason": "文件"},
    )
    assert bad.status_code == 422
    assert "risk_class" in bad.json()["detail"][0]["loc"]
    no_date = province.post(
        "/industries/26/risk-classes", json={"risk_class": 7, "effective_from": "someday"}
    )
    assert no_date.status_code == 422
    assert "effective_from" in no_date.json()["detail"][0]["loc"]
    made = province.post(
        "/industries/26/risk-classes",
        json={"risk_class": 7, "effective_from": "2026-01-01", "reason": "鲁人社字〔2026〕1号"},
    )
    assert made.status_code == 201, made.text
    assert made.json()["risk_class"] == 7
    history = province.get("/industries/2614/risk-classes").json()
    assert history[0]["risk_class"] == 7

    city = api_client(world.people[Role.CITY_OFFICIAL])
    refused = city.post(
        "/industries/26/risk-classes",
        json={"risk_class": 5, "effective_from": "2026-02-01", "reason": "x"},
    )
    assert refused.status_code == 403
    assert (
        province.post(
            "/industries/ZZ/risk-classes",
            json={"risk_class": 5, "effective_from": "2026-02-01", "reason": "x"},
        ).status_code
        == 404
    )


def test_a_person_marks_their_notifications_read_and_no_one_elses(api_client, world):
    mine = world.people[Role.CITY_OFFICIAL]
    other = world.people[Role.COUNTY_OFFICIAL]
    [a] = notify(recipients=[mine], title="一")
    notify(recipients=[mine], title="二")
    [theirs] = notify(recipients=[other], title="三")
    client = api_client(mine)
    bad = client.post("/notifications/read", json={"ids": ["x"]})
    assert bad.status_code == 422
    assert "ids" in bad.json()["detail"][0]["loc"]
    assert client.post("/notifications/read", json={"ids": [a.pk, theirs.pk]}).json() == {
        "unread": 1
    }
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert {n["title"] for n in client.get("/notifications").json()["items"]} == {"一", "二"}
