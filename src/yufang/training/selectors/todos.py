"""Training's to-dos on the home page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from yufang.accounts.models import Role
from yufang.training.models import (
    Enrollment,
    Exam,
    ExamAttempt,
    Trainee,
    TrainingSession,
)
from yufang.training.selectors.certificates import (
    certificates_expiring,
)
from yufang.training.selectors.common import (
    _none,
)
from yufang.training.selectors.sessions import (
    sessions_visible,
)
from yufang.training.selectors.trainees import (
    enrollments_visible,
    trainee_for_user,
)


def training_todos(user: Any) -> list[Any]:
    from yufang.support.todos import Todo

    if _none(user):
        return []
    todos: list[Todo] = []
    today = timezone.localdate()
    if user.role in (Role.SAFETY_MANAGER, Role.WORKER, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL):
        expiring = certificates_expiring(user, today=today).count()
        if expiring:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)s training certificate expires soon: plan recertification",
                        "%(n)s training certificates expire soon: plan recertification",
                        expiring,
                    )
                    % {"n": expiring},
                    reverse("training:certificates") + "?expiring=1",
                    "warning",
                )
            )
    if user.role == Role.SAFETY_MANAGER:
        soon = (
            enrollments_visible(user)
            .filter(
                status=Enrollment.Status.BOOKED,
                session__starts_at__gte=timezone.now(),
                session__starts_at__lte=timezone.now() + dt.timedelta(days=7),
                session__status=TrainingSession.Status.SCHEDULED,
            )
            .values("session_id")
            .distinct()
            .count()
        )
        if soon:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)s session with your employees booked in the next 7 days",
                        "%(n)s sessions with your employees booked in the next 7 days",
                        soon,
                    )
                    % {"n": soon},
                    reverse("training:my_enrollments"),
                    "info",
                )
            )
    if user.role == Role.WORKER:
        trainee = trainee_for_user(user)
        if trainee is not None:
            passed = ExamAttempt.objects.filter(trainee=trainee, passed=True).values("exam_id")
            open_exams = Exam.objects.filter(is_open=True).exclude(pk__in=passed).count()
            if open_exams:
                todos.append(
                    Todo(
                        ngettext("%(n)s exam open to you", "%(n)s exams open to you", open_exams)
                        % {"n": open_exams},
                        reverse("training:exams"),
                        "info",
                    )
                )
    if user.role == Role.INSTITUTION_STAFF:
        today_sessions = sessions_visible(user).filter(
            starts_at__date=today, status=TrainingSession.Status.SCHEDULED
        )
        n = today_sessions.count()
        if n:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)s session today: check trainees in",
                        "%(n)s sessions today: check trainees in",
                        n,
                    )
                    % {"n": n},
                    reverse("training:sessions") + f"?month={today:%Y-%m}",
                    "info",
                )
            )
    return todos


def last_attendance(trainee: Trainee) -> dt.datetime | None:
    return trainee.enrollments.aggregate(m=Max("checked_in_at"))["m"]
