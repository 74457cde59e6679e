"""The joint meeting's API as an outside system calls it: a live server, httpx and a bearer
token. Each write answers its happy path, refuses bad input with a 422 naming the field, and
answers 404 for a record outside the caller's scope (403 for a role that may not)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from yufang.accounts.models import Role
from yufang.council.models import Meeting, TaskStatus
from yufang.council.tests.factories import council_for
from yufang.tests.factories import DepartmentFactory, region

pytestmark = pytest.mark.django_db(transaction=True)


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 20)).save(buffer, format="PNG")
    return buffer.getvalue()


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {str(e["loc"][-1]) for e in response.json()["detail"]}


def test_meeting_resolution_task_over_the_api(
    reference_data: None, world: Any, api_client: Any
) -> None:
    city_user = world.people[Role.CITY_OFFICIAL]
    city = api_client(city_user)
    outsider = api_client(world.jinan_city_official)
    emergency = world.people[Role.DEPARTMENT_LIAISON].department
    health = DepartmentFactory(region=region("370200"), code="health", name="青岛市卫生健康委员会")

    made = city.post("/council/joint-meetings", json={"name": "青岛市工伤预防联席会议"})
    assert made.status_code == 201, made.text
    jm = made.json()["id"]
    assert city.post("/council/joint-meetings", json={}).status_code == 422
    for dept in (emergency, health):
        added = city.post(f"/council/joint-meetings/{jm}/members", json={"department_id": dept.pk})
        assert added.status_code == 201, added.text
    assert [m["department_code"] for m in added.json()["members"]] == ["emergency", "health"]
    assert outsider.get(f"/council/joint-meetings/{jm}").status_code == 404

    assert fields_of(
        city.post(f"/council/joint-meetings/{jm}/meetings", json={"title": "x", "held_on": "no"})
    ) == {"held_on"}
    meeting = city.post(
        f"/council/joint-meetings/{jm}/meetings",
        json={"title": "第一次全体会议", "held_on": "2026-12-01", "agenda": "一、议题"},
    )
    assert meeting.status_code == 201, meeting.text
    mid = meeting.json()["id"]
    resolution = city.post(f"/council/meetings/{mid}/resolutions", json={"text": "开展专项整治"})
    assert resolution.status_code == 201
    rid = resolution.json()["id"]
    attached = city.post(
        f"/council/meetings/{mid}/attachments",
        files={"file": ("议程.png", png_bytes(), "image/png")},
    )
    assert attached.status_code == 201, attached.text
    got = city.get(f"/council/attachments/{attached.json()['id']}")
    assert got.status_code == 200 and got.content == png_bytes()
    assert outsider.get(f"/council/attachments/{attached.json()['id']}").status_code == 404

    # A task without an owner department or a deadline is refused, naming both.
    assert fields_of(city.post(f"/council/resolutions/{rid}/tasks", json={"title": "排查"})) == {
        "department_id",
        "deadline",
    }
    deadline = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    task = city.post(
        f"/council/resolutions/{rid}/tasks",
        json={"title": "完成有限空间排查", "department_id": emergency.pk, "deadline": deadline},
    )
    assert task.status_code == 201, task.text
    assert task.json()["is_overdue"] is False
    assert (
        outsider.post(
            f"/council/resolutions/{rid}/tasks",
            json={"title": "x", "department_id": emergency.pk, "deadline": deadline},
        ).status_code
        == 404
    )

    # Closing needs minutes; after it every edit is refused with a clear message.
    assert fields_of(city.post(f"/council/meetings/{mid}/close")) == {"minutes"}
    assert city.patch(f"/council/meetings/{mid}", json={"minutes": "纪要"}).status_code == 200
    closed = city.post(f"/council/meetings/{mid}/close")
    assert closed.json()["status"] == "closed"
    refused = city.patch(f"/council/meetings/{mid}", json={"agenda": "改"})
    assert refused.status_code == 422
    assert "该会议已结束" in refused.json()["detail"][0]["msg"]
    assert Meeting.objects.get(pk=mid).agenda == "一、议题"


def test_liaison_reports_progress_and_others_cannot(
    reference_data: None, world: Any, api_client: Any
) -> None:
    c = council_for(world.people[Role.CITY_OFFICIAL])
    liaison = api_client(world.people[Role.DEPARTMENT_LIAISON])
    health = api_client(c.health_liaison)
    city = api_client(world.people[Role.CITY_OFFICIAL])
    listed = liaison.get("/council/tasks")
    assert [t["id"] for t in listed.json()["items"]] == [c.task.pk]
    assert health.get("/council/tasks").json()["items"] == []
    url = f"/council/tasks/{c.task.pk}/reports"
    assert health.post(url, data={"note": "越权"}).status_code == 404
    assert city.post(url, data={"note": "代报"}).status_code == 403
    no_evidence = liaison.post(url, data={"note": "完成", "completes": "true"})
    assert fields_of(no_evidence) == {"evidence"}
    done = liaison.post(
        url,
        data={"note": "全部完成", "completes": "true"},
        files={"evidence": ("现场照片.png", png_bytes(), "image/png")},
    )
    assert done.status_code == 201, done.text
    assert done.json()["status"] == TaskStatus.DONE
    report_id = done.json()["reports"][0]["id"]
    assert liaison.get(f"/council/evidence/{report_id}").status_code == 200
    assert health.get(f"/council/evidence/{report_id}").status_code == 404
    reopened = city.post(f"/council/tasks/{c.task.pk}/reopen", json={"reason": "证据不足"})
    assert reopened.json()["status"] == TaskStatus.OPEN
    assert api_client(world.people[Role.GRID_WORKER]).get("/council/tasks").status_code == 403


def test_plan_exchange_and_yearly_report_over_the_api(
    reference_data: None, world: Any, api_client: Any
) -> None:
    c = council_for(world.people[Role.CITY_OFFICIAL])
    city = api_client(world.people[Role.CITY_OFFICIAL])
    year = timezone.localdate().year
    plan = city.post("/council/plans", json={"year": year})
    assert plan.status_code == 201, plan.text
    pid = plan.json()["id"]
    sources = {s["kind"]: s for s in city.get(f"/council/plans/{pid}/sources").json()}
    assert {"training_campaign", "hazards", "council_tasks"} <= set(sources)
    assert fields_of(
        city.post(
            f"/council/plans/{pid}/items",
            json={"title": "x", "source": "council_tasks", "reference": "999"},
        )
    ) == {"reference"}
    item = city.post(
        f"/council/plans/{pid}/items",
        json={"title": "落实议定事项", "source": "council_tasks", "reference": str(c.meeting.pk)},
    )
    assert item.status_code == 201, item.text
    assert item.json()["completion"] == 0.0
    assert api_client(world.jinan_city_official).get(f"/council/plans/{pid}").status_code == 404

    csv = "区划代码,年度,类别,起数,死亡人数\n370211,2025,生产安全事故,4,1\n370211,2025,火灾,1,0\n"
    bad = city.post("/council/exchange", files={"file": ("x.csv", csv.encode(), "text/csv")})
    assert fields_of(bad) == {"row 3"}
    good = city.post(
        "/council/exchange",
        files={"file": ("x.csv", csv.rsplit("370211,2025,火灾", 1)[0].encode(), "text/csv")},
    )
    assert good.status_code == 201 and good.json() == {"imported": 1}
    rows = city.get("/council/exchange", params={"year": 2025}).json()
    accident = next(r for r in rows if r["region"] == "370211" and r["kind"] == "生产安全事故")
    assert accident["cases"] == 4 and accident["deaths"] == 1

    report = city.post("/council/reports", json={"year": year})
    assert report.status_code == 201, report.text
    rep = report.json()["id"]
    assert report.json()["due"] == f"{year}-12-31"
    assert fields_of(city.post(f"/council/reports/{rep}/submit")) == {"summary"}
    assert city.patch(f"/council/reports/{rep}", json={"summary": "总结"}).status_code == 200
    docx = city.get(f"/council/reports/{rep}/document", params={"format": "docx"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    pdf = city.get(f"/council/reports/{rep}/document", params={"format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert city.post(f"/council/reports/{rep}/submit").json()["status"] == "submitted"
    assert city.patch(f"/council/reports/{rep}", json={"summary": "改"}).status_code == 422


def test_shared_data_of_the_liaison_remit(
    reference_data: None, world: Any, api_client: Any
) -> None:
    liaison = api_client(world.people[Role.DEPARTMENT_LIAISON])
    shared = liaison.get("/council/shared")
    assert shared.status_code == 200, shared.text
    assert shared.json()["remit"] == ["hazards", "escalations"]
    assert api_client(world.people[Role.WORKER]).get("/council/shared").status_code == 403
