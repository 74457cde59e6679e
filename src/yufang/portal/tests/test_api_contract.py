"""The portal API as an outside system calls it: a live server, httpx and a bearer token. An
enterprise's HR system submits roster changes and a headcount correction; the bureau decides
them and runs the floating rate. Bad input is a 422 naming the field; a record outside the
caller's scope is a 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.enterprises.models import InsuredHeadcount
from yufang.portal.tests.factories import id_number
from yufang.tests.factories import persona

pytestmark = pytest.mark.django_db(transaction=True)
YEAR = timezone.localdate().year


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {str(e["loc"][-1]) for e in response.json()["detail"]}


def test_hr_system_submits_roster_changes_and_the_bureau_approves(
    reference_data: None, world: Any, api_client: Any
) -> None:
    hr = api_client(world.people[Role.SAFETY_MANAGER])
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    jinan = api_client(world.jinan_city_official)

    bad = hr.post(
        "/portal/roster-changes",
        json={"changes": [{"kind": "add", "person_name": "张三", "id_number": "12345"}]},
    )
    assert fields_of(bad) == {"rows.1.id_number"}
    assert fields_of(hr.post("/portal/roster-changes", json={"changes": [{"kind": "x"}]})) >= {
        "person_name"
    }
    sent = hr.post(
        "/portal/roster-changes",
        json={
            "changes": [
                {"kind": "add", "person_name": "张三", "id_number": id_number(1)},
                {
                    "kind": "增员",
                    "person_name": "李四",
                    "id_number": id_number(2),
                    "effective_on": timezone.localdate().isoformat(),
                },
            ]
        },
    )
    assert sent.status_code == 201, sent.text
    rows = sent.json()
    assert [r["status"] for r in rows] == ["pending", "pending"]
    assert rows[0]["id_masked"] != id_number(1) and "*" in rows[0]["id_masked"]
    assert id_number(1) not in sent.text

    first = rows[0]["id"]
    assert jinan.get(f"/portal/roster-changes/{first}").status_code == 404
    assert (
        jinan.post(f"/portal/roster-changes/{first}/decision", json={"approve": True}).status_code
        == 404
    )
    assert (
        hr.post(f"/portal/roster-changes/{first}/decision", json={"approve": True}).status_code
        == 403
    )
    decided = county.post(f"/portal/roster-changes/{first}/decision", json={"approve": True})
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "approved"
    assert fields_of(
        county.post(f"/portal/roster-changes/{rows[1]['id']}/decision", json={"approve": False})
    ) == {"note"}
    assert (
        InsuredHeadcount.objects.get(enterprise=world.enterprise, year=YEAR).insured_headcount == 1
    )
    people = hr.get("/portal/insured-people").json()
    assert [p["person_name"] for p in people["items"]] == ["张三"]


def test_a_person_insured_elsewhere_is_flagged_over_the_api(
    reference_data: None, world: Any, api_client: Any
) -> None:
    other = api_client(persona(Role.SAFETY_MANAGER, enterprise=world.other_enterprise))
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    made = other.post(
        "/portal/roster-changes",
        json={"changes": [{"kind": "add", "person_name": "王五", "id_number": id_number(9)}]},
    ).json()
    county.post(f"/portal/roster-changes/{made[0]['id']}/decision", json={"approve": True})
    flagged = api_client(world.people[Role.SAFETY_MANAGER]).post(
        "/portal/roster-changes",
        json={"changes": [{"kind": "add", "person_name": "王五", "id_number": id_number(9)}]},
    )
    assert flagged.json()[0]["insured_elsewhere"] == world.other_enterprise.name
    refused = county.post(
        f"/portal/roster-changes/{flagged.json()[0]['id']}/decision", json={"approve": True}
    )
    assert fields_of(refused) == {"id_number"}


def test_headcount_correction_over_the_api(
    reference_data: None, world: Any, api_client: Any
) -> None:
    hr = api_client(world.people[Role.SAFETY_MANAGER])
    city = api_client(world.people[Role.CITY_OFFICIAL])
    assert fields_of(
        hr.post(
            "/portal/requests",
            json={"field": "insured_headcount", "requested_value": "x", "reason": "r"},
        )
    ) == {"requested_value"}
    assert fields_of(
        hr.post("/portal/requests", json={"field": "colour", "requested_value": "1", "reason": "r"})
    ) == {"field"}
    made = hr.post(
        "/portal/requests",
        json={
            "field": "insured_headcount",
            "requested_value": "88",
            "headcount_year": YEAR,
            "reason": "年中新增员工",
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "pending"
    assert (
        city.post(
            "/portal/requests", json={"field": "size", "requested_value": "large", "reason": "r"}
        ).status_code
        == 403
    )
    pk = made.json()["id"]
    assert api_client(world.jinan_city_official).get(f"/portal/requests/{pk}").status_code == 404
    done = city.post(f"/portal/requests/{pk}/decision", json={"approve": True, "note": "同意"})
    assert done.json()["status"] == "approved"
    assert world.enterprise.headcounts.get(year=YEAR).insured_headcount == 88
    inbox = hr.get("/portal/inbox")
    assert any("88" in i["text"] or i["kind"] == "decision" for i in inbox.json())


def test_the_bureau_runs_the_floating_rate_over_the_api(
    reference_data: None, world: Any, api_client: Any
) -> None:
    city = api_client(world.people[Role.CITY_OFFICIAL])
    assert fields_of(
        city.post(
            "/portal/premiums",
            json={"enterprise_id": world.enterprise.pk, "year": 1990, "amount": "10"},
        )
    ) == {"year"}
    assert (
        city.post(
            "/portal/premiums",
            json={"enterprise_id": world.jinan_enterprise.pk, "year": YEAR - 1, "amount": "10"},
        ).status_code
        == 404
    )
    assert (
        city.post(
            "/portal/premiums",
            json={"enterprise_id": world.enterprise.pk, "year": YEAR - 1, "amount": "5000.00"},
        ).status_code
        == 200
    )
    assert fields_of(
        city.post("/portal/rate-runs", json={"region": "370200", "year": YEAR + 1})
    ) == {"year"}
    assert (
        city.post("/portal/rate-runs", json={"region": "370100", "year": YEAR - 1}).status_code
        == 403
    )
    run = city.post("/portal/rate-runs", json={"region": "370200", "year": YEAR - 1})
    assert run.status_code == 201, run.text
    rates = city.get(f"/portal/rate-runs/{run.json()['id']}/rates").json()["items"]
    mine = next(r for r in rates if r["enterprise_id"] == world.enterprise.pk)
    assert (mine["grade"], mine["moved_by"], mine["payout_ratio"]) == (80, "no_new_injury", "0.0")
    assert city.post(f"/portal/rate-runs/{run.json()['id']}/review").json()["status"] == "reviewed"
    own = api_client(world.people[Role.SAFETY_MANAGER]).get("/portal/rates").json()["items"]
    assert [r["enterprise_id"] for r in own] == [world.enterprise.pk]
    assert (
        api_client(world.jinan_city_official)
        .get(f"/portal/rate-runs/{run.json()['id']}/rates")
        .status_code
        == 404
    )


def test_hr_system_answers_a_self_assessment_item_by_item_and_submits_it(
    reference_data: None, world: Any, api_client: Any
) -> None:
    from yufang.hazards.models import Checklist
    from yufang.hazards.services import checklists_import

    checklists_import()
    checklist = Checklist.objects.order_by("pk").first()
    assert checklist is not None
    numbers = list(checklist.items.order_by("number").values_list("number", flat=True))
    hr = api_client(world.people[Role.SAFETY_MANAGER])
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    jinan_hr = api_client(persona(Role.SAFETY_MANAGER, enterprise=world.jinan_enterprise))

    assert (
        county.post("/portal/self-assessments", json={"checklist_id": checklist.pk}).status_code
        == 403
    )
    assert hr.post("/portal/self-assessments", json={"checklist_id": 0}).status_code == 422
    started = hr.post("/portal/self-assessments", json={"checklist_id": checklist.pk})
    assert started.status_code == 201, started.text
    body = started.json()
    assert body["status"] == "draft" and body["answered"] == 0
    assert [i["number"] for i in body["items"]] == numbers
    sid = body["id"]

    # Out of scope: another city's enterprise does not see it at all.
    assert jinan_hr.get(f"/portal/self-assessments/{sid}").status_code == 404
    assert (
        jinan_hr.post(
            f"/portal/self-assessments/{sid}/answers",
            json={"answers": [{"item": numbers[0], "answer": "pass"}]},
        ).status_code
        == 404
    )
    assert jinan_hr.post(f"/portal/self-assessments/{sid}/submit").status_code == 404
    assert sid not in [a["id"] for a in jinan_hr.get("/portal/self-assessments").json()["items"]]
    # The bureau reads it, never answers it.
    assert county.get(f"/portal/self-assessments/{sid}").json()["status"] == "draft"
    assert (
        county.post(
            f"/portal/self-assessments/{sid}/answers",
            json={"answers": [{"item": numbers[0], "answer": "pass"}]},
        ).status_code
        == 403
    )

    # A wrong answer and an item the checklist lacks are named; nothing of the batch is kept.
    bad = hr.post(
        f"/portal/self-assessments/{sid}/answers",
        json={
            "answers": [
                {"item": numbers[0], "answer": "pass"},
                {"item": numbers[1], "answer": "maybe"},
                {"item": 99999, "answer": "pass"},
            ]
        },
    )
    assert fields_of(bad) == {f"item_{numbers[1]}", "item_99999"}
    assert hr.get(f"/portal/self-assessments/{sid}").json()["answered"] == 0

    first = hr.post(
        f"/portal/self-assessments/{sid}/answers",
        json={"answers": [{"item": numbers[0], "answer": "fail", "note": "灭火器过期"}]},
    )
    assert first.status_code == 200, first.text
    assert first.json()["items"][0] == {
        **first.json()["items"][0],
        "answer": "fail",
        "note": "灭火器过期",
    }
    # Submitting with items unanswered names them.
    assert f"item_{numbers[-1]}" in fields_of(hr.post(f"/portal/self-assessments/{sid}/submit"))
    rest = hr.post(
        f"/portal/self-assessments/{sid}/answers",
        json={"answers": [{"item": n, "answer": "pass"} for n in numbers[1:]]},
    )
    assert rest.json()["answered"] == len(numbers)
    submitted = hr.post(f"/portal/self-assessments/{sid}/submit")
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    assert submitted.json()["failed"] == 1
    # Submitted is final.
    again = hr.post(
        f"/portal/self-assessments/{sid}/answers",
        json={"answers": [{"item": numbers[0], "answer": "pass"}]},
    )
    assert fields_of(again) == {"status"}
    assert again.json()["detail"][0]["msg"] == "该自查已提交，不能再修改。"
    assert fields_of(hr.post(f"/portal/self-assessments/{sid}/submit")) == {"status"}
    listed = hr.get("/portal/self-assessments", params={"status": "submitted"}).json()
    assert sid in [a["id"] for a in listed["items"]]
    # Kept apart from the official inspections: no hazard was registered.
    from yufang.hazards.models import Hazard

    assert not Hazard.objects.filter(enterprise=world.enterprise).exists()


def test_the_bureau_records_and_lists_premiums_and_the_enterprise_reads_its_own(
    reference_data: None, world: Any, api_client: Any
) -> None:
    city = api_client(world.people[Role.CITY_OFFICIAL])
    jinan = api_client(world.jinan_city_official)
    hr = api_client(world.people[Role.SAFETY_MANAGER])
    last = YEAR - 1

    made = city.post(
        "/portal/premiums",
        json={"enterprise_id": world.enterprise.pk, "year": last, "amount": "12345.60"},
    )
    assert made.status_code == 200, made.text
    assert made.json()["enterprise_name"] == world.enterprise.name
    assert made.json()["amount"] in ("12345.60", 12345.6)
    city.post(
        "/portal/premiums",
        json={"enterprise_id": world.other_enterprise.pk, "year": last - 1, "amount": "8"},
    )
    assert fields_of(
        city.post(
            "/portal/premiums",
            json={"enterprise_id": world.enterprise.pk, "year": last, "amount": "-1"},
        )
    ) == {"amount"}
    # Another city's official: the enterprise is not there at all.
    assert (
        jinan.post(
            "/portal/premiums",
            json={"enterprise_id": world.enterprise.pk, "year": last, "amount": "1"},
        ).status_code
        == 404
    )
    assert (
        hr.post(
            "/portal/premiums",
            json={"enterprise_id": world.enterprise.pk, "year": last, "amount": "1"},
        ).status_code
        == 403
    )

    listed = city.get("/portal/premiums", params={"year": last}).json()
    assert [(p["credit_code"], p["amount"]) for p in listed["items"]] == [
        (world.enterprise.credit_code, made.json()["amount"])
    ]
    by_region = city.get("/portal/premiums", params={"region": world.enterprise.county.code}).json()
    assert world.enterprise.pk in [p["enterprise_id"] for p in by_region["items"]]
    assert jinan.get("/portal/premiums").json()["items"] == []
    own = hr.get("/portal/premiums").json()["items"]
    assert [p["enterprise_id"] for p in own] == [world.enterprise.pk]
