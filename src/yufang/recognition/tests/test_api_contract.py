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


def test_the_bureau_refuses_pauses_and_the_letters_come_over_the_api(
    reference_data: None, world: Any, api_client: Any
) -> None:
    """A worker's late application registered at the counter: the bureau records the time
    lost through no fault of theirs, then refuses another application; the enterprise's
    system downloads the not-accepted letter, whose text names the grounds."""
    from yufang.recognition.tests.pdf import pdf_text

    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    hr = api_client(world.people[Role.SAFETY_MANAGER])
    outsider = api_client(world.jinan_city_official)
    accident = timezone.localdate() - dt.timedelta(days=380)
    values = {
        k: (v.isoformat() if isinstance(v, dt.date) else v)
        for k, v in f.application_values(
            applicant_kind="worker", applicant_name="李四", applicant_phone="13912345678"
        ).items()
    } | {
        "enterprise_id": world.enterprise.pk,
        "accident_date": accident.isoformat(),
        "late_reason": "地震后道路中断",
        "pause_claimed": True,
    }
    made = county.post("/recognition/applications", json=values)
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["is_late"] and body["pause_claimed"] and body["pause_claim_open"]
    url = f"/recognition/applications/{body['id']}"
    start = accident + dt.timedelta(days=30)
    pause = {
        "started_on": start.isoformat(),
        "ended_on": (start + dt.timedelta(days=19)).isoformat(),
        "reason": "地震后道路中断",
        "evidence": "应急管理局证明",
    }
    assert outsider.post(f"{url}/limit-pauses", json=pause).status_code == 404
    assert hr.post(f"{url}/limit-pauses", json=pause).status_code == 403
    backwards = {**pause, "ended_on": (start - dt.timedelta(days=1)).isoformat()}
    assert fields_of(county.post(f"{url}/limit-pauses", json=backwards)) == {"ended_on"}
    recorded = county.post(f"{url}/limit-pauses", json=pause)
    assert recorded.status_code == 201, recorded.text
    after = recorded.json()
    assert after["paused_days"] == 20 and after["is_late"] is False
    assert after["limit_pauses"][0]["evidence"] == "应急管理局证明"
    assert after["pause_claim_open"] is False
    assert hr.get(f"{url}/letter").status_code == 404  # no letter yet

    refused = county.post(f"{url}/refuse", json={"reason": "非本统筹地区参保"})
    assert refused.status_code == 200 and refused.json()["not_accepted_on"]
    letters = refused.json()["letters"]
    assert set(letters) == {"not_accepted"}
    letter = hr.get(letters["not_accepted"].removeprefix("/api/v1"))
    assert letter.status_code == 200 and letter.headers["content-type"] == "application/pdf"
    text = pdf_text(letter.content)
    assert "工伤认定申请不予受理决定书" in text and "非本统筹地区参保" in text
    assert "60日内" in text and "6个月内" in text
    assert hr.get(f"{url}/letter", params={"document": "decision"}).status_code == 404
    assert fields_of(hr.get(f"{url}/letter", params={"document": "other"})) == {"document"}
    assert outsider.get(f"{url}/letter").status_code == 404
