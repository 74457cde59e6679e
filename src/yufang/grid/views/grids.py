"""A grid's page (its workers, enterprises and open tasks) and what a county official does
there: assign and release workers, reassign tasks, place enterprises."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role, User
from yufang.accounts.scoping import regions_visible
from yufang.accounts.scoping.grid import (
    may_manage_grid,
    require_grid_planner,
    require_grid_reader,
)
from yufang.enterprises.selectors import enterprises_visible
from yufang.grid import selectors, services
from yufang.grid.models import GridRole, TaskStatus
from yufang.grid.services.common import grid_worker_ids
from yufang.grid.views.common import int_or_none, report
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region


@login_required
def grid(request: AuthedRequest, pk: int) -> HttpResponse:
    grid = selectors.grid_get(request.user, pk)
    today = timezone.localdate()
    worker_ids = grid_worker_ids(grid.pk)
    workers = list(User.objects.filter(pk__in=worker_ids).order_by("full_name", "pk"))
    assignments = (
        selectors.assignments_visible(request.user)
        .filter(grid=grid, ended_on__isnull=True)
        .select_related("worker")
        .order_by("worker__full_name")
    )
    tasks = (
        selectors.tasks_visible(request.user)
        .filter(grid=grid, status=TaskStatus.OPEN)
        .select_related("enterprise", "worker", "plan")
        .order_by("due_on", "pk")
    )
    load = {w.pk: 0 for w in workers}
    overdue = {w.pk: 0 for w in workers}
    for t in tasks:
        if t.worker_id in load:
            load[t.worker_id] += 1
            if t.due_on < today:
                overdue[t.worker_id] += 1
    for w in workers:
        w.open_tasks = load[w.pk]  # type: ignore[attr-defined]
        w.overdue_tasks = overdue[w.pk]  # type: ignore[attr-defined]
    may_manage = may_manage_grid(request.user, grid)
    candidates = (
        User.objects.filter(role=Role.GRID_WORKER, is_active=True, grid__county_id=grid.county_id)
        .exclude(pk__in=worker_ids)
        .order_by("full_name")[:200]
        if may_manage
        else []
    )
    enterprises = enterprises_visible(request.user).filter(grid=grid).order_by("name")
    return render(
        request,
        "grid/grid_detail.html",
        {
            "grid": grid,
            "workers": workers,
            "assignments": assignments,
            "tasks": tasks[:200],
            "task_count": tasks.count(),
            "may_manage": may_manage,
            "candidates": candidates,
            "grid_roles": GridRole.choices,
            "enterprises": enterprises[:100],
            "enterprise_count": enterprises.count(),
            "today": today,
        },
    )


def _managed_grid(request: AuthedRequest, pk: int):  # type: ignore[no-untyped-def]
    grid = selectors.grid_get(request.user, pk)
    if not may_manage_grid(request.user, grid):
        raise PermissionDenied(_("You cannot manage this grid."))
    return grid


@login_required
@require_POST
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    grid = _managed_grid(request, pk)
    worker_id = int_or_none(request.POST.get("worker"))
    worker = User.objects.filter(pk=worker_id, role=Role.GRID_WORKER).first() if worker_id else None
    try:
        if worker is None:
            raise InvalidInput(_("Choose a grid worker."), "worker")
        services.assignment_add(
            actor=request.user,
            grid=grid,
            worker=worker,
            grid_role=request.POST.get("grid_role", GridRole.FULL_TIME),
        )
    except InvalidInput as error:
        report(request, error)
    else:
        messages.success(request, _("%(name)s now works this grid.") % {"name": worker.full_name})
    return redirect("grid:grid", pk=grid.pk)


@login_required
@require_POST
def assignment_end(request: AuthedRequest, pk: int) -> HttpResponse:
    require_grid_reader(request.user)
    assignment = get_object_or_404(selectors.assignments_visible(request.user), pk=pk)
    if not may_manage_grid(request.user, assignment.grid):
        raise PermissionDenied(_("You cannot manage this grid."))
    try:
        handed = services.assignment_end(
            actor=request.user, assignment=assignment, reason=request.POST.get("reason", "")[:200]
        )
    except InvalidInput as error:
        report(request, error)
    else:
        messages.success(
            request,
            _("The assignment has ended; %(n)s open tasks went to the grid's other workers.")
            % {"n": handed},
        )
    return redirect("grid:grid", pk=assignment.grid_id)


@login_required
@require_POST
def reassign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Reassigns the chosen tasks, or all open tasks of one worker (`from_worker`), to one
    worker (`worker`) or balanced over the grid's others (`worker` empty)."""
    grid = _managed_grid(request, pk)
    ids = [i for i in (int_or_none(v) for v in request.POST.getlist("task")) if i is not None]
    from_worker = int_or_none(request.POST.get("from_worker"))
    if from_worker is not None:
        ids += list(
            selectors.tasks_visible(request.user)
            .filter(grid=grid, status=TaskStatus.OPEN, worker_id=from_worker)
            .values_list("pk", flat=True)
        )
    to_id = int_or_none(request.POST.get("worker"))
    to_worker = User.objects.filter(pk=to_id).first() if to_id else None
    try:
        if to_id and to_worker is None:
            raise InvalidInput(_("Choose a grid worker."), "worker")
        if not ids:
            raise InvalidInput(_("Choose at least one task."), "task_ids")
        visible = set(
            selectors.tasks_visible(request.user)
            .filter(grid=grid, pk__in=ids)
            .values_list("pk", flat=True)
        )
        if visible != set(ids):
            raise Http404
        moved = services.tasks_reassign(
            actor=request.user,
            task_ids=ids,
            to_worker=to_worker,
            reason=request.POST.get("reason", "")[:200],
        )
    except InvalidInput as error:
        report(request, error)
    else:
        messages.success(request, _("%(n)s tasks reassigned.") % {"n": moved})
    return redirect("grid:grid", pk=grid.pk)


@login_required
@require_POST
def place(request: AuthedRequest, pk: int) -> HttpResponse:
    """Puts an enterprise (by its credit code) in this grid by hand."""
    grid = _managed_grid(request, pk)
    code = request.POST.get("credit_code", "").strip().upper()[:18]
    enterprise = enterprises_visible(request.user).filter(credit_code=code).first()
    try:
        if enterprise is None:
            raise InvalidInput(_("No enterprise in your area has this credit code."), "enterprise")
        services.enterprise_place(actor=request.user, enterprise=enterprise, grid=grid)
    except InvalidInput as error:
        report(request, error)
    else:
        messages.success(request, _("%(name)s is now in this grid.") % {"name": enterprise.name})
    return redirect("grid:grid", pk=grid.pk)


@login_required
@require_POST
def place_automatically(request: AuthedRequest) -> HttpResponse:
    """Places the county's enterprises with coordinates but no grid in the nearest grid
    centre of their township."""
    require_grid_planner(request.user)
    code = request.POST.get("county", "").strip()[:12]
    county = (
        regions_visible(request.user).filter(code=code, level=Region.Level.COUNTY).first()
        if code
        else (request.user.region if request.user.role == Role.COUNTY_OFFICIAL else None)
    )
    if county is None:
        messages.error(request, _("Choose a county."))
        return redirect("grid:index")
    try:
        placed, left = services.enterprises_place_automatically(actor=request.user, county=county)
    except InvalidInput as error:
        report(request, error)
    else:
        messages.success(
            request,
            _("%(placed)s enterprises placed automatically; %(left)s left to place by hand.")
            % {"placed": placed, "left": left},
        )
    return redirect(f"{reverse('grid:index')}?region={county.code}&level=grid")
