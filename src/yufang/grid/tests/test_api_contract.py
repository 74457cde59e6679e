"""The grid API as an outside system calls it: a live server, httpx and a bearer token.
Every write answers its happy path, refuses bad input with a 422 naming the field, and answers
404 for a record outside the caller's scope."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.grid.models import Screening, ScreeningTask, TaskStatus
from yufang.grid.tests.factories import grid_worker, task

pytestmark = pytest.mark.django_db(transaction=True)


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {str(e["loc"][-1]) for e in response.json()["detail"]}


def test_a_grid_worker_records_a_screening_once(
    reference_data: None, world: Any, api_client: Any
) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    outside = task(world.jinan_enterprise)
    phone = api_client(worker)
    listed = phone.get("/grid/tasks", params={"status": "open"})
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json()["items"]] == [t.pk]
    body = {
        "answers": [{"item": "安全出口畅通", "answer": "yes"}],
        "note": "正常",
        "latitude": "36.0",
        "longitude": "120.0",
        "accuracy_m": 15,
        "done_at": (timezone.now() - dt.timedelta(minutes=30)).isoformat(),
        "idempotency_key": "phone-7:1",
    }
    assert fields_of(
        phone.post(f"/grid/tasks/{t.pk}/screening", json={**body, "latitude": 91})
    ) == {"latitude"}
    no_accuracy = {**body, "accuracy_m": None}
    assert fields_of(phone.post(f"/grid/tasks/{t.pk}/screening", json=no_accuracy)) == {
        "accuracy_m"
    }
    bad_answer = {**body, "answers": [{"item": "x", "answer": "maybe"}]}
    assert fields_of(phone.post(f"/grid/tasks/{t.pk}/screening", json=bad_answer)) == {"answers"}
    assert phone.post(f"/grid/tasks/{outside.pk}/screening", json=body).status_code == 404
    first = phone.post(f"/grid/tasks/{t.pk}/screening", json=body)
    assert first.status_code == 201, first.text
    again = phone.post(f"/grid/tasks/{t.pk}/screening", json=body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    twice = phone.post(f"/grid/tasks/{t.pk}/screening", json={**body, "idempotency_key": "k2"})
    assert twice.status_code == 409 and twice.json()["reason"] == "already_done"
    assert Screening.objects.count() == 1


def test_a_task_reassigned_meanwhile_answers_a_conflict(
    reference_data: None, world: Any, api_client: Any
) -> None:
    worker = world.people[Role.GRID_WORKER]
    other = grid_worker(world.grid)
    t = task(world.enterprise, worker=worker)
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    moved = county.post(
        f"/grid/grids/{world.grid.pk}/reassign", json={"task_ids": [t.pk], "worker_id": other.pk}
    )
    assert moved.status_code == 200 and moved.json() == {"count": 1}
    late = api_client(worker).post(f"/grid/tasks/{t.pk}/screening", json={"note": "离线完成"})
    assert late.status_code == 409
    assert late.json()["reason"] == "reassigned"
    assert "改派" in late.json()["detail"]
    outsider = api_client(world.jinan_city_official)
    assert (
        outsider.post(
            f"/grid/grids/{world.grid.pk}/reassign", json={"task_ids": [t.pk]}
        ).status_code
        == 404
    )


def test_assignments_placement_and_plans(reference_data: None, world: Any, api_client: Any) -> None:
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    newcomer = grid_worker(world.other_grid)
    added = county.post(
        f"/grid/grids/{world.grid.pk}/assignments",
        json={"worker_id": newcomer.pk, "grid_role": "part_time"},
    )
    assert added.status_code == 201, added.text
    assert fields_of(
        county.post(
            f"/grid/grids/{world.grid.pk}/assignments",
            json={"worker_id": world.people[Role.WORKER].pk},
        )
    ) == {"worker"}
    ended = county.post(f"/grid/assignments/{added.json()['id']}/end", json={})
    assert ended.status_code == 200
    placed = county.post(
        f"/grid/grids/{world.other_grid.pk}/placements",
        json={"enterprise_id": world.enterprise.pk},
    )
    assert placed.status_code == 200 and placed.json()["method"] == "manual"
    assert (
        county.post(
            f"/grid/grids/{world.grid.pk}/placements",
            json={"enterprise_id": world.jinan_enterprise.pk},
        ).status_code
        == 404
    )
    plan = {
        "name": "有限空间",
        "target": "industries",
        "region": "370211",
        "starts_on": "2026-12-07",
    }
    assert fields_of(county.post("/grid/plans", json=plan)) == {"industry_codes"}
    made = county.post("/grid/plans", json={**plan, "industry_codes": ["C26"]})
    assert made.status_code == 201 and made.json()["tasks"] == 2
    duty = {"county": "370211", "grid_role": "full_time", "valid_from": "2026-12-01", "items": []}
    assert fields_of(county.post("/grid/duty-lists", json=duty)) == {"items"}
    assert county.post("/grid/duty-lists", json={**duty, "items": ["查出口"]}).status_code == 201
    assert [d["items"][0]["text"] for d in county.get("/grid/duty-lists").json()] == ["查出口"]


def test_coverage_and_generation(reference_data: None, world: Any, api_client: Any) -> None:
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    made = county.post("/grid/generate", json={"on": "2026-12-06"})
    assert made.status_code == 200 and made.json()["created"] == 2
    assert county.post("/grid/generate", json={"on": "2026-12-06"}).json()["created"] == 0
    rows = county.get(
        "/grid/coverage", params={"level": "grid", "from": "2026-12-01", "to": "2027-03-01"}
    )
    assert rows.status_code == 200
    by_grid = {r["id"]: r for r in rows.json()}
    assert by_grid[world.grid.pk]["due"] == 1 and by_grid[world.grid.pk]["never"] == 1
    assert by_grid[world.grid.pk]["links"]["due"].startswith("/grid/records/?")
    assert fields_of(county.get("/grid/coverage", params={"level": "street"})) == {"level"}
    assert api_client(world.people[Role.GRID_WORKER]).get("/grid/coverage").status_code == 403


def test_the_exchange_out_and_in(reference_data: None, world: Any, api_client: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    task(world.jinan_enterprise)
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    tasks = county.get("/grid/exchange/tasks").json()
    assert tasks["dataset"] == "tasks" and [r["task_id"] for r in tasks["rows"]] == [t.pk]
    grids = county.get("/grid/exchange/grids", params={"format": "csv"})
    assert grids.headers["content-type"].startswith("text/csv")
    codes = [
        row["grid_code"] for row in csv.DictReader(io.StringIO(grids.content.decode("utf-8-sig")))
    ]
    assert world.grid.code in codes and len(codes) == 2
    assert fields_of(county.get("/grid/exchange/workers", params={"format": "xml"})) == {"format"}
    item = {
        "external_id": "DY-2026-0001",
        "task_id": t.pk,
        "worker_ref": worker.username,
        "done_at": (timezone.now() - dt.timedelta(hours=2)).isoformat(),
        "latitude": "36.0",
        "longitude": "120.0",
        "accuracy_m": "8",
        "note": "平台上报",
    }
    first = county.post("/grid/exchange/screenings", json={"screenings": [item]})
    assert first.status_code == 200 and first.json()[0]["result"] == "recorded"
    again = county.post("/grid/exchange/screenings", json={"screenings": [item]})
    assert again.json()[0]["result"] == "replayed"
    assert ScreeningTask.objects.get(pk=t.pk).status == TaskStatus.DONE
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(item))
    writer.writeheader()
    writer.writerow({**item, "external_id": "DY-2026-0002"})
    from_csv = county.post(
        "/grid/exchange/screenings.csv",
        files={"file": ("screenings.csv", buffer.getvalue().encode(), "text/csv")},
    )
    assert from_csv.status_code == 200, from_csv.text
    assert from_csv.json()[0]["result"] == "conflict"
    assert from_csv.json()[0]["reason"] == "already_done"
    findings = county.get("/grid/exchange/findings").json()["rows"]
    assert [f["external_id"] for f in findings] == ["DY-2026-0001"]
    assert Screening.objects.count() == 1
    assert (
        api_client(world.people[Role.AUDITOR])
        .post("/grid/exchange/screenings", json={"screenings": [item]})
        .status_code
        == 403
    )


def test_an_enterprise_taken_out_of_every_grid_over_the_api_cancels_its_open_task(
    reference_data: None, world: Any, api_client: Any
) -> None:
    """The county takes an enterprise out of its grid through the registry's API: the grid
    worker's open task there is cancelled, saying why, and a screening sent for it afterwards
    (a phone that worked offline) is a 409 naming the conflict, with nothing recorded."""
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    moved = county.patch(f"/enterprises/{world.enterprise.pk}", json={"grid": ""})
    assert moved.status_code == 200, moved.text
    assert moved.json()["grid"] is None
    phone = api_client(worker)
    got = phone.get(f"/grid/tasks/{t.pk}")
    assert got.status_code == 200 and got.json()["status"] == TaskStatus.CANCELLED
    assert ScreeningTask.objects.get(pk=t.pk).cancel_reason == "该企业已不在任何网格中。"
    late = phone.post(
        f"/grid/tasks/{t.pk}/screening",
        json={
            "answers": [{"item": "安全出口畅通", "answer": "yes"}],
            "latitude": "36.0",
            "longitude": "120.0",
            "accuracy_m": 15,
            "done_at": timezone.now().isoformat(),
            "idempotency_key": "phone-7:late",
        },
    )
    assert late.status_code == 409 and late.json()["reason"] == "cancelled"
    assert not Screening.objects.filter(task_id=t.pk).exists()
