"""The grid module's pages and API operations in the authorization matrix
(accounts/tests/access.py explains the tokens)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils import timezone
from PIL import Image

from yufang.accounts.models import Role
from yufang.accounts.tests.access_base import Op, Page, rule
from yufang.accounts.tests.records import OUTSIDE
from yufang.grid.models import GridAssignment, ScreeningPhoto
from yufang.grid.services import screening_record
from yufang.grid.tests.factories import task
from yufang.regions.models import Grid
from yufang.tests.factories import persona

RULES = {
    # Officials, the auditor and administrators read coverage; a grid worker is sent to their
    # own record (pages) or refused (the coverage API); other roles have no business here.
    "grid_coverage_page": rule(
        "403/403",
        province="ok/ok",
        city="ok/ok",
        county="ok/ok",
        grid_worker="ok/ok",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    "grid_officials_read": rule(
        "403/403", province="ok/ok", city="ok/ok", county="ok/ok", auditor="ok/ok", admin="ok/ok"
    ),
    # Lists a grid reader may open (each shows only the reader's scope).
    "grid_readers": rule(
        "403/403",
        province="ok/ok",
        city="ok/ok",
        county="ok/ok",
        grid_worker="ok/ok",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # A grid, task, screening, photo or assignment: read in its scope; outside it 404.
    "grid_record_read": rule(
        "403/403",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        grid_worker="ok/404",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # Managing a grid (workers, tasks, enterprises): its county's and city's officials, the
    # province and administrators; a grid worker or the auditor reads it but may not.
    "grid_manage": rule(
        "403/403",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        grid_worker="403/404",
        admin="ok/ok",
    ),
    # Planning (campaigns, duty lists, generation, the exchange's imports): officials who write.
    "grid_official_write": rule(
        "403/403", province="ok/ok", city="ok/ok", county="ok/ok", admin="ok/ok"
    ),
    # A grid worker records a screening for a task of their grids; officials read the task
    # but do not screen.
    "grid_screen": rule("403/403", city="403/404", county="403/404", grid_worker="ok/404"),
    # A grid worker's own record of work.
    "grid_worker_only": rule("403/403", grid_worker="ok/ok"),
}

PAGES = {
    "grid:index": Page(None, "grid_coverage_page"),
    "grid:records": Page(None, "grid_coverage_page"),
    "grid:grid": Page("grid", "grid_record_read"),
    "grid:assign": Page("grid", "post_only", "grid_manage"),
    "grid:reassign": Page("grid", "post_only", "grid_manage"),
    "grid:place": Page("grid", "post_only", "grid_manage"),
    "grid:assignment_end": Page("grid_assignment", "post_only", "grid_manage"),
    "grid:place_automatically": Page(None, "post_only", "grid_official_write"),
    "grid:duty": Page(None, "grid_readers", "grid_official_write"),
    "grid:plans": Page(None, "grid_readers", "grid_official_write"),
    "grid:task": Page("grid_task", "grid_record_read"),
    "grid:screening": Page("screening", "grid_record_read"),
    "grid:photo": Page("screening_photo", "grid_record_read"),
    "grid:my_work": Page(None, "grid_worker_only"),
}

API_PARAM_KINDS = {
    "task_id": "grid_task",
    "screening_id": "screening",
    "assignment_id": "grid_assignment",
    "grid_id": "grid",
}

_P = "/api/v1/grid"
OPERATIONS = {
    ("GET", f"{_P}/tasks"): Op("grid_readers"),
    ("GET", f"{_P}/tasks/{{task_id}}"): Op("grid_record_read"),
    ("POST", f"{_P}/tasks/{{task_id}}/screening"): Op("grid_screen"),
    ("POST", f"{_P}/grids/{{grid_id}}/reassign"): Op("grid_manage"),
    ("POST", f"{_P}/generate"): Op("grid_official_write"),
    ("GET", f"{_P}/screenings"): Op("grid_readers"),
    ("GET", f"{_P}/screenings/{{screening_id}}"): Op("grid_record_read"),
    ("GET", f"{_P}/assignments"): Op("grid_readers"),
    ("POST", f"{_P}/grids/{{grid_id}}/assignments"): Op("grid_manage"),
    ("POST", f"{_P}/assignments/{{assignment_id}}/end"): Op("grid_manage"),
    ("POST", f"{_P}/grids/{{grid_id}}/placements"): Op("grid_manage"),
    ("GET", f"{_P}/duty-lists"): Op("grid_readers"),
    ("POST", f"{_P}/duty-lists"): Op(
        "grid_official_write",
        body={
            "county": "370211",
            "grid_role": "full_time",
            "valid_from": "2026-12-01",
            "items": ["检查安全出口"],
        },
    ),
    ("GET", f"{_P}/plans"): Op("grid_readers"),
    ("POST", f"{_P}/plans"): Op(
        "grid_official_write",
        body={
            "name": "重点行业专项排查",
            "target": "priority_list",
            "region": "370211",
            "starts_on": "2026-12-07",
        },
    ),
    ("GET", f"{_P}/coverage"): Op("grid_officials_read"),
    ("GET", f"{_P}/exchange/grids"): Op("grid_officials_read"),
    ("GET", f"{_P}/exchange/workers"): Op("grid_officials_read"),
    ("GET", f"{_P}/exchange/tasks"): Op("grid_officials_read"),
    ("GET", f"{_P}/exchange/findings"): Op("grid_officials_read"),
    ("POST", f"{_P}/exchange/screenings"): Op("grid_official_write"),
    ("POST", f"{_P}/exchange/screenings.csv"): Op("grid_official_write"),
}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def build_records(world: Any, records: Any) -> None:
    """A grid, a task, a screening with a photo and an assignment inside Qingdao (the grid
    worker's grid) and outside it (Jinan, marked OUTSIDE)."""
    worker = world.people[Role.GRID_WORKER]
    # Jinan's grid and worker keep plain names (other modules' pages list grids and people);
    # the outside task names the Jinan enterprise (OUTSIDE) and the screening's note says it.
    jinan_grid = Grid.objects.get(pk=world.jinan_enterprise.grid_id)
    jinan_worker = persona(Role.GRID_WORKER, grid=jinan_grid)
    today = timezone.localdate()
    for side, grid, person, enterprise, note in (
        ("inside", world.grid, worker, world.enterprise, "正常"),
        ("outside", jinan_grid, jinan_worker, world.jinan_enterprise, OUTSIDE),
    ):
        target = records.inside if side == "inside" else records.outside
        assignment = GridAssignment.objects.create(grid=grid, worker=person, started_on=today)
        open_task = task(enterprise, worker=person)
        # A period of its own, begun the month before (in January too).
        done_task = task(
            enterprise, worker=person, period_start=today.replace(day=1) - dt.timedelta(days=1)
        )
        screening = screening_record(actor=person, task=done_task, note=note, photos=[_jpeg()])
        target["grid"] = grid.pk
        target["grid_task"] = open_task.pk
        target["screening"] = screening.pk
        target["screening_photo"] = ScreeningPhoto.objects.get(screening=screening).pk
        target["grid_assignment"] = assignment.pk
