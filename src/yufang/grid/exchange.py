"""The exchange with a social-governance (“1+7+N”) grid platform: grids, workers, tasks and
findings out, in JSON or CSV; screenings done on the platform in, in JSON or CSV, each one
once (the platform's id is the idempotency key). Documented in docs/grid.md, with sample
files in docs/grid-exchange/. Mounted at /api/v1/grid/exchange; a bearer token is the usual
way in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile

from yufang.accounts.models import Role, User
from yufang.accounts.scoping.grid import (
    may_manage_grid,
    require_grid_official,
    require_grid_planner,
)
from yufang.grid import selectors, services
from yufang.grid.models import Screening
from yufang.lib.errors import InvalidInput
from yufang.lib.protected import phone_mask
from yufang.lib.spreadsheets import write_csv
from yufang.support.bounds import Code, Id, Name, Note

router = Router(tags=["grid exchange"])
EXCHANGE_ROWS_MAX = 50_000
IMPORT_ROWS_MAX = 2_000

GRID_COLUMNS = [
    "grid_code",
    "grid_name",
    "township_code",
    "county_code",
    "city_code",
    "latitude",
    "longitude",
]
WORKER_COLUMNS = ["worker_ref", "name", "phone_masked", "grid_code", "grid_role", "started_on"]
TASK_COLUMNS = [
    "task_id",
    "credit_code",
    "enterprise_name",
    "grid_code",
    "worker_ref",
    "plan",
    "period_start",
    "period_end",
    "due_on",
    "status",
]
FINDING_COLUMNS = [
    "screening_id",
    "task_id",
    "credit_code",
    "grid_code",
    "worker_ref",
    "done_at",
    "latitude",
    "longitude",
    "accuracy_m",
    "far_from_enterprise",
    "hazard_ids",
    "note",
    "external_id",
]
IMPORT_COLUMNS = [
    "external_id",
    "task_id",
    "worker_ref",
    "done_at",
    "latitude",
    "longitude",
    "accuracy_m",
    "note",
]


class ExportIn(Schema):
    format: Code = "json"
    since: dt.date | None = None


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _respond(name: str, columns: list[str], rows: list[list[Any]], fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(write_csv(columns, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt != "json":
        raise InvalidInput(_("Choose json or csv."), "format")
    body = {
        "dataset": name,
        "generated_at": timezone.localtime().isoformat(),
        "rows": [dict(zip(columns, (_plain(v) for v in row), strict=True)) for row in rows],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )


@router.get("/grids")
def export_grids(request: HttpRequest, params: Query[ExportIn]) -> HttpResponse:
    """The grids in the caller's scope."""
    require_grid_official(request.user)
    qs = selectors.grids_visible(request.user).select_related("township", "county", "city")
    rows = [
        [g.code, g.name, g.township.code, g.county.code, g.city.code, g.latitude, g.longitude]
        for g in qs.order_by("code")[:EXCHANGE_ROWS_MAX]
    ]
    return _respond("grids", GRID_COLUMNS, rows, params.format)


@router.get("/workers")
def export_workers(request: HttpRequest, params: Query[ExportIn]) -> HttpResponse:
    """The grid workers on the caller's grids now (phone numbers masked)."""
    require_grid_official(request.user)
    qs = (
        selectors.assignments_visible(request.user)
        .filter(ended_on__isnull=True)
        .select_related("worker", "grid")
    )
    rows = [
        [
            a.worker.username,
            a.worker.full_name,
            phone_mask(a.worker.phone) if a.worker.phone else "",
            a.grid.code,
            a.grid_role,
            a.started_on,
        ]
        for a in qs.order_by("grid__code", "worker__username")[:EXCHANGE_ROWS_MAX]
    ]
    return _respond("workers", WORKER_COLUMNS, rows, params.format)


@router.get("/tasks")
def export_tasks(request: HttpRequest, params: Query[ExportIn]) -> HttpResponse:
    """Screening tasks of the caller's grids, made since `since` (default: 31 days ago)."""
    require_grid_official(request.user)
    since = params.since or timezone.localdate() - dt.timedelta(days=31)
    qs = (
        selectors.tasks_visible(request.user)
        .filter(period_end__gte=since)
        .select_related("enterprise", "grid", "worker", "plan")
    )
    rows = [
        [
            t.pk,
            t.enterprise.credit_code,
            t.enterprise.name,
            t.grid.code,
            t.worker.username if t.worker else "",
            t.plan.kind if t.plan.kind == "routine" else t.plan.name,
            t.period_start,
            t.period_end,
            t.due_on,
            t.status,
        ]
        for t in qs.order_by("pk")[:EXCHANGE_ROWS_MAX]
    ]
    return _respond("tasks", TASK_COLUMNS, rows, params.format)


@router.get("/findings")
def export_findings(request: HttpRequest, params: Query[ExportIn]) -> HttpResponse:
    """Screenings done since `since` (default: 31 days ago) with the hazards they found."""
    require_grid_official(request.user)
    since = params.since or timezone.localdate() - dt.timedelta(days=31)
    qs = (
        selectors.screenings_visible(request.user)
        .filter(done_at__date__gte=since)
        .select_related("enterprise", "grid", "worker")
        .prefetch_related("findings")
    )
    rows = [
        [
            s.pk,
            s.task_id,
            s.enterprise.credit_code,
            s.grid.code,
            s.worker.username,
            s.done_at,
            s.latitude,
            s.longitude,
            s.accuracy_m,
            s.far_from_enterprise,
            " ".join(str(f.hazard_id) for f in s.findings.all()),
            s.note,
            s.external_id,
        ]
        for s in qs.order_by("pk")[:EXCHANGE_ROWS_MAX]
    ]
    return _respond("findings", FINDING_COLUMNS, rows, params.format)


class ExternalScreeningIn(Schema):
    external_id: Code = Field(..., min_length=1)
    task_id: Id
    worker_ref: Name
    done_at: dt.datetime
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=12)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=12)
    accuracy_m: Decimal | None = Field(None, ge=0, le=100000, max_digits=12)
    note: Note = ""


class ExternalBatchIn(Schema):
    screenings: list[ExternalScreeningIn] = Field(..., max_length=IMPORT_ROWS_MAX)


class ItemResultOut(Schema):
    external_id: str
    result: str  # recorded, replayed, conflict, invalid
    screening_id: int | None = None
    reason: str = ""
    detail: str = ""


def _record_external(request: HttpRequest, item: ExternalScreeningIn) -> dict[str, Any]:
    out: dict[str, Any] = {"external_id": item.external_id}
    task = (
        selectors.tasks_visible(request.user).select_related("grid").filter(pk=item.task_id).first()
    )
    if task is None:
        return out | {
            "result": "invalid",
            "reason": "unknown_task",
            "detail": _("No such task in your area."),
        }
    if not may_manage_grid(request.user, task.grid):
        return out | {
            "result": "invalid",
            "reason": "not_manager",
            "detail": _("You cannot manage this grid."),
        }
    worker = User.objects.filter(
        username=item.worker_ref, role=Role.GRID_WORKER, is_active=True
    ).first()
    if worker is None:
        return out | {
            "result": "invalid",
            "reason": "unknown_worker",
            "detail": _("No such grid worker."),
        }
    key = f"ext:{item.external_id}"
    replay = Screening.objects.filter(idempotency_key=key).first()
    if replay is not None:
        return out | {"result": "replayed", "screening_id": replay.pk}
    try:
        found = services.screening_record(
            actor=worker,
            task=task,
            note=item.note,
            latitude=item.latitude,
            longitude=item.longitude,
            accuracy_m=item.accuracy_m,
            done_at=item.done_at,
            idempotency_key=key,
        )
    except services.ScreeningConflict as conflict:
        return out | {"result": "conflict", "reason": conflict.reason, "detail": conflict.message}
    except InvalidInput as error:
        return out | {
            "result": "invalid",
            "reason": ",".join(error.errors),
            "detail": error.message,
        }
    except PermissionDenied as denied:
        return out | {"result": "invalid", "reason": "denied", "detail": str(denied)}
    Screening.objects.filter(pk=found.pk).update(external_id=item.external_id[:80])
    return out | {"result": "recorded", "screening_id": found.pk}


def _record_batch(request: HttpRequest, items: list[ExternalScreeningIn]) -> list[dict[str, Any]]:
    require_grid_planner(request.user)
    seen: set[str] = set()
    results = []
    for item in items:
        if item.external_id in seen:
            results.append(
                {"external_id": item.external_id, "result": "replayed", "reason": "twice_in_batch"}
            )
            continue
        seen.add(item.external_id)
        results.append(_record_external(request, item))
    return results


@router.post("/screenings", response=list[ItemResultOut])
def import_screenings(request: HttpRequest, payload: ExternalBatchIn) -> list[dict[str, Any]]:
    """Screenings done on the platform, recorded against their tasks on behalf of the named
    grid worker; one answer per item: recorded, replayed (already received), conflict (the
    task was done, cancelled or reassigned meanwhile) or invalid, with its reason."""
    return _record_batch(request, list(payload.screenings))


@router.post("/screenings.csv", response=list[ItemResultOut])
def import_screenings_csv(request: HttpRequest, file: File[UploadedFile]) -> list[dict[str, Any]]:  # noqa: B008
    """The same as a CSV file (UTF-8, header row: the columns of `IMPORT_COLUMNS`)."""
    require_grid_planner(request.user)
    if file.size is None or file.size > 2 * 1024 * 1024:
        raise InvalidInput(_("The file is larger than 2 MB."), "file")
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(_("The file is not UTF-8 text."), "file") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [
        c
        for c in ("external_id", "task_id", "worker_ref", "done_at")
        if c not in (reader.fieldnames or [])
    ]
    if missing:
        raise InvalidInput(_("Missing columns: %(cols)s") % {"cols": ", ".join(missing)}, "file")
    items: list[ExternalScreeningIn] = []
    for number, row in enumerate(reader, start=2):
        if number > IMPORT_ROWS_MAX + 1:
            raise InvalidInput(_("At most %(n)s rows.") % {"n": IMPORT_ROWS_MAX}, "file")
        try:
            items.append(
                ExternalScreeningIn.model_validate(
                    {
                        k: (v or None)
                        if k in ("latitude", "longitude", "accuracy_m")
                        else (v or "")
                        for k, v in row.items()
                        if k in IMPORT_COLUMNS
                    }
                )
            )
        except ValueError as exc:
            raise InvalidInput(
                _("Row %(n)s cannot be read: check its task id, time and position.")
                % {"n": number},
                "file",
            ) from exc
    return _record_batch(request, items)
