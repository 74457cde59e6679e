"""What the grid module puts on a person's home: a grid worker's overdue and today's
screenings, a county official's lagging grids."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role


def grid_todos(user: Any) -> list[Any]:
    from yufang.support.todos import Todo

    if not getattr(user, "is_authenticated", False):
        return []
    today = timezone.localdate()
    if user.role == Role.GRID_WORKER:
        from yufang.grid.selectors import worker_tasks

        tasks = worker_tasks(user, on=today)
        overdue = tasks.filter(due_on__lt=today).count()
        due = tasks.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=6)).count()
        found = []
        if overdue:
            found.append(
                Todo(
                    _("%(n)s screening tasks are overdue") % {"n": overdue},
                    reverse("grid:my_work"),
                    "danger",
                )
            )
        if due:
            found.append(
                Todo(
                    _("%(n)s screening tasks due this week") % {"n": due},
                    reverse("grid:my_work"),
                    "warning",
                )
            )
        return found
    if user.role == Role.COUNTY_OFFICIAL:
        from yufang.grid.selectors.coverage import overdue_tasks

        n = overdue_tasks(user, today).count()
        if n:
            return [
                Todo(
                    _("%(n)s screening tasks are overdue in your grids") % {"n": n},
                    reverse("grid:index") + "?level=grid",
                    "warning",
                )
            ]
    return []
