"""A task's page (its progress reports, reporting progress with evidence), its evidence
files, and the follow-up board per meeting and per department, exportable to Excel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from yufang.council import selectors, services
from yufang.council.models import TaskStatus
from yufang.council.views.common import render_page
from yufang.lib.errors import InvalidInput
from yufang.organisations.models import Department
from yufang.support.bounds import bounded_id
from yufang.support.http import private_file_response, spreadsheet_response


@login_required
def task(request: HttpRequest, pk: int) -> HttpResponse:
    t = selectors.task_get(request.user, pk)
    errors: dict[str, str] = {}
    p = request.POST
    if request.method == "POST":
        try:
            if p.get("action") == "reopen":
                services.task_reopen(actor=request.user, task=t, reason=p.get("note", ""))
                messages.success(request, _("Task sent back to the department."))
            else:
                services.progress_report(
                    actor=request.user,
                    task=t,
                    note=p.get("note", ""),
                    evidence=request.FILES.get("evidence"),
                    completes=p.get("completes") == "1",
                )
                messages.success(request, _("Progress reported."))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            return redirect("council:task", pk=t.pk)
    return render_page(
        request,
        "council/task.html",
        {
            "tab": "board",
            "t": t,
            "reports": selectors.reports_of(t),
            "actions": selectors.task_actions(request.user, t),
            "done": TaskStatus.DONE,
            "errors": errors,
            "data": p,
        },
    )


@login_required
def evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    return private_file_response(selectors.evidence_get(request.user, pk).evidence_path)


STATUS_FILTERS = ("", "open", "overdue", "done")


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The tasks of the joint meetings a user reads, by meeting and by department."""
    selectors.require_reader(request.user)
    status = request.GET.get("status", "")
    f = selectors.BoardFilter(
        meeting=bounded_id(request.GET.get("meeting")),
        department=bounded_id(request.GET.get("department")),
        status=status if status in STATUS_FILTERS else "",
    )
    board_data = selectors.task_board(request.user, f)
    if request.GET.get("export") in ("xlsx", "csv"):
        return spreadsheet_response(
            _("joint-meeting tasks"),
            selectors.BOARD_HEADERS,
            selectors.board_export_rows(board_data["tasks"]),
            kind=request.GET["export"],
        )
    meetings = selectors.meetings_visible(request.user).order_by("-held_on")[:100]
    departments = Department.objects.filter(
        pk__in=selectors.tasks_visible(request.user).values("department_id")
    ).order_by("region__code", "code")
    chosen_meeting = next((m for m in meetings if m.pk == f.meeting), None)
    chosen_department = next((d for d in departments if d.pk == f.department), None)
    return render_page(
        request,
        "council/board.html",
        {
            "tab": "board",
            "board": board_data,
            "f": f,
            "meetings": meetings,
            "departments": departments,
            "chosen_meeting": chosen_meeting,
            "chosen_department": chosen_department,
            "statuses": [
                ("", _("All")),
                ("open", _("In progress")),
                ("overdue", _("Overdue")),
                ("done", _("Done")),
            ],
            "query": request.GET.urlencode(),
            "done": TaskStatus.DONE,
        },
    )
