"""The recognition API as an enterprise's HR system and the bureau's client call it: a live
server, httpx and a bearer token. Each write answers its happy path, refuses bad input with a
422 naming the field, and answers 404 for a record outside the caller's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.injuries.models import InjuryCase
from yufang.recognition.tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {str(e["loc"][-1]) for e in response.json()["detail"]}


def test_hr_system_reports_applies_and_the_bureau_decides(
    reference_data: None, world: Any, api_client: Any
) -> None:
    f.insured(world.enterprise)
    hr = api_client(world.people[Role.SAFETY_MANAGER])
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    outsider = api_client(world.jinan_city_official)
    now = timezone.localtime()
    report = {
        "occurred_at": (now - dt.timedelta(minutes=20)).isoformat(),
        "place": "二车间",
        "description": "冲床压伤右手",
        "serious_injuries": 1,
        "direct_loss": "15000.00",
    }
    assert fields_of(hr.post("/recognition/reports", json={**report, "deaths": -1})) == {"deaths"}
    late = {**report, "occurred_at": (now - dt.timedelta(hours=3)).isoformat()}
    assert fields_of(hr.post("/recognition/reports", json=late)) == {"late_reason"}
    other = {**report, "enterprise_id": world.other_enterprise.pk}
    assert hr.post("/recognition/reports", json=other).status_code == 404
    made = hr.post("/recognition/reports", json=report)
    assert made.status_code == 201, made.text
    assert made.json()["grade"] == "ordinary" and made.json()["is_late"] is False
    rid = made.json()["id"]
    assert outsider.get(f"/recognition/reports/{rid}").status_code == 404

    application = {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in f.application_values().items()
    } | {"accident_report_id": rid}
    bad = hr.post("/recognition/applications", json={**application, "worker_id_number": "1"})
    assert fields_of(bad) == {"worker_id_number"}
    old = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    no_report = {k: v for k, v in application.items() if k != "accident_report_id"}
    assert fields_of(
        hr.post("/recognition/applications", json={**no_report, "accident_date": old})
    ) == {"late_reason"}
    flagged = hr.post(
        "/recognition/applications",
        json={**no_report, "accident_date": old, "late_reason": "住院未能及时申请"},
    )
    assert flagged.status_code == 201 and flagged.json()["is_late"] is True
    made = hr.post("/recognition/applications", json=application)
    assert made.status_code == 201, made.text
    aid = made.json()["id"]
    assert set(made.json()["missing_materials"]) == set(f.ALL_MATERIALS)
    url = f"/recognition/applications/{aid}"

    not_a_file = {"file": ("x.pdf", b"not a pdf", "application/pdf")}
    assert fields_of(hr.post(f"{url}/materials", data={"kind": "diagnosis"}, files=not_a_file)) == {
        "file"
    }
    up = hr.post(
        f"{url}/materials",
        data={"kind": "application_form"},
        files={"file": ("form.pdf", f.PDF_BYTES, "application/pdf")},
    )
    assert up.status_code == 201 and "application_form" not in up.json()["missing_materials"]

    assert outsider.post(f"{url}/accept", json={}).status_code == 404
    assert hr.post(f"{url}/accept", json={}).status_code == 403
    assert fields_of(county.post(f"{url}/accept", json={})) == {"materials"}
    asked = county.post(
        f"{url}/request-materials", json={"materials": ["employment_proof", "diagnosis"]}
    )
    assert asked.status_code == 200 and asked.json()["status"] == "materials_requested"
    assert fields_of(county.post(f"{url}/request-materials", json={"materials": ["other"]})) == {
        "status"
    }
    assert fields_of(hr.post(f"{url}/supplement", json={})) == {"materials"}
    for kind in ("employment_proof", "diagnosis"):
        hr.post(
            f"{url}/materials",
            data={"kind": kind},
            files={"file": (f"{kind}.pdf", f.PDF_BYTES, "application/pdf")},
        )
    assert hr.post(f"{url}/supplement", json={"note": "已补齐"}).json()["status"] == "submitted"
    assert fields_of(county.post(f"{url}/request-materials", json={"materials": ["other"]})) == {
        "materials"
    }
    accepted = county.post(f"{url}/accept", json={"is_clear_case": True})
    assert accepted.status_code == 200 and accepted.json()["decision_due"]
    assert county.post(f"{url}/suspend", json={"reason": "等待交警认定"}).json()["status"] == (
        "suspended"
    )
    assert fields_of(county.post(f"{url}/decide", json={"recognised": True, "reason": "x"})) == {
        "status"
    }
    assert county.post(f"{url}/resume").json()["status"] == "accepted"
    assert fields_of(county.post(f"{url}/decide", json={"recognised": True, "reason": ""})) == {
        "reason"
    }
    decided = county.post(
        f"{url}/decide",
        json={"recognised": True, "reason": "工作时间工作场所", "case_number": "QD-7"},
    )
    assert decided.status_code == 200, decided.text
    body = decided.json()
    assert body["status"] == "recognised" and body["injury_case_id"]
    assert InjuryCase.objects.filter(case_number="QD-7").count() == 1
    letter = hr.get(body["letter_url"].removeprefix("/api/v1"))
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")
    listed = hr.get("/recognition/applications").json()
    assert {a["id"] for a in listed["items"]} >= {aid}
    assert outsider.get("/recognition/applications").json()["items"] == []
