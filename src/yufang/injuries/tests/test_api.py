from __future__ import annotations

import json

import pytest

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.injuries.models import InjuryCase
from yufang.injuries.services import case_create, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, id_number, insure

pytestmark = pytest.mark.django_db
API = "/api/v1/injuries"


@pytest.fixture
def recorded(world):
    for e in (world.enterprise, world.other_enterprise, world.jinan_enterprise):
        insure(e, 2024, 100)
    rollup_rebuild()
    world.case = case_create(actor=world.people[Role.ADMIN], data=case_data(world.enterprise, 1))
    return world


def payload(world, **over):
    data = {
        "case_number": "API-1",
        "enterprise_id": world.enterprise.pk,
        "person_name": "赵六",
        "id_number": id_number(7),
        "accident_date": "2024-06-01",
        "recognition_date": "2024-07-01",
        "kind": "work_injury",
        "accident_category": "09",
        "body_part": "head",
        "payout": "3000.00",
        "is_death": True,
    }
    data.update(over)
    return data


def test_cases_are_created_listed_edited_and_deleted(client, recorded):
    client.force_login(recorded.people[Role.COUNTY_OFFICIAL])
    created = client.post(
        f"{API}/cases", json.dumps(payload(recorded)), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["id_number_masked"].startswith("370211") and "*" in body["id_number_masked"]
    assert "id_number" not in body
    listed = client.get(f"{API}/cases?year=2024&death=true").json()
    assert [c["case_number"] for c in listed["items"]] == ["API-1"]
    edited = client.put(
        f"{API}/cases/{body['id']}",
        json.dumps(payload(recorded, id_number="", is_death=False, lost_workdays=3)),
        content_type="application/json",
    )
    assert edited.json()["lost_workdays"] == 3
    assert client.delete(f"{API}/cases/{body['id']}").status_code == 204
    assert not InjuryCase.objects.filter(case_number="API-1").exists()


def test_bad_case_gets_a_structured_422(client, recorded):
    client.force_login(recorded.people[Role.COUNTY_OFFICIAL])
    bad = client.post(
        f"{API}/cases",
        json.dumps(payload(recorded, payout="-1", accident_category="99")),
        content_type="application/json",
    )
    assert bad.status_code == 422
    fields = {d["loc"][-1] for d in bad.json()["detail"]}
    assert {"payout", "accident_category"} <= fields


def test_reveal_through_the_api_is_audited_and_refused_to_others(client, recorded):
    client.force_login(recorded.people[Role.CITY_OFFICIAL])
    got = client.post(f"{API}/cases/{recorded.case.pk}/reveal").json()
    assert got["id_number"] == id_number(1)
    assert AuditEntry.objects.filter(reason="reveal id_number").count() == 1
    client.force_login(recorded.people[Role.AUDITOR])
    assert client.post(f"{API}/cases/{recorded.case.pk}/reveal").status_code == 403
    client.force_login(recorded.jinan_city_official)
    assert client.post(f"{API}/cases/{recorded.case.pk}/reveal").status_code == 404


def test_rates_take_every_dimension_as_filter(client, recorded):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    got = client.get(
        f"{API}/rates?by=county&year=2024&city=370200&industry=26&risk_class=6&key_industry=true&size=small"
    ).json()
    row = got["rows"][0]
    assert row["key"] == "370211" and row["cases"] == 1 and row["headcount"] == 200
    assert row["injury_rate"]["value"] == pytest.approx(5.0)
    assert row["injury_rate"]["low"] < 5.0 < row["injury_rate"]["high"]
    province = client.get(f"{API}/rates?by=enterprise")
    assert province.status_code == 422
    assert province.json()["detail"][0]["loc"] == ["body", "city"]
    grid = client.get(f"{API}/rates?by=grid&grid={recorded.grid.code}").json()
    assert grid["rows"][0]["cases"] == 1
    assert client.get(f"{API}/rates?by=nonsense").status_code == 422


def test_headcounts_targets_priority_and_dashboard(client, recorded):
    client.force_login(recorded.people[Role.CITY_OFFICIAL])
    hc = client.get(f"{API}/headcounts?year=2024").json()
    assert hc["count"] == 2  # Jinan's is outside the city
    put = client.put(
        f"{API}/headcounts/{recorded.enterprise.pk}/2024",
        json.dumps({"insured_headcount": 400, "hours_worked": "800000"}),
        content_type="application/json",
    )
    assert put.json()["insured_headcount"] == 400
    dash = client.get(f"{API}/dashboard?year=2024").json()
    assert dash["total"][0]["headcount"] == 500
    assert dash["total"][0]["osha_rate"]["value"] == pytest.approx(0.25)
    assert {a["key"] for a in dash["areas"]} == {"370211"}
    targets = client.get(f"{API}/targets").json()
    assert {t["region"] for t in targets["targets"]} == {"370200"}
    priority = client.get(f"{API}/priority?year=2024").json()
    assert priority["rows"][0]["enterprise_id"] == recorded.enterprise.pk
    assert "smoothed_rate" in priority["rows"][0]
