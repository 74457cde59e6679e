from __future__ import annotations

import json

import pytest

from yufang.accounts.models import Role
from yufang.enterprises.models import Enterprise
from yufang.tests.factories import EnterpriseFactory, industry, region, valid_credit_code

pytestmark = pytest.mark.django_db


def test_openapi_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/enterprises" in schema["paths"]
    assert "/api/v1/auth/token" in schema["paths"]
    assert client.get("/api/docs").status_code == 302


def test_enterprise_list_is_paginated_and_filtered(client, world):
    for n in range(60):
        EnterpriseFactory(
            name=f"分页企业{n}", industry=industry("4790"), risk_class=5, is_key_industry=True
        )
    client.force_login(world.people[Role.CITY_OFFICIAL])
    first = client.get("/api/v1/enterprises?q=分页企业").json()
    assert first["count"] == 60
    assert len(first["items"]) == 50
    second = client.get("/api/v1/enterprises?q=分页企业&page=2").json()
    assert len(second["items"]) == 10
    by_industry = client.get("/api/v1/enterprises?industry=E&risk_class=5").json()
    assert by_industry["count"] == 60
    assert (
        client.get("/api/v1/enterprises?industry=26").json()["count"] == 2
    )  # the world's chemicals


def test_create_through_the_api_names_the_bad_field(client, world):
    client.force_login(world.people[Role.CITY_OFFICIAL])
    body = {
        "credit_code": "91370211000000001X",
        "name": "接口企业",
        "county": "370211",
        "industry": "4790",
        "size": "small",
    }
    response = client.post("/api/v1/enterprises", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "credit_code"]
    missing = client.post(
        "/api/v1/enterprises", json.dumps({"name": "x"}), content_type="application/json"
    )
    assert missing.status_code == 422
    assert any("credit_code" in d["loc"] for d in missing.json()["detail"])
    assert not Enterprise.objects.filter(name="接口企业").exists()


def test_create_and_read_back_through_the_api(client, world):
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    body = {
        "credit_code": valid_credit_code(4242),
        "name": "接口企业",
        "county": "370211",
        "industry": "4790",
        "size": "small",
        "headcount_year": 2024,
        "insured_headcount": 33,
    }
    response = client.post("/api/v1/enterprises", json.dumps(body), content_type="application/json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["city"] == "370200"
    assert created["risk_class"] == 6  # 47 房屋建筑业
    headcounts = client.get(f"/api/v1/enterprises/{created['id']}/headcounts").json()
    assert headcounts == [{"year": 2024, "insured_headcount": 33, "hours_worked": None}]


def test_regions_and_industries_reference(client, world):
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    from yufang.regions.models import PilotYear

    PilotYear.objects.create(city=region("370500"), year=2021)
    cities = client.get("/api/v1/regions?level=2&year=2021").json()
    assert cities["count"] == 16
    assert [c["code"] for c in cities["items"] if c["is_pilot"]] == ["370500"]
    counties = client.get("/api/v1/regions?parent=370200").json()
    assert {"370211", "370202"} <= {r["code"] for r in counties["items"]}
    groups = client.get("/api/v1/industries?parent=26").json()
    assert {"261", "262"} <= {i["code"] for i in groups["items"]}
    assert all(i["parent"] == "26" for i in groups["items"])
    detail = client.get("/api/v1/industries/2614").json()
    assert detail["risk_class"] == 6 and detail["is_key_industry"]
    assert (
        client.get("/api/v1/regions/371200").status_code == 404
    )  # Laiwu is not a current division
    assert region("370116").parent.code == "370100"
