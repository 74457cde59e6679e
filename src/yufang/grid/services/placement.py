"""Enterprises into grids: by hand, by import, or automatically to the nearest grid centre
inside the enterprise's township (flagged as automatic)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.scoping.grid import may_manage_grid
from yufang.enterprises.models import Enterprise
from yufang.enterprises.services import enterprise_update
from yufang.grid.geo import distance_m
from yufang.grid.models import GridPlacement, PlacementMethod, ScreeningTask, TaskStatus
from yufang.grid.services.common import (
    GridInvalid,
    balanced_pick,
    grid_worker_ids,
    open_loads,
    tasks_cancel,
)
from yufang.grid.services.coverage_counts import enterprise_grids, screened_moved, tasks_counted
from yufang.regions.models import Grid, Region


@transaction.atomic
def enterprise_place(
    *,
    actor: Any,
    enterprise: Enterprise,
    grid: Grid,
    method: str = PlacementMethod.MANUAL,
    distance: int | None = None,
) -> GridPlacement:
    """Puts an enterprise in a grid of its county (the enterprise registry's `grid`, through
    its service) and records how. Its open tasks follow it to the new grid's workers
    (`registry_watch`)."""
    if method not in PlacementMethod.values:
        raise GridInvalid(_("Unknown way of placing."), "method")
    if not may_manage_grid(actor, grid):
        raise PermissionDenied(_("You cannot manage this grid."))
    if enterprise.county_id != grid.county_id:
        raise GridInvalid(_("The grid is not in the enterprise's county."), "grid")
    if enterprise.grid_id != grid.pk:
        # The registry watcher below moves its open tasks and its screened count.
        enterprise_update(
            actor=actor,
            enterprise=enterprise,
            data={"township": grid.township.code, "grid": grid.code},
        )
    placement, _created = GridPlacement.objects.update_or_create(
        enterprise=enterprise,
        defaults={
            "grid": grid,
            "method": method,
            "distance_m": distance,
            "placed_at": timezone.now(),
            "placed_by": actor,
        },
    )
    return placement


def nearest_grid(
    enterprise: Enterprise, grids: list[Grid], *, max_m: int
) -> tuple[Grid, int] | None:
    """The grid of the enterprise's township whose centre is nearest, within `max_m`."""
    if enterprise.latitude is None or enterprise.longitude is None:
        return None
    best: tuple[Grid, int] | None = None
    for grid in grids:
        if (
            grid.township_id != enterprise.township_id
            or grid.latitude is None
            or grid.longitude is None
        ):
            continue
        d = distance_m(enterprise.latitude, enterprise.longitude, grid.latitude, grid.longitude)
        if d <= max_m and (best is None or d < best[1]):
            best = (grid, d)
    return best


def enterprises_place_automatically(*, actor: Any, county: Region) -> tuple[int, int]:
    """Places the county's enterprises that have coordinates and a township but no grid in
    the nearest grid centre of their township. Returns (placed, left for placing by hand)."""
    if county.level != Region.Level.COUNTY:
        raise GridInvalid(_("Choose a county."), "county")
    max_m = int(policy.value("grid_auto_placement_max_km", on=timezone.localdate())) * 1000
    grids = list(Grid.objects.filter(county=county, latitude__isnull=False))
    if not grids or not any(may_manage_grid(actor, g) for g in grids[:1]):
        if grids:
            raise PermissionDenied(_("You cannot manage this county's grids."))
        return 0, 0
    placed = left = 0
    pending = Enterprise.objects.filter(
        county=county, grid__isnull=True, township__isnull=False, latitude__isnull=False
    ).order_by("pk")
    for enterprise in pending:
        found = nearest_grid(enterprise, grids, max_m=max_m)
        if found is None:
            left += 1
            continue
        enterprise_place(
            actor=actor,
            enterprise=enterprise,
            grid=found[0],
            method=PlacementMethod.AUTOMATIC,
            distance=found[1],
        )
        placed += 1
    return placed, left


def _tasks_follow(moved: dict[int, int]) -> None:
    """The open tasks of enterprises moved to another grid (enterprise → new grid) go to
    the new grid's workers, the least loaded first, and their counts with them."""
    # Locked first, counted through a plain query: PostgreSQL refuses FOR UPDATE with the
    # counts' GROUP BY.
    changed = list(
        ScreeningTask.objects.select_for_update()
        .filter(enterprise_id__in=list(moved), status=TaskStatus.OPEN)
        .order_by("due_on", "pk")
    )
    if not changed:
        return
    tasks = ScreeningTask.objects.filter(pk__in=[t.pk for t in changed])
    tasks_counted(tasks, -1)
    loads: dict[int, dict[int, int]] = {}
    for task in changed:
        grid_id = moved[task.enterprise_id]
        if grid_id not in loads:
            loads[grid_id] = open_loads(grid_worker_ids(grid_id))
        task.grid_id = grid_id
        task.worker_id = balanced_pick(loads[grid_id])
    ScreeningTask.objects.bulk_update(changed, ["grid", "worker"])
    tasks_counted(tasks)


@contextmanager
def registry_watch(enterprise_ids: list[int]) -> Iterator[None]:
    """Around a change to enterprises (in the registry, or their closure): an enterprise that
    changes grid takes its open tasks to the new grid's workers and its place in the grids'
    screened counts with it; one taken out of every grid has its open tasks cancelled; a
    closed one leaves the count. Registered with the enterprises
    app, which calls it around its own writes, so a grid changed on the enterprise's page
    moves its tasks as a placement does."""
    if not enterprise_ids:
        yield
        return
    before = enterprise_grids(enterprise_ids)
    yield
    after = enterprise_grids(enterprise_ids)
    screened_moved(before, after)
    moved = {
        pk: grid
        for pk, (grid, _counted) in after.items()
        if grid is not None and pk in before and before[pk][0] != grid
    }
    if moved:
        _tasks_follow(moved)
    # No grid's worker answers for an enterprise taken out of every grid.
    left = [
        pk
        for pk, (grid, _counted) in after.items()
        if grid is None and pk in before and before[pk][0]
    ]
    if left:
        tasks_cancel(
            ScreeningTask.objects.filter(enterprise_id__in=left),
            reason=_("The enterprise is no longer in any grid."),
        )
