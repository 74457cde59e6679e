"""The field app's API at /api/v1/field: a grid worker's tasks with the enterprise card and
the checklist, and the sync of a phone's outbox. The phone's pages call the sync with their
session (and the CSRF token); a client system calls the same with a bearer token."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from yufang.accounts.models import Role
from yufang.accounts.scoping import require_role
from yufang.field import services
from yufang.grid import selectors as grid_selectors
from yufang.support.bounds import Id, Name, Note

router = Router(tags=["field"])

Key = Annotated[str, Field(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Latitude = Annotated[Decimal, Field(ge=-90, le=90, max_digits=12, decimal_places=8)]
Longitude = Annotated[Decimal, Field(ge=-180, le=180, max_digits=12, decimal_places=8)]
Accuracy = Annotated[Decimal, Field(ge=0, le=100000, max_digits=9, decimal_places=3)]
Answer = Annotated[str, Field(max_length=8)]
# A photo as the phone keeps it: a data URL (or plain base64) of at most about 5 MB of image.
PhotoData = Annotated[str, Field(max_length=7_000_000)]


class FieldTaskOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    plan: str
    period_start: dt.date
    period_end: dt.date
    due_on: dt.date
    overdue: bool
    distance_m: int | None
    url: str


class HazardBrief(Schema):
    id: int
    level: str
    description: str
    deadline: dt.date | None


class TaskCardOut(Schema):
    task: FieldTaskOut
    status: str
    mine: bool
    industry: str
    contact_person: str
    contact_phone: str
    map_url: str
    last_screened_at: dt.datetime | None
    open_hazards: list[HazardBrief]
    checklist: list[str]


class EntryIn(Schema):
    key: Key
    kind: Literal["screening", "hazard"]
    task_id: Id | None = None
    enterprise_id: Id | None = None
    screening_key: Key | None = None
    done_at: dt.datetime | None = None
    answers: dict[Note, Answer] = Field(default_factory=dict, max_length=100)
    note: Note = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    accuracy_m: Accuracy | None = None
    photos: list[PhotoData] = Field(default_factory=list, max_length=10)
    topic: Name = ""
    level: Name = ""
    description: Note = ""
    location: Name = ""


class SyncIn(Schema):
    entries: list[EntryIn] = Field(..., max_length=500)


class EntryResultOut(Schema):
    key: str
    kind: str
    status: Literal["done", "replayed", "conflict", "invalid"]
    id: int | None
    reason: str
    message: str
    field: str
    notes: list[str]


class SyncOut(Schema):
    results: list[EntryResultOut]


def _task_out(task: Any, on: dt.date) -> dict[str, Any]:
    e = task.enterprise
    return {
        "id": task.pk,
        "enterprise_id": e.pk,
        "enterprise": e.name,
        "address": e.address,
        "latitude": e.latitude,
        "longitude": e.longitude,
        "plan": task.plan.label,
        "period_start": task.period_start,
        "period_end": task.period_end,
        "due_on": task.due_on,
        "overdue": task.due_on < on,
        "distance_m": getattr(task, "distance_m", None),
        "url": reverse("field:task", args=[task.pk]),
    }


class Position(Schema):
    latitude: Latitude | None = None
    longitude: Longitude | None = None


@router.get("/tasks", response=list[FieldTaskOut])
def tasks(request: HttpRequest, position: Query[Position]) -> list[dict[str, Any]]:
    """The grid worker's open tasks due by the end of this week (overdue ones too), nearest
    first when the phone's position is given."""
    require_role(request.user, Role.GRID_WORKER)
    on = timezone.localdate()
    found = grid_selectors.tasks_nearest_first(
        grid_selectors.worker_tasks(request.user, on=on),
        latitude=position.latitude,
        longitude=position.longitude,
    )
    return [_task_out(t, on) for t in found]


@router.get("/tasks/{task_id}", response=TaskCardOut)
def task(request: HttpRequest, task_id: Id) -> dict[str, Any]:
    """A task with its enterprise card (what it does, contacts, map link, open hazards, last
    screening) and the checklist to answer. A task outside the worker's grids is 404."""
    require_role(request.user, Role.GRID_WORKER)
    user = request.user
    found = grid_selectors.task_get(user, task_id)
    card = grid_selectors.enterprise_card(user, found.enterprise)
    last = card["last_screening"]
    return {
        "task": _task_out(found, timezone.localdate()),
        "status": found.status,
        "mine": found.worker_id in (None, user.pk),
        "industry": card["industry"],
        "contact_person": card["contact_person"],
        "contact_phone": card["contact_phone"],
        "map_url": card["map_url"],
        "last_screened_at": last.done_at if last else None,
        "open_hazards": [
            {"id": h.pk, "level": h.level, "description": h.description, "deadline": h.deadline}
            for h in card["open_hazards"]
        ],
        "checklist": grid_selectors.duty_checklist(user, found),
    }


@router.post("/sync", response=SyncOut, url_name="field_sync")
def sync(request: HttpRequest, payload: SyncIn) -> dict[str, Any]:
    """Receives a phone's outbox. Each entry has the key the phone made for it and is answered
    on its own: `done` (received now), `replayed` (received earlier: nothing added), `conflict`
    (the task was reassigned, cancelled, already done, the enterprise closed; `reason` and
    `message` say which) or `invalid` (`field` and `message` say what to correct). A batch that
    cannot be read (a key missing or given twice, an unknown kind) is a 422 naming the field."""
    entries = [
        services.Entry(
            **entry.dict(exclude={"screening_key"}), screening_key=entry.screening_key or ""
        )
        for entry in payload.entries
    ]
    results = services.outbox_sync(actor=request.user, entries=entries)
    return {"results": [r.__dict__ for r in results]}
