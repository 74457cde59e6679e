"""The enterprises API as an outside system calls it: a live server, httpx and a bearer
token. Each write operation once as it should go and once with bad input (a 422 whose
detail names the field); an enterprise outside the caller's scope is a 404."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db(transaction=True)

R = Role


def fields(response: Any) -> set[str]:
    """The field names a 422's detail points at."""
    assert response.status_code == 422, response.text
    return {str(d["loc"][-1]) for d in response.json()["detail"]}


def test_register_an_enterprise(api_client: Any, world: Any) -> None:
    api = api_client(world.people[R.COUNTY_OFFICIAL])
    body = {
        "credit_code": valid_credit_code(5150),
        "name": "接口登记企业有限公司",
        "county": "370211",
        "township": world.grid.township.code,
        "grid": world.grid.code,
        "industry": "3411",
        "size": "小型",
        "contact_person": "王安全",
        "contact_phone": "0532-86001234",
        "headcount_year": 2024,
        "insured_headcount": 40,
    }
    created = api.post("/enterprises", json=body)
    assert created.status_code == 201, created.text
    item = created.json()
    assert (item["risk_class"], item["is_key_industry"], item["grid"]) == (4, True, world.grid.code)
    assert item["contact_person"] == "王安全"
    assert api.get(f"/enterprises/{item['id']}/headcounts").json()[0]["insured_headcount"] == 40

    bad = api.post(
        "/enterprises",
        json={
            **body,
            "credit_code": valid_credit_code(5151),
            "industry": "9999",
            "contact_phone": "call me",
        },
    )
    assert fields(bad) == {"industry", "contact_phone"}
    missing = api.post("/enterprises", json={"name": "缺字段"})
    assert "credit_code" in fields(missing)
    elsewhere = api.post(
        "/enterprises",
        json={
            **body,
            "credit_code": valid_credit_code(5152),
            "county": "370102",
            "township": "",
            "grid": "",
        },
    )
    assert elsewhere.status_code == 403
    assert Enterprise.objects.filter(name="接口登记企业有限公司").count() == 1


def test_replace_an_enterprise(api_client: Any, world: Any) -> None:
    api = api_client(world.people[R.CITY_OFFICIAL])
    e = world.enterprise
    record = api.get(f"/enterprises/{e.pk}").json()
    body = {
        k: v
        for k, v in record.items()
        if k
        not in ("id", "city", "industry_name", "updated_at", "risk_class", "risk_class_is_override")
    }
    changed = api.put(f"/enterprises/{e.pk}", json={**body, "name": "改名后有限公司"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["name"] == "改名后有限公司"
    bad = api.put(f"/enterprises/{e.pk}", json={**body, "latitude": 91, "size": "huge"})
    assert fields(bad) == {"latitude", "size"}
    assert Enterprise.objects.get(pk=e.pk).size == "small"
    outside = api.put(f"/enterprises/{world.jinan_enterprise.pk}", json=body)
    assert outside.status_code == 404


def test_change_some_fields(api_client: Any, world: Any) -> None:
    e = world.enterprise
    manager = api_client(world.people[R.SAFETY_MANAGER])
    ok = manager.patch(f"/enterprises/{e.pk}", json={"address": "长江路1号", "latitude": "35.96"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["address"] == "长江路1号"
    bad = manager.patch(f"/enterprises/{e.pk}", json={"contact_phone": "x" * 40})
    assert fields(bad) == {"contact_phone"}
    refused = manager.patch(f"/enterprises/{e.pk}", json={"industry": "4790", "size": "large"})
    assert fields(refused) == {"industry", "size"}
    assert (
        manager.patch(
            f"/enterprises/{world.other_enterprise.pk}", json={"address": "x"}
        ).status_code
        == 404
    )
    official = api_client(world.people[R.COUNTY_OFFICIAL])
    override = official.patch(
        f"/enterprises/{e.pk}",
        json={"risk_class_override": 5, "risk_class_override_reason": "经办机构核定"},
    )
    assert override.json()["risk_class"] == 5 and override.json()["risk_class_override"] == 5
    no_reason = official.patch(
        f"/enterprises/{e.pk}", json={"risk_class_override": 3, "risk_class_override_reason": ""}
    )
    assert fields(no_reason) == {"risk_class_override_reason"}
    typo = official.patch(f"/enterprises/{e.pk}", json={"risk_class_override": "three"})
    assert fields(typo) == {"risk_class_override"}


def test_set_a_years_headcount(api_client: Any, world: Any) -> None:
    e = world.enterprise
    api = api_client(world.people[R.COUNTY_OFFICIAL])
    ok = api.put(
        f"/enterprises/{e.pk}/headcounts/2024",
        json={"insured_headcount": 120, "hours_worked": "240000"},
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["year"] == 2024 and ok.json()["insured_headcount"] == 120
    assert float(ok.json()["hours_worked"]) == 240000
    negative = api.put(f"/enterprises/{e.pk}/headcounts/2024", json={"insured_headcount": -1})
    assert fields(negative) == {"insured_headcount"}
    year = api.put(f"/enterprises/{e.pk}/headcounts/1990", json={"insured_headcount": 5})
    assert fields(year) == {"year"}
    not_a_number = api.put(
        f"/enterprises/{e.pk}/headcounts/2024", json={"insured_headcount": "many"}
    )
    assert "insured_headcount" in fields(not_a_number)
    assert InsuredHeadcount.objects.get(enterprise=e, year=2024).insured_headcount == 120
    outside = api.put(
        f"/enterprises/{world.jinan_enterprise.pk}/headcounts/2024", json={"insured_headcount": 5}
    )
    assert outside.status_code == 404
    assert not InsuredHeadcount.objects.filter(enterprise=world.jinan_enterprise).exists()


def test_search_answers_within_the_scope(api_client: Any, world: Any) -> None:
    api = api_client(world.people[R.CITY_OFFICIAL])
    found = api.get("/enterprises", params={"search": world.enterprise.name}).json()
    assert [i["id"] for i in found["items"]] == [world.enterprise.pk]
    assert (
        api.get("/enterprises", params={"search": world.jinan_enterprise.name}).json()["count"] == 0
    )
    assert api.get(f"/enterprises/{world.jinan_enterprise.pk}").status_code == 404
    assert api.get(f"/enterprises/{world.jinan_enterprise.pk}/headcounts").status_code == 404
