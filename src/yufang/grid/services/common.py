"""What the grid services share: the error, who may manage a grid, the grid's workers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role, User
from yufang.accounts.scoping.grid import may_manage_grid
from yufang.grid.models import GridAssignment, ScreeningTask, TaskStatus
from yufang.grid.services.coverage_counts import tasks_counted
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Grid


class GridInvalid(InvalidInput):
    """Input about grids, assignments, plans or screenings that a user must correct."""


def require_manages_grid(actor: Any, grid: Grid) -> None:
    if not may_manage_grid(actor, grid):
        raise PermissionDenied(_("You cannot manage this grid."))


def today() -> dt.date:
    return timezone.localdate()


def grid_worker_ids(grid_id: int) -> list[int]:
    """The active grid workers of a grid now: assigned to it, or bound to it by their account."""
    assigned = GridAssignment.objects.filter(grid_id=grid_id, ended_on__isnull=True).values(
        "worker_id"
    )
    return list(
        User.objects.filter(role=Role.GRID_WORKER, is_active=True)
        .filter(Q(pk__in=assigned) | Q(grid_id=grid_id))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def open_loads(worker_ids: list[int]) -> dict[int, int]:
    """Each worker's number of open tasks (what balancing evens out)."""
    loads = dict.fromkeys(worker_ids, 0)
    for row in (
        ScreeningTask.objects.filter(worker_id__in=worker_ids, status=TaskStatus.OPEN)
        .values("worker_id")
        .annotate(n=Count("pk"))
    ):
        loads[row["worker_id"]] = row["n"]
    return loads


def balanced_pick(loads: dict[int, int]) -> int | None:
    """The worker with the fewest open tasks (lowest id on a tie); counts the task given."""
    if not loads:
        return None
    worker = min(loads, key=lambda w: (loads[w], w))
    loads[worker] += 1
    return worker


def tasks_cancel(tasks: Any, *, reason: str) -> None:
    """Cancels the open ones of `tasks` (a queryset), saying why, and takes them out of the
    coverage counts. A phone that screened one offline is told so at its sync."""
    cancelled = tasks.filter(status=TaskStatus.OPEN)
    tasks_counted(cancelled, -1)
    cancelled.update(
        status=TaskStatus.CANCELLED, closed_at=timezone.now(), cancel_reason=reason[:200]
    )
