"""Who may change which of an enterprise's fields: industry, risk class, region, size and
headcounts are the HRSS bureau's (officials'); contact and location details are the
enterprise's own, kept by its safety manager and its grid worker."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from yufang.accounts.models import Role
from yufang.accounts.scoping import enterprise_fields_writable
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.enterprises.services import (
    EnterpriseInvalid,
    enterprise_create,
    enterprise_update,
    headcount_set,
)
from yufang.tests.factories import HeadcountFactory, valid_credit_code

pytestmark = pytest.mark.django_db

R = Role


def test_each_role_writes_its_own_set_of_fields(world):
    people = world.people
    assert "industry" in enterprise_fields_writable(people[R.COUNTY_OFFICIAL])
    assert "insured_headcount" in enterprise_fields_writable(people[R.CITY_OFFICIAL])
    manager = enterprise_fields_writable(people[R.SAFETY_MANAGER])
    assert {"address", "contact_person", "contact_phone"} <= manager
    assert not {"industry", "risk_class_override", "county", "insured_headcount"} & manager
    assert enterprise_fields_writable(people[R.SAFETY_MANAGER], creating=True) == frozenset()
    grid = enterprise_fields_writable(people[R.GRID_WORKER])
    assert "contact_phone" in grid and "insured_headcount" not in grid
    registering = enterprise_fields_writable(people[R.GRID_WORKER], creating=True)
    assert "industry" in registering
    assert not {"insured_headcount", "risk_class_override"} & registering
    assert enterprise_fields_writable(people[R.AUDITOR]) == frozenset()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("industry", "4790"),
        ("risk_class_override", "1"),
        ("county", "370102"),
        ("insured_headcount", "5"),
        ("size", "large"),
    ],
)
def test_safety_manager_cannot_change_the_bureaus_fields(world, field, value):
    enterprise = world.enterprise
    extra = {"risk_class_override_reason": "自报"} if field == "risk_class_override" else {}
    with pytest.raises(EnterpriseInvalid) as exc:
        enterprise_update(
            actor=world.people[R.SAFETY_MANAGER],
            enterprise=enterprise,
            data={field: value, **extra},
        )
    assert field in exc.value.errors
    assert "may not change the" in exc.value.errors[field]
    fresh = Enterprise.objects.get(pk=enterprise.pk)
    assert (fresh.industry_id, fresh.risk_class, fresh.county_id, fresh.size) == (
        enterprise.industry_id,
        6,
        enterprise.county_id,
        enterprise.size,
    )
    assert not InsuredHeadcount.objects.filter(enterprise=enterprise).exists()


def test_safety_manager_changes_its_contact_details(world):
    enterprise = enterprise_update(
        actor=world.people[R.SAFETY_MANAGER],
        enterprise=world.enterprise,
        data={
            "contact_person": "王安全",
            "contact_phone": "0532-86001234",
            "address": "黄岛区长江路1号",
            "latitude": "35.96",
            "longitude": "120.18",
        },
    )
    enterprise.refresh_from_db()
    assert (enterprise.contact_person, enterprise.contact_phone) == ("王安全", "0532-86001234")
    assert enterprise.address == "黄岛区长江路1号"
    assert enterprise.risk_class == 6 and enterprise.industry.code == "2614"


def test_sending_the_bureaus_fields_unchanged_is_no_change(world):
    """A client that reads the record and puts it back with a new phone number."""
    e = world.enterprise
    enterprise_update(
        actor=world.people[R.SAFETY_MANAGER],
        enterprise=e,
        data={
            "credit_code": e.credit_code.lower(),
            "name": e.name,
            "county": e.county.code,
            "township": e.township.code,
            "grid": e.grid.code,
            "industry": e.industry.code,
            "size": "小型",
            "is_key_industry": "1",
            "contact_phone": "13900000000",
        },
    )
    assert Enterprise.objects.get(pk=e.pk).contact_phone == "13900000000"


def test_safety_manager_cannot_set_headcounts(world):
    with pytest.raises(PermissionDenied):
        headcount_set(
            actor=world.people[R.SAFETY_MANAGER],
            enterprise=world.enterprise,
            year=2024,
            insured_headcount=12,
        )


def test_grid_worker_cannot_change_headcounts_industry_or_class(world):
    worker = world.people[R.GRID_WORKER]
    HeadcountFactory(enterprise=world.enterprise, year=2024, insured_headcount=100)
    with pytest.raises(PermissionDenied):
        headcount_set(actor=worker, enterprise=world.enterprise, year=2024, insured_headcount=1)
    with pytest.raises(EnterpriseInvalid) as exc:
        enterprise_update(
            actor=worker,
            enterprise=world.enterprise,
            data={"industry": "4790", "insured_headcount": "1", "headcount_year": "2024"},
        )
    assert {"industry", "insured_headcount"} <= set(exc.value.errors)
    assert InsuredHeadcount.objects.get(enterprise=world.enterprise).insured_headcount == 100
    enterprise_update(actor=worker, enterprise=world.enterprise, data={"contact_person": "李四"})
    assert Enterprise.objects.get(pk=world.enterprise.pk).contact_person == "李四"


def test_grid_worker_registers_an_enterprise_but_not_its_headcount(world):
    worker = world.people[R.GRID_WORKER]
    data = {
        "credit_code": valid_credit_code(9101),
        "name": "网格登记企业",
        "county": "370211",
        "township": world.grid.township.code,
        "grid": world.grid.code,
        "industry": "3411",
        "size": "small",
        "contact_phone": "13800001111",
    }
    with pytest.raises(EnterpriseInvalid) as exc:
        enterprise_create(actor=worker, data={**data, "insured_headcount": "30"})
    assert "insured_headcount" in exc.value.errors
    created = enterprise_create(actor=worker, data=data)
    assert created.risk_class == 4 and created.contact_phone == "13800001111"


def test_official_still_changes_everything(world):
    official = world.people[R.COUNTY_OFFICIAL]
    enterprise = enterprise_update(
        actor=official,
        enterprise=world.enterprise,
        data={"risk_class_override": "1", "risk_class_override_reason": "经办机构核定"},
    )
    assert enterprise.risk_class == 1 and enterprise.risk_class_is_override
    headcount_set(actor=official, enterprise=enterprise, year=2024, insured_headcount=40)


def test_a_bad_phone_number_is_named(world):
    with pytest.raises(EnterpriseInvalid) as exc:
        enterprise_update(
            actor=world.people[R.SAFETY_MANAGER],
            enterprise=world.enterprise,
            data={"contact_phone": "call me"},
        )
    assert "contact_phone" in exc.value.errors


# The pages ------------------------------------------------------------------------------


def test_safety_managers_edit_page_offers_only_contact_details(client, world):
    client.force_login(world.people[R.SAFETY_MANAGER])
    url = f"/enterprises/{world.enterprise.pk}/edit/"
    html = client.get(url).content.decode()
    assert 'name="contact_phone"' in html and 'name="address"' in html
    for field in ("industry", "risk_class_override", "county", "insured_headcount", "size"):
        assert f'name="{field}"' not in html, field
    assert 'data-testid="read-only-fields"' in html
    assert world.enterprise.industry.name in html  # shown, read-only
    response = client.post(
        url, {"contact_phone": "13700000000", "industry": "4790", "risk_class_override": "1"}
    )
    assert response.status_code == 302
    fresh = Enterprise.objects.get(pk=world.enterprise.pk)
    assert fresh.contact_phone == "13700000000"
    assert fresh.industry.code == "2614" and fresh.risk_class == 6


def test_detail_page_offers_the_headcount_form_only_to_officials(client, world):
    url = f"/enterprises/{world.enterprise.pk}/"
    client.force_login(world.people[R.SAFETY_MANAGER])
    assert 'value="headcount"' not in client.get(url).content.decode()
    refused = client.post(url, {"action": "headcount", "year": "2024", "insured_headcount": "9"})
    assert refused.status_code == 403
    client.force_login(world.people[R.COUNTY_OFFICIAL])
    assert 'value="headcount"' in client.get(url).content.decode()


def test_grid_workers_edit_page_has_no_headcount_or_industry(client, world):
    client.force_login(world.people[R.GRID_WORKER])
    html = client.get(f"/enterprises/{world.enterprise.pk}/edit/").content.decode()
    assert 'name="contact_person"' in html
    assert 'name="industry"' not in html and 'name="insured_headcount"' not in html
    new = client.get("/enterprises/new/").content.decode()
    assert 'name="industry"' in new and 'name="insured_headcount"' not in new


# The API (an outside system with a bearer token) ------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_api_refuses_a_field_the_role_may_not_change_by_name(api_client, world):
    e = world.enterprise
    manager = api_client(world.people[R.SAFETY_MANAGER])
    refused = manager.patch(f"/enterprises/{e.pk}", json={"risk_class_override": 1})
    assert refused.status_code == 422, refused.text
    assert [d["loc"] for d in refused.json()["detail"]] == [["body", "risk_class_override"]]
    moved = manager.patch(f"/enterprises/{e.pk}", json={"county": "370102"})
    assert moved.status_code == 422
    assert moved.json()["detail"][0]["loc"] == ["body", "county"]
    headcount = manager.put(f"/enterprises/{e.pk}/headcounts/2024", json={"insured_headcount": 3})
    assert headcount.status_code == 403
    ok = manager.patch(f"/enterprises/{e.pk}", json={"contact_person": "王安全"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["contact_person"] == "王安全"
    assert ok.json()["risk_class"] == 6

    worker = api_client(world.people[R.GRID_WORKER])
    read = worker.get(f"/enterprises/{e.pk}").json()
    body = {k: v for k, v in read.items() if k not in ("id", "city", "industry_name")}
    body |= {"contact_phone": "13600000000"}
    put_back = worker.put(f"/enterprises/{e.pk}", json=body)
    assert put_back.status_code == 200, put_back.text
    hc = worker.put(f"/enterprises/{e.pk}/headcounts/2024", json={"insured_headcount": 3})
    assert hc.status_code == 403
    assert not InsuredHeadcount.objects.filter(enterprise=e).exists()


def test_officials_edit_page_names_the_industry_beside_its_code(client, world):
    client.force_login(world.people[R.COUNTY_OFFICIAL])
    html = client.get(f"/enterprises/{world.enterprise.pk}/edit/").content.decode()
    assert 'name="industry"' in html and 'name="insured_headcount"' in html
    assert f"{world.enterprise.industry.full_code} {world.enterprise.industry.name}" in html


def test_safety_managers_todos_ask_only_for_what_it_may_change(world):
    from yufang.enterprises.selectors import enterprise_todos

    texts = [str(t.text) for t in enterprise_todos(world.people[R.SAFETY_MANAGER])]
    assert not any("headcount" in t for t in texts)
    assert any("coordinates" in t for t in texts) and any("phone" in t for t in texts)
    enterprise_update(
        actor=world.people[R.SAFETY_MANAGER],
        enterprise=world.enterprise,
        data={"contact_phone": "13800001111", "latitude": "35.9", "longitude": "120.1"},
    )
    manager = type(world.people[R.SAFETY_MANAGER]).objects.get(pk=world.people[R.SAFETY_MANAGER].pk)
    assert enterprise_todos(manager) == []


def test_refusals_are_asked_row_by_row_as_imports_do(world):
    from yufang.enterprises.services import enterprise_refusals

    worker = world.people[R.GRID_WORKER]
    new_row = {"credit_code": valid_credit_code(9202), "industry": "3411", "insured_headcount": "8"}
    assert set(enterprise_refusals(actor=worker, data=new_row)) == {"insured_headcount"}
    same = {"industry": world.enterprise.industry.code, "address": "新地址"}
    assert enterprise_refusals(actor=worker, data=same, enterprise=world.enterprise) == {}
    moved = {"industry": "4790", "county": "370102"}
    assert set(enterprise_refusals(actor=worker, data=moved, enterprise=world.enterprise)) == {
        "industry",
        "county",
    }
    assert enterprise_refusals(actor=world.people[R.CITY_OFFICIAL], data=moved) == {}


def test_a_bulk_insert_with_headcounts_is_refused_to_a_grid_worker(world):
    from yufang.enterprises.services import (
        RegistryLookups,
        enterprise_clean,
        enterprises_create_many,
    )

    row = enterprise_clean(
        {
            "credit_code": valid_credit_code(9203),
            "name": "批量企业",
            "county": "370211",
            "industry": "3411",
            "size": "small",
            "insured_headcount": "8",
        },
        lookups=RegistryLookups(),
    )
    with pytest.raises(PermissionDenied):
        enterprises_create_many(actor=world.people[R.GRID_WORKER], rows=[row])
    assert not Enterprise.objects.filter(name="批量企业").exists()
