"""The hazards API as an outside system calls it: a live server, httpx and a bearer token.
Every write answers its happy path, refuses bad input with a 422 that names the field, and
answers 404 for a record outside the caller's scope."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from yufang.accounts.models import Role
from yufang.hazards import services
from yufang.hazards.models import Checklist
from yufang.hazards.tasks import escalate_hazards

pytestmark = pytest.mark.django_db(transaction=True)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def fields_of(response: Any) -> set[str]:
    """The fields a 422 names (the last part of each error's `loc`)."""
    assert response.status_code == 422, response.text
    return {str(e["loc"][-1]) for e in response.json()["detail"]}


def test_assessment_writes(reference_data: None, world: Any, api_client: Any) -> None:
    services.checklists_import()
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    outsider = api_client(world.jinan_city_official)
    new = {"enterprise_id": world.enterprise.pk, "checklist_key": "T16", "method": "site_survey"}

    assert fields_of(county.post("/hazards/assessments", json={**new, "method": "guess"})) == {
        "method"
    }
    assert fields_of(county.post("/hazards/assessments", json={**new, "planned_on": "x"})) == {
        "planned_on"
    }
    jinan = {**new, "enterprise_id": world.jinan_enterprise.pk}
    assert county.post("/hazards/assessments", json=jinan).status_code == 404
    created = county.post("/hazards/assessments", json=new)
    assert created.status_code == 201, created.text
    aid = created.json()["id"]
    assert created.json()["status"] == "in_progress"
    items = Checklist.objects.get(pk=created.json()["checklist_id"]).items.order_by("number")

    url = f"/hazards/assessments/{aid}"
    bad = county.post(f"{url}/answers", json={"answers": [{"item_id": items[0].pk, "result": "?"}]})
    assert fields_of(bad) == {f"item_{items[0].pk}"}
    assert fields_of(county.post(f"{url}/answers", json={"ls_l": 9})) == {"ls_l"}
    answers = [{"item_id": i.pk, "result": "pass"} for i in items]
    answers[0] = {"item_id": items[0].pk, "result": "fail", "note": "未配发耳塞"}
    recorded = county.post(f"{url}/answers", json={"answers": answers, "lec_l": "3"})
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["answers"][0]["result"] == "fail"

    sample = {"agent": "noise", "sample_type": "twa_8h", "value": "92", "unit": "dB(A)"}
    assert fields_of(county.post(f"{url}/measurements", json={**sample, "unit": "mg/m³"})) == {
        "unit"
    }
    assert fields_of(county.post(f"{url}/measurements", json={**sample, "value": "-1"})) == {
        "value"
    }
    measured = county.post(f"{url}/measurements", json=sample)
    assert measured.status_code == 201 and measured.json()["exceeded"] is True

    not_a_photo = {"photo": ("p.jpg", b"not an image", "image/jpeg")}
    assert fields_of(county.post(f"{url}/photos", files=not_a_photo)) == {"photo"}
    photo = county.post(f"{url}/photos", files={"photo": ("p.png", png_bytes(), "image/png")})
    assert photo.status_code == 201
    assert photo.json()["url"] == f"/hazards/photos/{photo.json()['id']}/"

    unfinished = county.post("/hazards/assessments", json=new).json()["id"]
    assert fields_of(county.post(f"/hazards/assessments/{unfinished}/complete")) == {"answers"}

    # Outside the caller's scope, the assessment does not exist.
    for path, kw in [
        (f"{url}/answers", {"json": {"answers": []}}),
        (f"{url}/measurements", {"json": sample}),
        (f"{url}/photos", {"files": {"photo": ("p.png", png_bytes(), "image/png")}}),
        (f"{url}/complete", {}),
        (f"{url}/cancel", {"json": {}}),
    ]:
        assert outsider.post(path, **kw).status_code == 404, path

    completed = county.post(f"{url}/complete")
    assert completed.status_code == 200, completed.text
    report = completed.json()
    assert report["assessment"]["status"] == "completed"
    assert len(report["hazard_ids"]) == 2  # the failed item and the noise above its limit
    assert report["score"]["colour"] == "yellow"

    city = api_client(world.people[Role.CITY_OFFICIAL])
    checklist_id = created.json()["checklist_id"]
    version = {
        "items": [{"text": "是否为接触噪声的劳动者配发护听器"}],
        "effective_from": "2099-01-01",
        "change_note": "合并检查项",
    }
    path = f"/hazards/checklists/{checklist_id}/versions"
    assert fields_of(city.post(path, json={**version, "items": []})) == {"items"}
    assert fields_of(city.post(path, json={**version, "change_note": " "})) == {"change_note"}
    assert fields_of(city.post(path, json={**version, "effective_from": "soon"})) == {
        "effective_from"
    }
    assert county.post(path, json=version).status_code == 403
    assert city.post("/hazards/checklists/999999/versions", json=version).status_code == 404
    revised = city.post(path, json=version)
    assert revised.status_code == 201 and revised.json()["version"] == 2


def test_hazard_writes(reference_data: None, world: Any, api_client: Any) -> None:
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    manager = api_client(world.people[Role.SAFETY_MANAGER])
    outsider = api_client(world.jinan_city_official)
    finding = {
        "enterprise_id": world.enterprise.pk,
        "topic": "electrical",
        "level": "ordinary",
        "description": "配电箱未接地",
    }
    assert fields_of(county.post("/hazards/hazards", json={**finding, "level": "huge"})) == {
        "level"
    }
    assert fields_of(county.post("/hazards/hazards", json={**finding, "description": ""})) == {
        "description"
    }
    jinan = {**finding, "enterprise_id": world.jinan_enterprise.pk}
    assert county.post("/hazards/hazards", json=jinan).status_code == 404
    created = county.post("/hazards/hazards", json=finding)
    assert created.status_code == 201, created.text
    hid = created.json()["id"]
    url = f"/hazards/hazards/{hid}"

    assert fields_of(county.post(f"{url}/transitions", json={"to": "done"})) == {"to"}
    past = {"to": "assigned", "deadline": "2000-01-01"}
    assert fields_of(county.post(f"{url}/transitions", json=past)) == {"deadline"}
    assert county.post(f"{url}/transitions", json={"to": "assigned"}).json()["status"] == (
        "assigned"
    )
    assert manager.post(f"{url}/transitions", json={"to": "rectifying"}).status_code == 200
    not_a_photo = {"photo": ("p.jpg", b"not an image", "image/jpeg")}
    assert fields_of(manager.post(f"{url}/photos", files=not_a_photo)) == {"photo"}
    evidence = manager.post(
        f"{url}/photos",
        files={"photo": ("p.png", png_bytes(), "image/png")},
        data={"kind": "evidence"},
    )
    assert evidence.status_code == 201 and evidence.json()["kind"] == "evidence"
    assert fields_of(manager.post(f"{url}/transitions", json={"to": "submitted"})) == {"note"}
    submitted = manager.post(f"{url}/transitions", json={"to": "submitted", "note": "已接地"})
    assert submitted.json()["status"] == "submitted"
    assert fields_of(county.post(f"{url}/transitions", json={"to": "rectifying"})) == {"reason"}
    assert county.post(f"{url}/transitions", json={"to": "verified"}).status_code == 200
    closed = county.post(f"{url}/transitions", json={"to": "closed"})
    assert closed.json()["status"] == "closed" and len(closed.json()["history"]) == 6

    major = county.post("/hazards/hazards", json={**finding, "level": "major"}).json()["id"]
    plan = {
        "measures": "更换配电箱",
        "responsible": "王安全",
        "funds": "12000",
        "deadline": "2099-01-01",
        "emergency": "停电作业预案",
    }
    murl = f"/hazards/hazards/{major}"
    assert fields_of(county.post(f"{murl}/plan", json={**plan, "funds": "many"})) == {"funds"}
    assert fields_of(county.post(f"{murl}/plan", json={**plan, "measures": ""})) == {"measures"}
    planned = county.post(f"{murl}/plan", json=plan)
    assert planned.status_code == 200 and planned.json()["plan_funds"] == "12000.00"

    for path, kw in [
        (f"{url}/transitions", {"json": {"to": "assigned"}}),
        (f"{murl}/plan", {"json": plan}),
        (f"{murl}/photos", {"files": {"photo": ("p.png", png_bytes(), "image/png")}}),
    ]:
        assert outsider.post(path, **kw).status_code == 404, path

    notices = "/hazards/notices"
    mine = {"enterprise_id": world.enterprise.pk}
    assert fields_of(county.post(notices, json={**mine, "hazard_ids": [999999]})) == {"hazard_ids"}
    assert fields_of(county.post(notices, json={**mine, "hazard_ids": "all"})) == {"hazard_ids"}
    jinan_notice = {"enterprise_id": world.jinan_enterprise.pk}
    assert county.post(notices, json=jinan_notice).status_code == 404
    notice = county.post(notices, json={**mine, "hazard_ids": [major]})
    assert notice.status_code == 201 and notice.json()["number"].startswith("ZG")

    escalate_hazards()
    escalation = county.get("/hazards/escalations").json()["items"][0]
    eurl = f"/hazards/escalations/{escalation['id']}/answer"
    assert fields_of(county.post(eurl, json={"answer": " "})) == {"answer"}
    assert fields_of(county.post(eurl, json={})) == {"answer"}
    assert outsider.post(eurl, json={"answer": "已督办"}).status_code == 404
    answered = county.post(eurl, json={"answer": "已督办，限期整改"})
    assert answered.status_code == 200 and answered.json()["answered_at"]

    stats = "/hazards/statistics"
    assert fields_of(county.post(stats, json={"kind": "month", "year": 2025})) == {"kind"}
    assert fields_of(county.post(stats, json={"kind": "quarter", "year": 2025, "quarter": 5})) == {
        "quarter"
    }
    assert fields_of(county.post(stats, json={"kind": "year", "year": 0})) == {"year"}
    assert manager.post(stats, json={"kind": "year", "year": 2025}).status_code == 403
    generated = county.post(stats, json={"kind": "year", "year": 2025})
    assert generated.status_code == 201 and generated.json()["due"] == "2026-01-31"


def test_notice_issuers_are_listed_and_set_per_region(
    reference_data: None, world: Any, api_client: Any
) -> None:
    from yufang.hazards.models import NoticeIssuer
    from yufang.hazards.tests.test_notice_issuer import seal_png

    city = api_client(world.people[Role.CITY_OFFICIAL])
    listed = city.get("/hazards/issuers")
    assert listed.status_code == 200, listed.text
    rows = {r["region"]: r for r in listed.json()}
    assert "370200" in rows and "370211" in rows and "370100" not in rows
    assert rows["370211"] == {
        "region": "370211",
        "region_name": rows["370211"]["region_name"],
        "level": "county",
        "name": "青岛市人力资源和社会保障局",
        "configured": False,
        "seal_url": None,
    }

    name = "青岛市人力资源和社会保障局（试）"
    seal = seal_png()
    set_ = city.post(
        "/hazards/issuers/370200",
        data={"name": name},
        files={"seal": ("seal.png", seal.read(), "image/png")},
    )
    assert set_.status_code == 200, set_.text
    issuer = NoticeIssuer.objects.get(region__code="370200")
    assert set_.json()["name"] == name and set_.json()["configured"] is True
    assert set_.json()["seal_url"] == f"/hazards/issuers/{issuer.pk}/seal/"
    # A county without its own issuer now issues under its city's.
    county_row = {r["region"]: r for r in city.get("/hazards/issuers").json()}["370211"]
    assert county_row["name"] == name and county_row["configured"] is False

    assert fields_of(city.post("/hazards/issuers/370200", data={"name": "局" * 101})) == {"name"}
    assert fields_of(city.post("/hazards/issuers/370200", data={"name": " "})) == {"name"}
    not_an_image = {"seal": ("seal.png", b"not an image", "image/png")}
    refused = city.post("/hazards/issuers/370200", data={"name": name}, files=not_an_image)
    assert fields_of(refused) == {"seal"}
    removed = city.post("/hazards/issuers/370200", data={"name": name, "remove_seal": "true"})
    assert removed.status_code == 200 and removed.json()["seal_url"] is None

    # Another city's region is not the caller's to configure; a county official configures none.
    assert city.post("/hazards/issuers/370100", data={"name": "济南"}).status_code == 404
    jinan = api_client(world.jinan_city_official)
    assert "370200" not in {r["region"] for r in jinan.get("/hazards/issuers").json()}
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    assert county.get("/hazards/issuers").status_code == 403
    assert county.post("/hazards/issuers/370211", data={"name": "x"}).status_code == 403
