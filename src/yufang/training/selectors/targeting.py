"""Targeting: enterprises to train first, recommendations, key people's class hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone

from yufang import policy
from yufang.accounts.scoping import (
    scope_q,
    scope_queryset,
)
from yufang.enterprises.models import Enterprise
from yufang.support.topics import Topic
from yufang.training.models import (
    Course,
    Enrollment,
    KeyRole,
    Trainee,
    TrainingSession,
)
from yufang.training.selectors.common import (
    ENTERPRISE_PATHS,
)
from yufang.training.selectors.exams import (
    _rate,
    completed_course_ids,
    courses_visible,
)
from yufang.training.selectors.sessions import (
    SessionFilter,
    halls_visible,
    session_list,
)
from yufang.training.selectors.statistics import (
    person_times_of,
)
from yufang.training.selectors.trainees import (
    trainees_visible,
)


def _hazard_topics(enterprise_ids: list[int] | None) -> dict[int, set[str]]:
    from yufang.hazards.selectors import open_hazard_topics

    return dict(open_hazard_topics(enterprise_ids=enterprise_ids))


def _priority_ids(user: Any) -> list[int]:
    """The latest prevention-priority list (injury data lag the calendar year)."""
    from yufang.injuries.selectors import priority_enterprise_ids

    limit = int(policy.value("training_priority_list_length", timezone.localdate()))
    return list(priority_enterprise_ids(user, limit=limit))


def enterprises_trained(*, year: int, enterprise_ids: Iterable[int] | None = None) -> set[int]:
    """Enterprises with at least one attendance (an employee, or on site) in the year."""
    attended = person_times_of(Enrollment.objects.filter(session__starts_at__year=year))
    if enterprise_ids is not None:
        ids = list(enterprise_ids)
        attended = attended.filter(
            Q(trainee__enterprise_id__in=ids) | Q(session__enterprise_id__in=ids)
        )
    trained = set(
        attended.exclude(trainee__enterprise__isnull=True).values_list(
            "trainee__enterprise_id", flat=True
        )
    )
    trained |= set(
        attended.exclude(session__enterprise__isnull=True).values_list(
            "session__enterprise_id", flat=True
        )
    )
    return trained


@dataclass
class Target:
    enterprise: Enterprise
    topics: list[str]
    on_priority_list: bool
    priority_rank: int | None

    @property
    def topic_choices(self) -> list[tuple[str, str]]:
        return [(t, str(Topic(t).label)) for t in self.topics if t in Topic.values]


def training_targets(user: Any, *, year: int | None = None) -> list[Target]:
    """Enterprises in scope with open hazards or high on the priority list, untrained this year."""
    year = year or timezone.localdate().year
    scoped = scope_queryset(user, Enterprise.objects.all(), ENTERPRISE_PATHS)
    q = scope_q(user, ENTERPRISE_PATHS)
    scoped_ids = None if q is None else list(scoped.values_list("pk", flat=True))
    hazards = _hazard_topics(scoped_ids)
    priority = _priority_ids(user)
    rank = {pk: i + 1 for i, pk in enumerate(priority)}
    candidates = set(hazards) | set(priority)
    if scoped_ids is not None:
        candidates &= set(scoped_ids)
    candidates -= enterprises_trained(year=year, enterprise_ids=candidates)
    enterprises = Enterprise.objects.filter(pk__in=candidates).select_related(
        "city", "county", "industry"
    )
    targets = [
        Target(
            enterprise=e,
            topics=sorted(hazards.get(e.pk, set())),
            on_priority_list=e.pk in rank,
            priority_rank=rank.get(e.pk),
        )
        for e in enterprises
    ]
    return sorted(
        targets, key=lambda t: (t.priority_rank or 10**6, -len(t.topics), t.enterprise.name)
    )


def recommendations_for(user: Any, topics: Iterable[str]) -> dict[str, Any]:
    """Courses, halls and upcoming sessions that teach the topics of open hazards."""
    topics = [t for t in topics if t in Topic.values]
    return {
        "courses": list(courses_visible(user).filter(topic__in=topics, is_published=True)[:10]),
        "halls": list(halls_visible(user).filter(topic__in=topics)[:10]),
        "sessions": list(
            session_list(user, SessionFilter(upcoming=True)).filter(topic__in=topics)[:10]
        ),
    }


@dataclass
class KeyPersonHours:
    trainee: Trainee
    offline_hours: Decimal
    online_hours: Decimal

    @property
    def total_hours(self) -> Decimal:
        return self.offline_hours + self.online_hours

    def meets_rule(self, on: dt.date) -> bool:
        required = Decimal(str(policy.value("training_key_person_class_hours", on)))
        share = Decimal(str(policy.value("training_key_person_offline_share", on)))
        total = self.total_hours
        return total >= required and self.offline_hours >= share * total

    @property
    def offline_share(self) -> Decimal | None:
        if not self.total_hours:
            return None
        return (self.offline_hours * 100 / self.total_hours).quantize(Decimal("0.1"))


def key_people_hours(user: Any, *, role: str = "") -> list[KeyPersonHours]:
    """Class hours of the key people of key-industry enterprises in scope: offline from
    attended sessions, online from completed courses (鲁人社字〔2022〕14号)."""
    qs = (
        trainees_visible(user)
        .filter(enterprise__is_key_industry=True)
        .exclude(key_role=KeyRole.OTHER)
    )
    if role:
        qs = qs.filter(key_role=role)
    qs = qs.annotate(
        offline=Sum(
            "enrollments__session__class_hours",
            filter=Q(
                enrollments__checked_in_at__isnull=False,
                enrollments__session__status=TrainingSession.Status.SCHEDULED,
            ),
        )
    ).order_by("enterprise__name", "name")
    trainees = list(qs)
    done = completed_course_ids(t.pk for t in trainees)
    hours = dict(Course.objects.values_list("pk", "class_hours"))
    return [
        KeyPersonHours(
            trainee=t,
            offline_hours=t.offline or Decimal("0"),  # type: ignore[attr-defined]
            online_hours=sum((hours[c] for c in done.get(t.pk, set())), Decimal("0")),
        )
        for t in trainees
    ]


def key_people_coverage(rows: list[KeyPersonHours], *, on: dt.date) -> dict[str, Any]:
    met = sum(1 for r in rows if r.meets_rule(on))
    trained = sum(1 for r in rows if r.total_hours > 0)
    return {
        "people": len(rows),
        "trained": trained,
        "met": met,
        "coverage": _rate(met, len(rows)),
        "required_hours": policy.value("training_key_person_class_hours", on),
        "offline_share": policy.value("training_key_person_offline_share", on),
    }
