"""Factories for the grid module's records (on top of the shared ones)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from yufang.accounts.models import Role, User
from yufang.grid.models import GridAssignment, ScreeningTask, TaskStatus
from yufang.grid.services import routine_plan
from yufang.grid.services.coverage_counts import tasks_counted
from yufang.regions.models import Grid
from yufang.tests.factories import persona


def grid_worker(grid: Grid, **extra: Any) -> User:
    """A grid worker assigned to `grid` (their account's grid too)."""
    worker = persona(Role.GRID_WORKER, grid=grid, **extra)
    GridAssignment.objects.create(grid=grid, worker=worker, started_on=dt.date(2026, 1, 1))
    return worker


def task(
    enterprise: Any,
    *,
    worker: User | None = None,
    due_on: dt.date | None = None,
    period_start: dt.date | None = None,
    status: str = TaskStatus.OPEN,
    plan: Any = None,
) -> ScreeningTask:
    today = timezone.localdate()
    # A task due a few days ago, on the first days of a month, began the month before.
    start = period_start or min(today.replace(day=1), due_on or today)
    due = due_on or max(today, start)
    made = ScreeningTask.objects.create(
        enterprise=enterprise,
        grid_id=enterprise.grid_id,
        worker=worker,
        plan=plan or routine_plan(),
        period_start=start,
        period_end=due,
        due_on=due,
        status=status,
        created_at=timezone.now(),
    )
    # Made past the services, so counted here as generation would.
    tasks_counted(ScreeningTask.objects.filter(pk=made.pk))
    return made
