"""A task's page, a screening's page and photos, and the grid worker's own record of work
done (the field app links to it)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping.grid import require_grid_reader
from yufang.grid import selectors
from yufang.grid.models import ScreeningPhoto, TaskStatus
from yufang.support.http import private_file_response


@login_required
def task(request: AuthedRequest, pk: int) -> HttpResponse:
    t = selectors.task_get(request.user, pk)
    screening = getattr(t, "screening", None) if t.status == TaskStatus.DONE else None
    return render(
        request,
        "grid/task.html",
        {"task": t, "screening": screening, "today": timezone.localdate()},
    )


@login_required
def screening(request: AuthedRequest, pk: int) -> HttpResponse:
    s = selectors.screening_get(request.user, pk)
    return render(request, "grid/screening.html", {"screening": s})


@login_required
def photo(request: AuthedRequest, pk: int) -> HttpResponseBase:
    require_grid_reader(request.user)
    found = (
        ScreeningPhoto.objects.filter(
            pk=pk, screening__in=selectors.screenings_visible(request.user)
        )
        .only("image_path")
        .first()
    )
    if found is None:
        raise Http404
    return private_file_response(found.image_path)


@login_required
def my_work(request: AuthedRequest) -> HttpResponse:
    """A grid worker's own record: screenings done by month, and each one."""
    user = request.user
    if user.role != Role.GRID_WORKER:
        raise PermissionDenied(_("This page is a grid worker's own record of work."))
    today = timezone.localdate()
    mine = selectors.screenings_visible(user).filter(worker=user)
    month_start = today.replace(day=1)
    open_tasks = selectors.worker_week(user, on=today)
    overdue = open_tasks.filter(due_on__lt=today).count()
    figures = {
        "this_month": mine.filter(done_at__date__gte=month_start).count(),
        "last_30": mine.filter(done_at__date__gte=today - dt.timedelta(days=29)).count(),
        "total": mine.count(),
        "open": open_tasks.count(),
        "overdue": overdue,
        "findings": mine.filter(findings__isnull=False).distinct().count(),
        "far": mine.filter(far_from_enterprise=True).count(),
    }
    page = Paginator(
        mine.select_related("enterprise", "grid").order_by("-done_at", "-pk"), 30
    ).get_page(request.GET.get("page"))
    grids = selectors.grids_visible(user).order_by("code")
    return render(
        request,
        "grid/my_work.html",
        {"figures": figures, "page_obj": page, "grids": grids, "open_tasks": open_tasks[:30]},
    )
