"""The grid API (`/api/v1/grid/...`): tasks and screenings, assignments, placement, duty
lists, plans, coverage, and the exchange with a social-governance platform (`exchange.py`).
Same services and selectors as the pages; a record outside the caller's scope is 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from yufang.accounts.models import Role, User
from yufang.accounts.scoping import home_region, regions_visible
from yufang.accounts.scoping.grid import (
    may_manage_grid,
    may_plan_campaign,
    require_grid_official,
    require_grid_planner,
    require_grid_reader,
)
from yufang.enterprises.selectors import enterprise_get
from yufang.grid import selectors, services
from yufang.grid.exchange import router as exchange_router
from yufang.grid.models import GridAssignment, Screening, ScreeningPlan, ScreeningTask
from yufang.grid.selectors import coverage as cov
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region
from yufang.support.bounds import Code, Id, Name, Note, paginated

router = Router(tags=["grid"])
router.add_router("/exchange", exchange_router)


# --- schemas ------------------------------------------------------------------------------


class TaskOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    grid_id: int
    grid: str
    worker_id: int | None
    plan_id: int
    plan_kind: str
    plan: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    status: str
    is_overdue: bool

    @staticmethod
    def resolve_enterprise(obj: ScreeningTask) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_grid(obj: ScreeningTask) -> str:
        return obj.grid.code

    @staticmethod
    def resolve_plan_kind(obj: ScreeningTask) -> str:
        return obj.plan.kind

    @staticmethod
    def resolve_plan(obj: ScreeningTask) -> str:
        return obj.plan.label

    @staticmethod
    def resolve_is_overdue(obj: ScreeningTask) -> bool:
        return obj.status == "open" and obj.due_on < timezone.localdate()


class TaskFilterIn(Schema):
    grid_id: Id | None = None
    status: Code = ""
    worker_id: Id | None = None
    due_before: dt.date | None = None


class AnswerIn(Schema):
    item: Name
    answer: Code


class ScreeningIn(Schema):
    answers: list[AnswerIn] = Field(default_factory=list, max_length=100)
    note: Note = ""
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=12)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=12)
    accuracy_m: Decimal | None = Field(None, ge=0, le=100000, max_digits=12)
    done_at: dt.datetime | None = None
    idempotency_key: Code = ""


class ScreeningOut(Schema):
    id: int
    task_id: int | None
    enterprise_id: int
    grid_id: int
    worker_id: int
    done_at: dt.datetime
    recorded_at: dt.datetime
    latitude: Decimal | None
    longitude: Decimal | None
    accuracy_m: int | None
    distance_m: int | None
    far_from_enterprise: bool
    answers: list[dict[str, Any]]
    note: str
    idempotency_key: str | None
    hazard_ids: list[int]

    @staticmethod
    def resolve_hazard_ids(obj: Screening) -> list[int]:
        return [f.hazard_id for f in obj.findings.all()]


class ConflictOut(Schema):
    reason: str
    detail: str


class ReassignIn(Schema):
    task_ids: list[Id] = Field(default_factory=list, max_length=5000)
    from_worker_id: Id | None = None
    worker_id: Id | None = None
    reason: Note = ""


class CountOut(Schema):
    count: int


class GenerateIn(Schema):
    region: Code = ""
    on: dt.date | None = None


class GenerateOut(Schema):
    created: int
    already: int


class AssignmentOut(Schema):
    id: int
    grid_id: int
    grid: str
    worker_id: int
    worker: str
    grid_role: str
    started_on: dt.date
    ended_on: dt.date | None

    @staticmethod
    def resolve_grid(obj: GridAssignment) -> str:
        return obj.grid.code

    @staticmethod
    def resolve_worker(obj: GridAssignment) -> str:
        return obj.worker.full_name or obj.worker.username


class AssignmentIn(Schema):
    worker_id: Id
    grid_role: Code = "full_time"
    started_on: dt.date | None = None


class AssignmentEndIn(Schema):
    ended_on: dt.date | None = None
    reason: Note = ""


class PlacementIn(Schema):
    enterprise_id: Id


class PlacementOut(Schema):
    enterprise_id: int
    grid_id: int
    method: str
    distance_m: int | None


class DutyItemOut(Schema):
    position: int
    text: str
    in_checklist: bool


class DutyListOut(Schema):
    id: int
    county: str
    grid_role: str
    valid_from: dt.date
    items: list[DutyItemOut]

    @staticmethod
    def resolve_county(obj: Any) -> str:
        return str(obj.county.code)

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items.all())


class DutyListIn(Schema):
    county: Code
    grid_role: Code
    valid_from: dt.date
    items: list[Name] = Field(..., max_length=50)
    checklist: list[bool] | None = Field(None, max_length=50)


class PlanOut(Schema):
    id: int
    kind: str
    name: str
    region: str | None
    target: str
    industry_codes: list[str]
    starts_on: dt.date | None
    ends_on: dt.date | None
    note: str
    tasks: int

    @staticmethod
    def resolve_region(obj: ScreeningPlan) -> str | None:
        return obj.region.code if obj.region else None

    @staticmethod
    def resolve_tasks(obj: ScreeningPlan) -> int:
        return obj.tasks.count()


class PlanIn(Schema):
    name: Name
    target: Code
    region: Code = ""
    industry_codes: list[Code] = Field(default_factory=list, max_length=50)
    starts_on: dt.date
    ends_on: dt.date | None = None
    note: Note = ""


class CoverageIn(Schema):
    level: Code = ""
    region: Code = ""
    start: dt.date | None = Field(None, alias="from")
    end: dt.date | None = Field(None, alias="to")


class CoverageOut(Schema):
    level: str
    id: int
    code: str
    name: str
    due: int
    on_time: int
    on_time_share: Decimal | None
    overdue: int
    screenings: int
    findings: int
    findings_per_100: Decimal | None
    far: int
    enterprises: int
    never: int
    not_in_period: int
    workers: int
    idle: int
    links: dict[str, str]


# --- tasks and screenings ---------------------------------------------------------------------


def _task(request: HttpRequest, task_id: int) -> ScreeningTask:
    return selectors.task_get(request.user, task_id)


@router.get("/tasks", response=list[TaskOut])
@paginated(page_size=100)
def tasks(request: HttpRequest, filters: Query[TaskFilterIn]):  # type: ignore[no-untyped-def]
    """Screening tasks in the caller's scope; a grid worker's include their grids' tasks."""
    require_grid_reader(request.user)
    qs = selectors.tasks_visible(request.user).select_related("enterprise", "grid", "plan")
    if filters.grid_id:
        qs = qs.filter(grid_id=filters.grid_id)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.worker_id:
        qs = qs.filter(worker_id=filters.worker_id)
    if filters.due_before:
        qs = qs.filter(due_on__lt=filters.due_before)
    return qs.order_by("due_on", "pk")


@router.get("/tasks/{task_id}", response=TaskOut)
def task(request: HttpRequest, task_id: Id) -> ScreeningTask:
    return _task(request, task_id)


@router.post(
    "/tasks/{task_id}/screening", response={201: ScreeningOut, 200: ScreeningOut, 409: ConflictOut}
)
def screening_record(request: HttpRequest, task_id: Id, payload: ScreeningIn) -> Status:
    """Records the screening that completes a task (a grid worker of its grid). A replay
    with the same `idempotency_key` answers 200 with the first screening; a task done,
    cancelled, reassigned or of a closed enterprise answers 409 with its `reason`."""
    t = _task(request, task_id)
    key = payload.idempotency_key.strip() or None
    replay = key is not None and Screening.objects.filter(idempotency_key=key).exists()
    try:
        found = services.screening_record(
            actor=request.user,
            task=t,
            answers=[a.dict() for a in payload.answers],
            note=payload.note,
            latitude=payload.latitude,
            longitude=payload.longitude,
            accuracy_m=payload.accuracy_m,
            done_at=payload.done_at,
            idempotency_key=key,
        )
    except services.ScreeningConflict as conflict:
        return Status(409, {"reason": conflict.reason, "detail": conflict.message})
    return Status(200 if replay else 201, found)


@router.post("/grids/{grid_id}/reassign", response=CountOut)
def tasks_reassign(request: HttpRequest, grid_id: Id, payload: ReassignIn) -> dict[str, int]:
    """Gives the grid's open tasks (`task_ids`, and/or all of `from_worker_id`'s) to one of
    its workers (`worker_id`), or spreads them over the grid's other workers."""
    grid = _managed_grid(request, grid_id)
    visible = selectors.tasks_visible(request.user).filter(grid=grid)
    ids = set(payload.task_ids)
    if ids and set(visible.filter(pk__in=ids).values_list("pk", flat=True)) != ids:
        raise Http404
    if payload.from_worker_id:
        ids |= set(
            visible.filter(status="open", worker_id=payload.from_worker_id).values_list(
                "pk", flat=True
            )
        )
    worker = None
    if payload.worker_id:
        worker = User.objects.filter(pk=payload.worker_id, role=Role.GRID_WORKER).first()
        if worker is None:
            raise InvalidInput(_("Choose a grid worker."), "worker_id")
    moved = services.tasks_reassign(
        actor=request.user, task_ids=ids, to_worker=worker, reason=payload.reason
    )
    return {"count": moved}


def _managed_grid(request: HttpRequest, grid_id: int) -> Any:
    grid = selectors.grid_get(request.user, grid_id)
    if not may_manage_grid(request.user, grid):
        raise PermissionDenied(_("You cannot manage this grid."))
    return grid


def _region(request: HttpRequest, code: str, field: str = "region") -> Region | None:
    if not code:
        return None
    region = regions_visible(request.user).filter(code=code).first()
    if region is None:
        raise InvalidInput(_("Unknown region code: %(code)s") % {"code": code[:20]}, field)
    return region


@router.post("/generate", response=GenerateOut)
def tasks_generate(request: HttpRequest, payload: GenerateIn) -> dict[str, int]:
    """Generates the period's tasks (routine and running campaigns) for a region the caller
    plans for; what exists already is left as it is."""
    require_grid_planner(request.user)
    region = _region(request, payload.region) or home_region(request.user)
    if not may_plan_campaign(request.user, region):
        raise PermissionDenied(_("You cannot plan screening for this region."))
    on = payload.on or timezone.localdate()
    result = services.tasks_generate(on=on, region=region)
    return {"created": result.created, "already": result.already}


@router.get("/screenings", response=list[ScreeningOut])
@paginated(page_size=100)
def screenings(request: HttpRequest, grid_id: Id | None = None):  # type: ignore[no-untyped-def]
    require_grid_reader(request.user)
    qs = selectors.screenings_visible(request.user).prefetch_related("findings")
    if grid_id:
        qs = qs.filter(grid_id=grid_id)
    return qs.order_by("-done_at", "pk")


@router.get("/screenings/{screening_id}", response=ScreeningOut)
def screening(request: HttpRequest, screening_id: Id) -> Screening:
    return selectors.screening_get(request.user, screening_id)


# --- assignments and placement ----------------------------------------------------------------


@router.get("/assignments", response=list[AssignmentOut])
@paginated(page_size=200)
def assignments(request: HttpRequest, grid_id: Id | None = None):  # type: ignore[no-untyped-def]
    require_grid_reader(request.user)
    qs = selectors.assignments_visible(request.user).filter(ended_on__isnull=True)
    if grid_id:
        qs = qs.filter(grid_id=grid_id)
    return qs.select_related("grid", "worker").order_by("grid__code", "pk")


@router.post("/grids/{grid_id}/assignments", response={201: AssignmentOut})
def assignment_add(request: HttpRequest, grid_id: Id, payload: AssignmentIn) -> Status:
    """Assigns a grid worker to the grid."""
    grid = _managed_grid(request, grid_id)
    worker = User.objects.filter(pk=payload.worker_id).first()
    if worker is None:
        raise InvalidInput(_("Choose a grid worker."), "worker_id")
    found = services.assignment_add(
        actor=request.user,
        grid=grid,
        worker=worker,
        grid_role=payload.grid_role,
        started_on=payload.started_on,
    )
    return Status(201, found)


@router.post("/assignments/{assignment_id}/end", response=CountOut)
def assignment_end(
    request: HttpRequest, assignment_id: Id, payload: AssignmentEndIn
) -> dict[str, int]:
    """Ends an assignment; `count` is the open tasks handed to the grid's other workers."""
    require_grid_reader(request.user)
    found = get_object_or_404(
        selectors.assignments_visible(request.user).select_related("grid"), pk=assignment_id
    )
    handed = services.assignment_end(
        actor=request.user, assignment=found, ended_on=payload.ended_on, reason=payload.reason
    )
    return {"count": handed}


@router.post("/grids/{grid_id}/placements", response=PlacementOut)
def placement(request: HttpRequest, grid_id: Id, payload: PlacementIn) -> Any:
    """Puts an enterprise of the grid's county in the grid by hand."""
    grid = _managed_grid(request, grid_id)
    enterprise = enterprise_get(request.user, payload.enterprise_id)
    return services.enterprise_place(actor=request.user, enterprise=enterprise, grid=grid)


# --- duty lists and plans -----------------------------------------------------------------------


@router.get("/duty-lists", response=list[DutyListOut])
def duty_lists(request: HttpRequest) -> list[Any]:
    """The duty lists in force today in the caller's counties."""
    require_grid_reader(request.user)
    return selectors.duty_lists_current(request.user, on=timezone.localdate())


@router.post("/duty-lists", response={201: DutyListOut})
def duty_list_set(request: HttpRequest, payload: DutyListIn) -> Status:
    """Publishes a county's duty list for a grid role from a date."""
    require_grid_planner(request.user)
    county = _region(request, payload.county, "county")
    if county is None:
        raise InvalidInput(_("Choose a county."), "county")
    found = services.duty_list_set(
        actor=request.user,
        county=county,
        grid_role=payload.grid_role,
        valid_from=payload.valid_from,
        items=list(payload.items),
        checklist=payload.checklist,
    )
    return Status(201, found)


@router.get("/plans", response=list[PlanOut])
def plans(request: HttpRequest) -> list[ScreeningPlan]:
    return list(selectors.plans_visible(request.user)[:500])


@router.post("/plans", response={201: PlanOut})
def plan_create(request: HttpRequest, payload: PlanIn) -> Status:
    """Plans a campaign; its tasks are made at once."""
    require_grid_planner(request.user)
    region = _region(request, payload.region)
    found = services.campaign_create(
        actor=request.user,
        name=payload.name,
        target=payload.target,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        region=None if region is None or region.level == Region.Level.PROVINCE else region,
        industry_codes=list(payload.industry_codes),
        note=payload.note,
    )
    return Status(201, found)


# --- coverage -----------------------------------------------------------------------------------


@router.get("/coverage", response=list[CoverageOut])
def coverage(request: HttpRequest, params: Query[CoverageIn]) -> list[dict[str, Any]]:
    """Coverage by `level` (city, county, township, grid) inside `region` (default: the
    caller's), for screenings due from `from` to `to` (default: the last 90 days)."""
    require_grid_official(request.user)
    today = timezone.localdate()
    if params.level and params.level not in cov.LEVELS:
        raise InvalidInput(_("Choose city, county, township or grid."), "level")
    start = params.start or today - dt.timedelta(days=89)
    end = params.end or today
    if end < start:
        raise InvalidInput(_("The end is before the start."), "to")
    region = _region(request, params.region) or home_region(request.user)
    rows = cov.coverage(
        request.user,
        level=params.level or "grid",
        window=cov.Window(start, end),
        today=today,
        within=region,
    )
    return [
        {
            "level": r.level,
            "id": r.key,
            "code": r.code,
            "name": r.name,
            "due": r.due,
            "on_time": r.on_time,
            "on_time_share": r.on_time_share,
            "overdue": r.overdue,
            "screenings": r.screenings,
            "findings": r.findings,
            "findings_per_100": r.findings_per_100,
            "far": r.far,
            "enterprises": r.enterprises,
            "never": r.never,
            "not_in_period": r.not_in_period,
            "workers": r.workers,
            "idle": r.idle,
            "links": r.links,
        }
        for r in rows
    ]
