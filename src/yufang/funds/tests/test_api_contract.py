"""The fee's API as an outside system calls it: a live server, httpx and a bearer token.
Each write answers its happy path, refuses bad input with a 422 naming the field (nothing
changed), and answers 404 for a record outside the caller's scope."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from yufang.accounts.models import Role
from yufang.funds.models import Budget, LedgerEntry, Payment, Project
from yufang.funds.tests.factories import YEAR, fee_budget, fee_project

pytestmark = pytest.mark.django_db(transaction=True)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {str(e["loc"][-1]) for e in response.json()["detail"]}


BUDGET = {"contribution_income": "100000000.00", "publicity": "900000.00", "training": "2000000.00"}
PROPOSAL = {
    "pooling_region": "370200",
    "title": "危化品企业班组长培训",
    "purpose": "危化品重点岗位",
    "use": "training",
    "proposer": "青岛市化工行业协会",
    "cost_basis": "每人次300元",
    "starts_on": f"{YEAR}-01-01",
    "ends_on": f"{YEAR}-12-31",
    "years": [{"year": YEAR, "amount": "600000.00", "target_person_times": 2000}],
}


def test_budget_cap_raise_and_ceiling(reference_data: None, world: Any, api_client: Any) -> None:
    city = api_client(world.people[Role.CITY_OFFICIAL])
    province = api_client(world.people[Role.PROVINCE_OFFICIAL])
    url = f"/funds/budgets/370200/{YEAR}"

    assert fields_of(city.put(url, json={**BUDGET, "publicity": "-1"})) == {"publicity"}
    assert fields_of(city.put(url, json={**BUDGET, "publicity": "abc"})) == {"publicity"}
    above = city.put(url, json={**BUDGET, "training": "2100000.01"})
    assert fields_of(above) == {"training"}
    assert not Budget.objects.exists()

    saved = city.put(url, json=BUDGET)
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body["cap"] == "3000000.00" or float(body["cap"]) == 3000000
    assert "13号" in body["cap_source"] or "3号" in body["cap_source"]

    assert city.post(f"{url}/raise", json={"ratio_percent": "4", "reason": "x"}).status_code == 403
    too_high = province.post(f"{url}/raise", json={"ratio_percent": "6", "reason": "同意"})
    assert fields_of(too_high) == {"ratio"}
    raised = province.post(f"{url}/raise", json={"ratio_percent": "4.5", "reason": "省厅同意"})
    assert raised.status_code == 200, raised.text
    bigger = city.put(url, json={**BUDGET, "training": "3600000.00"})
    assert bigger.status_code == 200, bigger.text
    assert bigger.json()["raised"] is True

    outsider = api_client(world.jinan_city_official)
    assert outsider.get(url).status_code == 404
    assert outsider.put(url, json=BUDGET).status_code == 404

    rules = city.get("/funds/rules", params={"year": YEAR}).json()
    assert rules["cap_ratio"]["value"] == "0.03"
    assert rules["max_years"]["value"] == 2


def test_project_to_payment_and_ledger(reference_data: None, world: Any, api_client: Any) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    fee_budget(official)
    city = api_client(official)
    staff_user = world.people[Role.INSTITUTION_STAFF]

    too_long = city.post("/funds/projects", json={**PROPOSAL, "ends_on": f"{YEAR + 2}-06-30"})
    assert fields_of(too_long) == {"ends_on"}
    assert fields_of(city.post("/funds/projects", json={**PROPOSAL, "use": "cars"})) == {"use"}
    assert not Project.objects.exists()

    created = city.post("/funds/projects", json=PROPOSAL)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    big = city.post(
        "/funds/projects",
        json={**PROPOSAL, "years": [{"year": YEAR, "amount": "1500000.00"}]},
    ).json()["id"]
    assert city.post(f"/funds/projects/{pid}/review", json={"approve": True}).status_code == 200
    over = city.post(f"/funds/projects/{big}/review", json={"approve": True})
    assert fields_of(over) == {"budget"}

    cheap = city.post(
        f"/funds/projects/{pid}/procurement",
        json={
            "method": "direct",
            "held_on": f"{YEAR}-02-01",
            "bidders": "甲",
            "bidder_count": 1,
            "winner_id": staff_user.institution_id,
            "price": "600000.00",
        },
    )
    assert fields_of(cheap) == {"method"}
    procured = city.post(
        f"/funds/projects/{pid}/procurement",
        json={
            "method": "open_tender",
            "held_on": f"{YEAR}-02-01",
            "bidders": "甲、乙、丙",
            "bidder_count": 3,
            "winner_id": staff_user.institution_id,
            "price": "600000.00",
        },
    )
    assert procured.status_code == 201, procured.text
    contract = city.post(
        f"/funds/projects/{pid}/contract",
        json={
            "number": "QD-2026-01",
            "signed_on": f"{YEAR}-02-10",
            "milestones": [
                {
                    "title": "上半年",
                    "deliverables": "培训记录",
                    "due_on": f"{YEAR}-06-30",
                    "amount": "300000.00",
                },
                {
                    "title": "下半年",
                    "deliverables": "总结",
                    "due_on": f"{YEAR}-12-31",
                    "amount": "300000.00",
                },
            ],
        },
    )
    assert contract.status_code == 201, contract.text
    cid = contract.json()["id"]
    mid = contract.json()["milestones"][0]["id"]

    pay = {"amount": "300000.00", "paid_on": f"{YEAR}-07-01"}
    assert fields_of(city.post(f"/funds/milestones/{mid}/payments", json=pay)) == {"amount"}
    accepted = city.post(
        f"/funds/milestones/{mid}/accept",
        data={"note": "验收合格"},
        files={"evidence": ("acceptance.png", png_bytes(), "image/png")},
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["evidence_url"]
    over_pay = {**pay, "amount": "300000.01"}
    assert fields_of(city.post(f"/funds/milestones/{mid}/payments", json=over_pay)) == {"amount"}
    assert fields_of(
        city.post(f"/funds/milestones/{mid}/payments", json={**pay, "amount": "x"})
    ) == {"amount"}
    paid = city.post(f"/funds/milestones/{mid}/payments", json=pay)
    assert paid.status_code == 201, paid.text
    assert Payment.objects.count() == 1

    staff = api_client(staff_user)
    mine = staff.get(f"/funds/contracts/{cid}")
    assert mine.status_code == 200
    assert staff.post(f"/funds/milestones/{mid}/payments", json=pay).status_code == 403
    outputs = staff.get(f"/funds/projects/{pid}/outputs").json()
    assert outputs["targets"]["person_times"] == 2000
    assert outputs["counted"]["person_times"] == 0

    outsider = api_client(world.jinan_city_official)
    assert outsider.get(f"/funds/contracts/{cid}").status_code == 404
    assert outsider.post(f"/funds/milestones/{mid}/payments", json=pay).status_code == 404

    ledger = city.get("/funds/ledger", params={"year": YEAR}).json()
    kinds = [e["kind"] for e in ledger["items"]]
    assert kinds.count("payment") == 1 and kinds.count("commitment") == 1
    assert city.get("/funds/ledger/verify").json()["intact"] is True
    assert LedgerEntry.objects.count() == len(kinds)

    closed = city.post(f"/funds/projects/{pid}/close", json={"note": "结项"})
    assert closed.status_code == 200, closed.text
    assert closed.json()["results"]["person_times"] == [2000, 0]
    dashboard = city.get("/funds/dashboard", params={"year": YEAR}).json()
    assert dashboard["regions"][0]["paid"] in ("300000.00", 300000.0, "300000")


def test_public_disclosure_needs_no_token(
    reference_data: None, world: Any, api_client: Any
) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    fee_budget(official)
    fee_project(official)
    anonymous = api_client()
    assert anonymous.get(f"/funds/disclosure/370200/{YEAR}").status_code == 404
    province = api_client(world.people[Role.PROVINCE_OFFICIAL])
    assert province.post(f"/funds/budgets/370200/{YEAR}/disclose").status_code == 200
    public = anonymous.get(f"/funds/disclosure/370200/{YEAR}")
    assert public.status_code == 200
    assert public.json()["projects"][0]["title"] == "实训基地体验式培训"
    assert anonymous.get("/funds/budgets").status_code == 401
