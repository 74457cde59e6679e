"""The daily warnings as time limits near: the employer's limit to apply after a reported
accident with casualties, the bureau's check of the materials and its decision. Each is sent
once per record, kind and due date (`DeadlineWarning`)."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from yufang.recognition import clock
from yufang.recognition.models import (
    AccidentReport,
    ApplicationStatus,
    DeadlineWarning,
    RecognitionApplication,
    WarningKind,
)
from yufang.recognition.services.common import application_url, bureau_of, managers_of, tell


def _once(kind: str, due: dt.date, **record: object) -> bool:
    """Records the warning; False when it was already sent."""
    try:
        with transaction.atomic():
            DeadlineWarning.objects.create(kind=kind, due_on=due, **record)
    except IntegrityError:
        return False
    return True


def warnings_send(*, today: dt.date) -> int:
    """Sends the warnings due today; returns how many were sent."""
    sent = 0
    horizon = clock.warning_days(today)
    reports = (
        AccidentReport.objects.filter(applications__isnull=True)
        .exclude(deaths=0, serious_injuries=0, minor_injuries=0)
        .filter(occurred_at__date__gte=today - dt.timedelta(days=400))
        .select_related("enterprise")
    )
    for report in reports:
        limit = clock.report_application_limit(report)
        if 0 <= (limit - today).days <= horizon and _once(
            WarningKind.APPLICATION_LIMIT, limit, accident_report=report
        ):
            tell(
                managers_of(report.enterprise),
                title=_("Apply for injury recognition by %(date)s (accident of %(day)s)")
                % {"date": limit.isoformat(), "day": f"{report.occurred_at:%Y-%m-%d}"},
                url=reverse("recognition:report_detail", args=[report.pk]),
                sms=True,
            )
            sent += 1
    applications = RecognitionApplication.objects.filter(
        status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED]
    ).select_related("enterprise", "accident_report")
    for a in applications.prefetch_related("suspensions"):
        c = clock.clock_of(a, today=today)
        if c.check_due is not None:
            kind, due = WarningKind.CHECK_DUE, c.check_due
            title = _("Check the materials of %(worker)s's application by %(date)s")
        elif c.decision_due is not None and c.overdue:
            kind, due = WarningKind.DECISION_OVERDUE, c.decision_due
            title = _("The decision on %(worker)s's application was due on %(date)s")
        elif c.decision_due is not None:
            kind, due = WarningKind.DECISION_DUE, c.decision_due
            title = _("Decide on %(worker)s's application by %(date)s")
        else:
            continue
        near = (due - today).days <= horizon
        if near and _once(kind, due, application=a):
            tell(
                bureau_of(a.enterprise),
                title=title % {"worker": a.worker_name, "date": due.isoformat()},
                url=application_url(a),
            )
            sent += 1
    return sent
