"""Statistics: attendances (person-times), sessions held, by region, month and kind."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yufang.regions.models import Region
from yufang.support.topics import Topic
from yufang.training.models import (
    Enrollment,
    ExamAttempt,
    TrainingBase,
    TrainingSession,
)
from yufang.training.selectors.exams import (
    _rate,
    attempts_visible,
)
from yufang.training.selectors.sessions import (
    sessions_visible,
)
from yufang.training.selectors.trainees import (
    enrollments_visible,
)

# 人次 (person-times), one definition for the home page, the statistics, campaign progress and
# the API: a person checked in at a session that was not cancelled, once per person per session
# (one enrollment per trainee and session), counted in the year the session starts. Bookings,
# waitlists and online lessons are not person-times.
PERSON_TIMES_DEFINITION = gettext_lazy(
    "Person-times: people checked in at a session that was not cancelled, each person once per "
    "session, counted in the year the session starts. Bookings do not count."
)


def person_times_of(qs: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """The enrollments that are person-times (see PERSON_TIMES_DEFINITION)."""
    return qs.filter(checked_in_at__isnull=False, session__status=TrainingSession.Status.SCHEDULED)


def attendances(user: Any, *, year: int | None = None) -> QuerySet[Enrollment]:
    """Person-times in scope."""
    qs = person_times_of(enrollments_visible(user))
    return qs.filter(session__starts_at__year=year) if year else qs


def sessions_held(user: Any, *, year: int | None = None) -> QuerySet[TrainingSession]:
    qs = sessions_visible(user).filter(
        status=TrainingSession.Status.SCHEDULED, starts_at__lte=timezone.now()
    )
    return qs.filter(starts_at__year=year) if year else qs


def training_card(user: Any, *, year: int | None = None) -> dict[str, Any]:
    """The headline "N sessions in <year>, M person-times in <year>": the same figures as the
    totals of the tables by month, city, base or topic under it."""
    year = year or timezone.localdate().year
    return {
        "year": year,
        "sessions_this_year": sessions_held(user, year=year).count(),
        "person_times_this_year": attendances(user, year=year).count(),
        "person_times_total": attendances(user).count(),
        "person_times_definition": str(PERSON_TIMES_DEFINITION),
    }


STAT_DIMENSIONS = ("city", "base", "topic", "month")


def _label_maps(dimension: str) -> dict[Any, tuple[str, str]]:
    """Group key → (label, filter value for the session list)."""
    if dimension == "city":
        return {
            pk: (name, code)
            for pk, name, code in Region.objects.filter(level=Region.Level.CITY).values_list(
                "pk", "name", "code"
            )
        }
    if dimension == "base":
        return {pk: (name, str(pk)) for pk, name in TrainingBase.objects.values_list("pk", "name")}
    if dimension == "topic":
        return {value: (str(label), value) for value, label in Topic.choices}
    return {m: (f"{m:02d}", f"{m:02d}") for m in range(1, 13)}


def training_statistics(user: Any, *, year: int, dimension: str) -> list[dict[str, Any]]:
    """Sessions, person-times, enterprises reached and pass rates grouped by a dimension."""
    if dimension not in STAT_DIMENSIONS:
        dimension = "city"
    session_key = {
        "city": "city_id",
        "base": "hall__base_id",
        "topic": "topic",
        "month": "month",
    }[dimension]
    sessions = sessions_held(user, year=year)
    attended = attendances(user, year=year)
    attempts = attempts_visible(user).filter(
        submitted_at__year=year,
        status__in=[ExamAttempt.Status.SUBMITTED, ExamAttempt.Status.EXPIRED],
    )
    if dimension == "month":
        sessions = sessions.annotate(month=ExtractMonth("starts_at"))
        attended = attended.annotate(month=ExtractMonth("session__starts_at"))
        attempts = attempts.annotate(month=ExtractMonth("submitted_at"))
    attempt_key = {
        "city": "trainee__enterprise__city_id",
        "base": "exam__institution__training_bases",
        "topic": "exam__course__topic",
        "month": "month",
    }[dimension]
    rows: dict[Any, dict[str, Any]] = defaultdict(
        lambda: {"sessions": 0, "person_times": 0, "enterprises": 0, "attempts": 0, "passed": 0}
    )
    for r in sessions.values(session_key).annotate(n=Count("id", distinct=True)):
        rows[r[session_key]]["sessions"] = r["n"]
    att_key = "session__" + session_key if dimension != "month" else "month"
    for r in attended.values(att_key).annotate(
        n=Count("id"), e=Count("trainee__enterprise", distinct=True)
    ):
        rows[r[att_key]]["person_times"] = r["n"]
        rows[r[att_key]]["enterprises"] = r["e"]
    for r in attempts.values(attempt_key).annotate(
        n=Count("id"), p=Count("id", filter=Q(passed=True))
    ):
        if r[attempt_key] is None:
            continue
        rows[r[attempt_key]]["attempts"] = r["n"]
        rows[r[attempt_key]]["passed"] = r["p"]
    labels = _label_maps(dimension)
    session_url = reverse("training:sessions")
    result = []
    for key, figures in rows.items():
        if key is None:
            # Sessions on site in enterprises have no base: a row of their own, so the table
            # adds up to the headline.
            label, value = str(_("on site in enterprises")), "onsite"
            param = "kind"
        else:
            label, value = labels.get(key, (str(key), str(key)))
            param = {"city": "city", "base": "base", "topic": "topic", "month": "month"}[dimension]
        if dimension == "month":
            value = f"{year}-{value}"
        result.append(
            {
                "key": value,
                "label": label,
                **figures,
                "pass_rate": _rate(figures["passed"], figures["attempts"]),
                "url": f"{session_url}?{param}={value}&year={year}",
            }
        )
    return sorted(
        result,
        key=lambda r: (r["key"], 0) if dimension in ("month", "city") else ("", -r["person_times"]),
    )


def statistics_total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The total row of a statistics table."""
    total = {k: sum(r[k] for r in rows) for k in ("sessions", "person_times", "attempts", "passed")}
    total["pass_rate"] = _rate(total["passed"], total["attempts"])
    return total


def months_chart(rows: list[dict[str, Any]], *, title: str) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [r["label"] for r in rows]},
        "yAxis": {"type": "value"},
        "series": [
            {
                "name": title,
                "type": "bar",
                "data": [{"value": r["person_times"], "url": r["url"]} for r in rows],
            }
        ],
    }
