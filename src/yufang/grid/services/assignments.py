"""Grid workers on grids: assigning, ending an assignment (their open tasks go to the grid's
others), and reassigning tasks by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yufang.accounts.models import Role, User
from yufang.audit.services import audit_create, audit_event, audit_update, snapshot
from yufang.grid.models import GridAssignment, GridRole, ScreeningTask, TaskStatus
from yufang.grid.services.common import (
    GridInvalid,
    balanced_pick,
    grid_worker_ids,
    open_loads,
    require_manages_grid,
    today,
)
from yufang.regions.models import Grid


@transaction.atomic
def assignment_add(
    *,
    actor: Any,
    grid: Grid,
    worker: User,
    grid_role: str = GridRole.FULL_TIME,
    started_on: dt.date | None = None,
) -> GridAssignment:
    """Assigns a grid worker to a grid (one more grid for them, one more worker for it)."""
    require_manages_grid(actor, grid)
    errors: dict[str, str] = {}
    if worker.role != Role.GRID_WORKER or not worker.is_active:
        errors["worker"] = _("Only an active grid worker's account can be assigned to a grid.")
    if grid_role not in GridRole.values:
        errors["grid_role"] = _("Unknown grid role.")
    if errors:
        raise GridInvalid(errors)
    if GridAssignment.objects.filter(grid=grid, worker=worker, ended_on__isnull=True).exists():
        raise GridInvalid(_("This grid worker already works this grid."), "worker")
    assignment = GridAssignment.objects.create(
        grid=grid,
        worker=worker,
        grid_role=grid_role,
        started_on=started_on or today(),
        created_by=actor,
    )
    audit_create(actor, assignment)
    return assignment


@transaction.atomic
def assignment_end(
    *, actor: Any, assignment: GridAssignment, ended_on: dt.date | None = None, reason: str = ""
) -> int:
    """Ends an assignment; the worker's open tasks in that grid go to the grid's other
    workers, balanced. Returns how many tasks were handed over."""
    require_manages_grid(actor, assignment.grid)
    assignment = GridAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_on is not None:
        raise GridInvalid(_("This assignment has already ended."), "ended_on")
    ended_on = ended_on or today()
    if ended_on < assignment.started_on:
        raise GridInvalid(_("An assignment cannot end before it started."), "ended_on")
    before = snapshot(assignment)
    assignment.ended_on = ended_on
    assignment.save(update_fields=["ended_on"])
    audit_update(actor, assignment, before, reason=reason)
    tasks = ScreeningTask.objects.filter(
        grid_id=assignment.grid_id, worker_id=assignment.worker_id, status=TaskStatus.OPEN
    )
    others = [w for w in grid_worker_ids(assignment.grid_id) if w != assignment.worker_id]
    return _hand_over(actor, tasks, others, reason=reason or _("assignment ended"))


@transaction.atomic
def worker_leave(*, actor: Any, worker: User, ended_on: dt.date | None = None) -> int:
    """A worker leaves (or falls sick): every assignment of theirs that the actor manages
    ends and their open tasks go to each grid's others. Returns the tasks handed over."""
    handed = 0
    assignments = GridAssignment.objects.filter(worker=worker, ended_on__isnull=True)
    for assignment in assignments.select_related("grid"):
        handed += assignment_end(actor=actor, assignment=assignment, ended_on=ended_on)
    return handed


def _hand_over(actor: Any, tasks: Any, worker_ids: list[int], *, reason: str) -> int:
    loads = open_loads(worker_ids)
    changed: list[ScreeningTask] = []
    for task in tasks.select_for_update().order_by("due_on", "pk"):
        task.worker_id = balanced_pick(loads)
        changed.append(task)
    ScreeningTask.objects.bulk_update(changed, ["worker"], batch_size=1000)
    if changed:
        audit_event(
            actor,
            changed[0],
            "update",
            reason=_("%(n)s tasks handed over: %(why)s") % {"n": len(changed), "why": reason},
        )
    return len(changed)


@transaction.atomic
def tasks_reassign(
    *, actor: Any, task_ids: Iterable[int], to_worker: User | None = None, reason: str = ""
) -> int:
    """Gives open tasks to another worker of their grid (`to_worker`), or spreads them over
    the grid's other workers, balanced (`to_worker` None). Returns how many moved."""
    ids = sorted({int(i) for i in task_ids})
    if not ids:
        raise GridInvalid(_("Choose at least one task."), "task_ids")
    tasks = list(
        ScreeningTask.objects.select_for_update(of=("self",))
        .select_related("grid")
        .filter(pk__in=ids)
    )
    if len(tasks) != len(ids):
        raise GridInvalid(_("Some of these tasks do not exist."), "task_ids")
    moved = 0
    by_grid: dict[int, list[ScreeningTask]] = {}
    for task in tasks:
        require_manages_grid(actor, task.grid)
        if task.status != TaskStatus.OPEN:
            raise GridInvalid(_("Only open tasks can be reassigned."), "task_ids")
        by_grid.setdefault(task.grid_id, []).append(task)
    for grid_id, grid_tasks in by_grid.items():
        workers = grid_worker_ids(grid_id)
        if to_worker is not None:
            if to_worker.pk not in workers:
                raise GridInvalid(_("This grid worker does not work the task's grid."), "worker")
            for task in grid_tasks:
                task.worker_id = to_worker.pk
        else:
            current = {t.worker_id for t in grid_tasks}
            others = [w for w in workers if w not in current] or workers
            if not others:
                raise GridInvalid(_("The grid has no other worker to take the tasks."), "worker")
            loads = open_loads(others)
            for task in grid_tasks:
                task.worker_id = balanced_pick(loads)
        ScreeningTask.objects.bulk_update(grid_tasks, ["worker"])
        moved += len(grid_tasks)
    audit_event(
        actor,
        tasks[0],
        "update",
        reason=reason or _("%(n)s tasks reassigned") % {"n": moved},
    )
    return moved
