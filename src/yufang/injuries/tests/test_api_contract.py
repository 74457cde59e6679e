"""The injuries API's writes as an outside system calls them: a live server, httpx and a bearer
token. Each write once on its happy path and once with bad input (a 422 naming the field);
a case or enterprise outside the caller's scope is a 404."""

from __future__ import annotations

import pytest

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.enterprises.models import InsuredHeadcount
from yufang.injuries.models import InjuryCase
from yufang.injuries.services import case_create, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, id_number, insure

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def recorded(world):
    for e in (world.enterprise, world.other_enterprise, world.jinan_enterprise):
        insure(e, 2024, 100)
    rollup_rebuild()
    admin = world.people[Role.ADMIN]
    world.case = case_create(actor=admin, data=case_data(world.enterprise, 1))
    world.jinan_case = case_create(actor=admin, data=case_data(world.jinan_enterprise, 2))
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
    }
    data.update(over)
    return data


def _fields(response) -> set[str]:
    assert response.status_code == 422, response.text
    return {d["loc"][-1] for d in response.json()["detail"]}


def test_post_case_creates_it(api_client, recorded):
    api = api_client(recorded.people[Role.COUNTY_OFFICIAL])
    created = api.post("/injuries/cases", json=payload(recorded))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["case_number"] == "API-1" and body["person_name"] == "赵六"
    assert body["enterprise_name"] == recorded.enterprise.name
    assert body["id_number_masked"] == "370211********" + id_number(7)[-4:]
    assert body["payout"] in ("3000.00", "3000.0", 3000.0)
    assert InjuryCase.objects.filter(case_number="API-1").exists()


def test_post_case_with_bad_input_names_the_fields_and_writes_nothing(api_client, recorded):
    api = api_client(recorded.people[Role.COUNTY_OFFICIAL])
    bad = api.post(
        "/injuries/cases",
        json=payload(recorded, payout="-1", accident_category="99", disability_grade=11),
    )
    assert {"payout", "accident_category", "disability_grade"} <= _fields(bad)
    missing = api.post(
        "/injuries/cases", json={k: v for k, v in payload(recorded).items() if k != "kind"}
    )
    assert "kind" in _fields(missing)
    not_a_date = api.post("/injuries/cases", json=payload(recorded, accident_date="yesterday"))
    assert "accident_date" in _fields(not_a_date)
    assert not InjuryCase.objects.filter(case_number="API-1").exists()


def test_post_case_for_an_enterprise_outside_the_scope_is_404(api_client, recorded):
    api = api_client(recorded.people[Role.COUNTY_OFFICIAL])
    outside = api.post(
        "/injuries/cases", json=payload(recorded, enterprise_id=recorded.jinan_enterprise.pk)
    )
    assert outside.status_code == 404
    assert not InjuryCase.objects.filter(case_number="API-1").exists()


def test_put_case_edits_it_and_an_empty_id_number_keeps_the_stored_one(api_client, recorded):
    api = api_client(recorded.people[Role.CITY_OFFICIAL])
    case = recorded.case
    edited = api.put(
        f"/injuries/cases/{case.pk}",
        json=payload(
            recorded, case_number=case.case_number, id_number="", lost_workdays=30, is_death=True
        ),
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["lost_workdays"] == 30 and edited.json()["is_death"] is True
    case.refresh_from_db()
    assert case.lost_workdays == 30 and case.id_number_masked.endswith(id_number(1)[-4:])


def test_put_case_with_bad_input_names_the_field_and_keeps_the_case(api_client, recorded):
    api = api_client(recorded.people[Role.CITY_OFFICIAL])
    case = recorded.case
    bad = api.put(
        f"/injuries/cases/{case.pk}",
        json=payload(
            recorded,
            case_number=case.case_number,
            accident_date="2024-08-01",
            recognition_date="2024-07-01",
        ),
    )
    assert "accident_date" in _fields(bad)
    kind = api.put(
        f"/injuries/cases/{case.pk}",
        json=payload(recorded, case_number=case.case_number, kind="occupational_disease"),
    )
    assert "occupational_disease" in _fields(kind)
    case.refresh_from_db()
    assert case.accident_date.isoformat() == "2024-03-05" and case.kind == "work_injury"


def test_put_and_delete_of_a_case_outside_the_scope_are_404(api_client, recorded):
    api = api_client(recorded.people[Role.CITY_OFFICIAL])
    jinan = recorded.jinan_case
    edited = api.put(
        f"/injuries/cases/{jinan.pk}", json=payload(recorded, case_number=jinan.case_number)
    )
    assert edited.status_code == 404
    assert api.delete(f"/injuries/cases/{jinan.pk}").status_code == 404
    assert api.post(f"/injuries/cases/{jinan.pk}/reveal").status_code == 404
    assert InjuryCase.objects.filter(pk=jinan.pk).exists()


def test_delete_case_removes_it(api_client, recorded):
    api = api_client(recorded.people[Role.COUNTY_OFFICIAL])
    gone = api.delete(f"/injuries/cases/{recorded.case.pk}")
    assert gone.status_code == 204
    assert not InjuryCase.objects.filter(pk=recorded.case.pk).exists()
    assert api.delete(f"/injuries/cases/{recorded.case.pk}").status_code == 404


def test_a_case_id_that_is_not_a_number_is_a_422_naming_it(api_client, recorded):
    api = api_client(recorded.people[Role.COUNTY_OFFICIAL])
    assert "case_id" in _fields(api.delete("/injuries/cases/abc"))
    assert "case_id" in _fields(api.post("/injuries/cases/abc/reveal"))


def test_reveal_gives_the_full_number_and_is_audited(api_client, recorded):
    api = api_client(recorded.people[Role.CITY_OFFICIAL])
    got = api.post(f"/injuries/cases/{recorded.case.pk}/reveal")
    assert got.status_code == 200, got.text
    assert got.json() == {"id_number": id_number(1)}
    assert AuditEntry.objects.filter(
        object_id=str(recorded.case.pk), reason="reveal id_number"
    ).exists()


def test_reveal_is_refused_to_a_role_that_only_reads(api_client, recorded):
    refused = api_client(recorded.people[Role.AUDITOR]).post(
        f"/injuries/cases/{recorded.case.pk}/reveal"
    )
    assert refused.status_code == 403
    assert id_number(1) not in refused.text


def test_writes_are_refused_to_read_only_roles(api_client, recorded):
    for role in (Role.AUDITOR, Role.DEPARTMENT_LIAISON, Role.WORKER):
        api = api_client(recorded.people[role])
        created = api.post("/injuries/cases", json=payload(recorded))
        assert created.status_code in (403, 404), (role, created.status_code)
    assert not InjuryCase.objects.filter(case_number="API-1").exists()


def test_put_headcount_sets_the_exposure(api_client, recorded):
    api = api_client(recorded.people[Role.COUNTY_OFFICIAL])
    put = api.put(
        f"/injuries/headcounts/{recorded.enterprise.pk}/2023",
        json={"insured_headcount": 120, "hours_worked": "240000"},
    )
    assert put.status_code == 200, put.text
    assert put.json()["insured_headcount"] == 120 and put.json()["year"] == 2023
    stored = InsuredHeadcount.objects.get(enterprise=recorded.enterprise, year=2023)
    assert stored.insured_headcount == 120


def test_put_headcount_with_bad_input_names_the_field(api_client, recorded):
    api = api_client(recorded.people[Role.COUNTY_OFFICIAL])
    url = f"/injuries/headcounts/{recorded.enterprise.pk}/2024"
    # 2024 has a case: a headcount of 0 would make its rate infinite.
    assert "insured_headcount" in _fields(api.put(url, json={"insured_headcount": 0}))
    assert "insured_headcount" in _fields(api.put(url, json={"insured_headcount": "many"}))
    assert "year" in _fields(
        api.put(f"/injuries/headcounts/{recorded.enterprise.pk}/year", json={})
    )
    stored = InsuredHeadcount.objects.get(enterprise=recorded.enterprise, year=2024)
    assert stored.insured_headcount == 100


def test_put_headcount_of_an_enterprise_outside_the_scope_is_404(api_client, recorded):
    api = api_client(recorded.people[Role.COUNTY_OFFICIAL])
    outside = api.put(
        f"/injuries/headcounts/{recorded.jinan_enterprise.pk}/2024",
        json={"insured_headcount": 5},
    )
    assert outside.status_code == 404
    stored = InsuredHeadcount.objects.get(enterprise=recorded.jinan_enterprise, year=2024)
    assert stored.insured_headcount == 100
