"""The grid module's reads. Every selector takes the user and returns only what they may see
(`accounts/scoping/grid.py`); a record outside the scope is not found (404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from yufang.accounts.models import Role
from yufang.accounts.scoping.grid import (
    by_grid,
    duty_lists_read,
    grids_read,
    require_grid_reader,
)
from yufang.grid.geo import distance_m
from yufang.grid.models import (
    DutyItem,
    DutyList,
    GridAssignment,
    GridRole,
    Screening,
    ScreeningPlan,
    ScreeningTask,
    TaskStatus,
)
from yufang.regions.models import Grid

WEEK = dt.timedelta(days=6)


def grids_visible(user: Any) -> QuerySet[Grid]:
    return grids_read(user, Grid.objects.all())


def grid_get(user: Any, pk: int) -> Grid:
    require_grid_reader(user)
    grid = grids_visible(user).select_related("city", "county", "township").filter(pk=pk).first()
    if grid is None:
        raise Http404
    return grid


def tasks_visible(user: Any) -> QuerySet[ScreeningTask]:
    return by_grid(user, ScreeningTask.objects.all())


def task_get(user: Any, pk: int) -> ScreeningTask:
    require_grid_reader(user)
    task = (
        tasks_visible(user)
        .select_related("enterprise", "grid", "worker", "plan")
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def screenings_visible(user: Any) -> QuerySet[Screening]:
    return by_grid(user, Screening.objects.all())


def screening_get(user: Any, pk: int) -> Screening:
    require_grid_reader(user)
    found = (
        screenings_visible(user)
        .select_related("enterprise", "grid", "worker", "task")
        .prefetch_related("photos", "findings")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def assignments_visible(user: Any) -> QuerySet[GridAssignment]:
    return by_grid(user, GridAssignment.objects.all())


def worker_tasks(
    user: Any,
    *,
    on: dt.date,
    latitude: float | Decimal | None = None,
    longitude: float | Decimal | None = None,
) -> QuerySet[ScreeningTask]:
    """A grid worker's open tasks to do now: their own and the unassigned ones of their
    grids whose period has begun by the end of the week of `on` (overdue ones included),
    soonest due first. With the phone's position the caller sorts by distance
    (`tasks_nearest_first`); the due date says which are today's and the week's."""
    require_grid_reader(user)
    return (
        tasks_visible(user)
        .filter(status=TaskStatus.OPEN, period_start__lte=on + WEEK)
        .filter(Q(worker=user) | Q(worker__isnull=True))
        .select_related("enterprise", "grid", "plan")
        .order_by("due_on", "enterprise__name", "pk")
    )


def worker_week(user: Any, *, on: dt.date) -> QuerySet[ScreeningTask]:
    """All the worker's open tasks of their current periods (what the week's list shows)."""
    require_grid_reader(user)
    return (
        tasks_visible(user)
        .filter(status=TaskStatus.OPEN, period_start__lte=on)
        .filter(Q(worker=user) | Q(worker__isnull=True))
        .select_related("enterprise", "grid", "plan")
        .order_by("due_on", "enterprise__name", "pk")
    )


def working_days(start: dt.date, end: dt.date) -> int:
    """Monday to Friday from `start` to `end`, both counted (no holiday calendar yet)."""
    if end < start:
        return 0
    days = (end - start).days + 1
    weeks, rest = divmod(days, 7)
    extra = sum(1 for i in range(rest) if (start.weekday() + i) % 7 < 5)
    return weeks * 5 + extra


def daily_pace(due_dates: list[dt.date], *, on: dt.date) -> int:
    """How many screenings a day keep every deadline: for each due date, the tasks due by
    then over the working days left until it; the highest of these (the earliest deadline
    first, so a worker who keeps the pace is never late)."""
    pace, count = 0, 0
    for due in sorted(d for d in due_dates if d >= on):
        count += 1
        pace = max(pace, -(-count // max(1, working_days(on, due))))
    return pace


def tasks_nearest_first(
    tasks: Any, *, latitude: float | Decimal | None, longitude: float | Decimal | None
) -> list[ScreeningTask]:
    """The tasks as a list, nearest enterprise first when the position is known (each task
    gets `distance_m`, None where the enterprise has no coordinates; those come last)."""
    found = list(tasks)
    for task in found:
        e = task.enterprise
        task.distance_m = (  # type: ignore[attr-defined]
            distance_m(latitude, longitude, e.latitude, e.longitude)
            if latitude is not None
            and longitude is not None
            and e.latitude is not None
            and e.longitude is not None
            else None
        )
    if latitude is None or longitude is None:
        return found
    return sorted(
        found,
        key=lambda t: (t.distance_m is None, t.distance_m or 0, t.due_on),  # type: ignore[attr-defined]
    )


def enterprise_card(user: Any, enterprise: Any) -> dict[str, Any]:
    """What a grid worker needs at the gate: what the enterprise makes, its open hazards, its
    last screening, its contacts and a map link. 404 outside the user's scope."""
    from yufang.enterprises.selectors import enterprise_get
    from yufang.hazards.selectors import HazardFilter, hazards_visible

    require_grid_reader(user)
    enterprise = enterprise_get(user, enterprise.pk)
    hazards = list(
        HazardFilter(open=True, enterprise=enterprise.pk)
        .apply(hazards_visible(user))
        .order_by("deadline", "pk")[:20]
    )
    last = (
        screenings_visible(user)
        .filter(enterprise=enterprise)
        .select_related("worker")
        .order_by("-done_at", "-pk")
        .first()
    )
    map_url = ""
    if enterprise.latitude is not None and enterprise.longitude is not None:
        map_url = (
            "https://uri.amap.com/marker?position="
            f"{enterprise.longitude},{enterprise.latitude}&name={enterprise.name}"
        )
    return {
        "enterprise": enterprise,
        "industry": str(enterprise.industry) if enterprise.industry_id else "",
        "address": enterprise.address,
        "contact_person": enterprise.contact_person,
        "contact_phone": enterprise.contact_phone,
        "open_hazards": hazards,
        "last_screening": last,
        "map_url": map_url,
        "latitude": enterprise.latitude,
        "longitude": enterprise.longitude,
    }


def duty_list_in_force(county_id: int, grid_role: str, on: dt.date) -> DutyList | None:
    return (
        DutyList.objects.filter(county_id=county_id, grid_role=grid_role, valid_from__lte=on)
        .order_by("-valid_from", "-pk")
        .first()
    )


def duty_checklist(user: Any, task: ScreeningTask, *, on: dt.date | None = None) -> list[str]:
    """The short checklist a grid worker answers at a visit: the `in_checklist` items of the
    duty list in force in the task's county for the worker's role in that grid."""
    from django.utils import timezone

    require_grid_reader(user)
    on = on or timezone.localdate()
    assignment = GridAssignment.objects.filter(
        grid_id=task.grid_id, worker_id=user.pk, ended_on__isnull=True
    ).first()
    role = assignment.grid_role if assignment else GridRole.FULL_TIME
    county_id = task.grid.county_id
    duty = duty_list_in_force(county_id, role, on) or duty_list_in_force(
        county_id, GridRole.FULL_TIME, on
    )
    if duty is None:
        return []
    return list(
        DutyItem.objects.filter(duty_list=duty, in_checklist=True)
        .order_by("position")
        .values_list("text", flat=True)
    )


def duty_lists_visible(user: Any) -> QuerySet[DutyList]:
    return duty_lists_read(user, DutyList.objects.all())


def duty_lists_current(user: Any, *, on: dt.date) -> list[DutyList]:
    """The duty list in force for each county and role the user reads, with its items."""
    seen: set[tuple[int, str]] = set()
    current = []
    for duty in (
        duty_lists_visible(user)
        .filter(valid_from__lte=on)
        .select_related("county", "created_by")
        .prefetch_related("items")
        .order_by("county__code", "grid_role", "-valid_from", "-pk")
    ):
        key = (duty.county_id, duty.grid_role)
        if key not in seen:
            seen.add(key)
            current.append(duty)
    return current


def plans_visible(user: Any) -> QuerySet[ScreeningPlan]:
    """Campaigns of the user's region, above it and below it (a county sees the province's
    and its city's drives)."""
    require_grid_reader(user)
    qs = ScreeningPlan.objects.filter(kind="campaign").select_related("region")
    if user.role in (Role.PROVINCE_OFFICIAL, Role.ADMIN) or (
        user.role == Role.AUDITOR and user.region_id is None
    ):
        return qs
    grids = grids_visible(user)
    places = Q(region__isnull=True)
    places |= Q(region__in=grids.values("city_id")) | Q(region__in=grids.values("county_id"))
    places |= Q(region__in=grids.values("township_id"))
    if user.region_id:
        places |= Q(region_id=user.region_id) | Q(region__city_id=user.region_id)
        places |= Q(region__county_id=user.region_id)
    return qs.filter(places)


def task_url(task: ScreeningTask) -> str:
    return reverse("grid:task", args=[task.pk])
