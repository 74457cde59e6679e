"""Reads of the recognition module. Every selector takes the user and returns only what the
scope rules (`accounts/scoping/recognition.py`) let them see: 403 for a role with no business
here, 404 for a record outside the scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.recognition import (
    may_act_for_enterprise,
    may_handle_recognition,
    recognition_records,
    recognition_role,
    require_recognition_reader,
)
from yufang.recognition import clock
from yufang.recognition.models import (
    OPEN_STATUSES,
    AccidentReport,
    ApplicantKind,
    ApplicationStatus,
    Material,
    RecognitionApplication,
)
from yufang.support.todos import Todo

S = ApplicationStatus


def reports_visible(user: Any) -> QuerySet[AccidentReport]:
    require_recognition_reader(user)
    return recognition_records(
        user, AccidentReport.objects.select_related("enterprise", "reported_by")
    ).annotate(application_count=Count("applications"))


def report_get(user: Any, pk: int) -> AccidentReport:
    found = reports_visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such accident report."))
    return found


def applications_visible(user: Any) -> QuerySet[RecognitionApplication]:
    require_recognition_reader(user)
    return recognition_records(
        user,
        RecognitionApplication.objects.select_related(
            "enterprise", "enterprise__county", "accident_report", "injury_case"
        ).prefetch_related("suspensions", "limit_pauses"),
    )


def application_get(user: Any, pk: int) -> RecognitionApplication:
    found = applications_visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such application."))
    return found


def material_get(user: Any, pk: int) -> Material:
    found = (
        Material.objects.filter(application__in=applications_visible(user)).filter(pk=pk).first()
    )
    if found is None:
        raise Http404(_("No such material."))
    return found


def applications_of_phone(phone: str) -> QuerySet[RecognitionApplication]:
    """The public page's applications: those its verified phone submitted."""
    return (
        RecognitionApplication.objects.filter(applicant_phone=phone, submitted_by__isnull=True)
        .select_related("enterprise", "accident_report")
        .prefetch_related("suspensions", "materials", "limit_pauses")
    )


def application_actions(user: Any, application: RecognitionApplication) -> dict[str, bool]:
    """What a user may do on an application's page now, by the services' own rules."""
    bureau = may_handle_recognition(user, application.enterprise)
    applicant = may_act_for_enterprise(user, application.enterprise)
    status = application.status
    return {
        "upload": (bureau or applicant) and status in OPEN_STATUSES,
        "supplement": applicant and status == S.MATERIALS_REQUESTED,
        "request": bureau and status == S.SUBMITTED and application.materials_requested_on is None,
        "accept": bureau and status == S.SUBMITTED,
        "refuse": bureau and status in (S.SUBMITTED, S.MATERIALS_REQUESTED),
        "suspend": bureau and status == S.ACCEPTED,
        "resume": bureau and status == S.SUSPENDED,
        "decide": bureau and status == S.ACCEPTED,
        "pause": bureau
        and status in OPEN_STATUSES
        and application.applicant_kind != ApplicantKind.EMPLOYER,
    }


def board(user: Any, *, today: dt.date | None = None) -> dict[str, Any]:
    """The bureau's board: open applications by their due date, overdue first; counts."""
    today = today or timezone.localdate()
    qs = applications_visible(user)
    counts = {row["status"]: row["n"] for row in qs.values("status").annotate(n=Count("id"))}
    rows = clock.with_clock(qs.filter(status__in=OPEN_STATUSES)[:500], today=today)
    far = dt.date.max
    rows.sort(key=lambda a: (not a.clock.overdue, a.clock.due or far, a.pk))
    decided = clock.with_clock(
        qs.filter(status__in=[S.RECOGNISED, S.NOT_RECOGNISED, S.NOT_ACCEPTED]).order_by(
            "-decided_on", "-id"
        )[:50],
        today=today,
    )
    return {
        "open": rows,
        "decided": decided,
        "counts": {s: counts.get(s, 0) for s in S.values},
        "overdue": sum(1 for a in rows if a.clock.overdue),
        "late_applications": sum(1 for a in rows if a.clock.is_late),
        "decided_late": sum(1 for a in decided if a.clock.decided_late),
    }


def reports_with_flags(reports: Any, *, today: dt.date | None = None) -> list[Any]:
    """Reports with their grade, lateness and the employer's limit to apply."""
    today = today or timezone.localdate()
    found = list(reports)
    for r in found:
        r.grade = clock.report_grade(r)
        r.is_late = clock.report_is_late(r)
        r.report_due = clock.report_due(r.occurred_at)
        r.apply_by = clock.report_application_limit(r)
        r.apply_days_left = (r.apply_by - today).days
    return found


def recognition_todos(user: Any) -> list[Todo]:
    """The home page's to-dos: for the enterprise, applications to make before the limit and
    materials the bureau asked for; for the bureau, materials to check and decisions due."""
    role = recognition_role(user)
    if role not in ("enterprise", "bureau"):
        return []
    today = timezone.localdate()
    horizon = clock.warning_days(today)
    todos: list[Todo] = []
    apps = applications_visible(user)
    if role == "enterprise":
        reports = reports_with_flags(
            reports_visible(user)
            .filter(applications__isnull=True)
            .filter(occurred_at__date__gte=today - dt.timedelta(days=60))
            .exclude(deaths=0, serious_injuries=0, minor_injuries=0)[:20],
            today=today,
        )
        for r in reports:
            if r.apply_days_left <= horizon:
                todos.append(
                    Todo(
                        _("Apply for injury recognition by %(date)s (accident of %(day)s)")
                        % {"date": r.apply_by.isoformat(), "day": f"{r.occurred_at:%Y-%m-%d}"},
                        reverse("recognition:application_new") + f"?report={r.pk}",
                        "danger" if r.apply_days_left < 0 else "warning",
                    )
                )
        for a in apps.filter(status=S.MATERIALS_REQUESTED)[:20]:
            todos.append(
                Todo(
                    _("The bureau asks for materials: %(worker)s") % {"worker": a.worker_name},
                    reverse("recognition:application_detail", args=[a.pk]),
                    "danger",
                )
            )
        return todos
    for a in clock.with_clock(
        apps.filter(status__in=[S.SUBMITTED, S.ACCEPTED]).order_by("received_on")[:200],
        today=today,
    ):
        c = a.clock
        if c.days_left is None or c.days_left > horizon:
            continue
        url = reverse("recognition:application_detail", args=[a.pk])
        level = "danger" if c.overdue else "warning"
        if c.check_due is not None:
            text = _("Check the materials of %(worker)s's application by %(date)s")
        elif c.overdue:
            text = _("The decision on %(worker)s's application was due on %(date)s")
        else:
            text = _("Decide on %(worker)s's application by %(date)s")
        todos.append(
            Todo(
                text % {"worker": a.worker_name, "date": c.due.isoformat() if c.due else ""},
                url,
                level,
            )
        )
    return todos


def search_filter(
    qs: QuerySet[RecognitionApplication], text: str
) -> QuerySet[RecognitionApplication]:
    text = (text or "").strip()[:100]
    if not text:
        return qs
    return qs.filter(
        Q(worker_name__icontains=text)
        | Q(enterprise__name__icontains=text)
        | Q(case_number__icontains=text)
    )
