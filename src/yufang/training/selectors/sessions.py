"""Sessions, bases and halls a user sees, the session filter and its export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    ScopePaths,
    scope_q,
    training_sessions_q,
)
from yufang.support.bounds import bounded_id, bounded_year
from yufang.training.models import (
    Enrollment,
    Hall,
    SessionPhoto,
    TrainingBase,
    TrainingSession,
)
from yufang.training.selectors.common import (
    _none,
)


def sessions_visible(user: Any) -> QuerySet[TrainingSession]:
    """Sessions held in the user's scope or booked by its enterprises; an enterprise's people
    also see the hall sessions of their city, to book (`scoping.training_sessions_q`)."""
    qs = TrainingSession.objects.select_related(
        "hall__base", "enterprise", "institution", "city", "county", "campaign"
    )
    if _none(user):
        return qs.none()
    q = training_sessions_q(user, Enrollment.objects.all())
    return qs if q is None else qs.filter(q)


@dataclass
class SessionFilter:
    q: str = ""
    kind: str = ""
    topic: str = ""
    city: str = ""
    base: int | None = None
    campaign: int | None = None
    month: str = ""  # YYYY-MM
    year: int | None = None
    status: str = ""
    upcoming: bool = False

    @classmethod
    def from_params(cls, params: Any) -> SessionFilter:
        def num(name: str) -> int | None:
            return (
                bounded_year(params.get(name)) if name == "year" else bounded_id(params.get(name))
            )

        return cls(
            q=params.get("q", "").strip(),
            kind=params.get("kind", ""),
            topic=params.get("topic", ""),
            city=params.get("city", ""),
            base=num("base"),
            campaign=num("campaign"),
            month=params.get("month", ""),
            year=num("year"),
            status=params.get("status", ""),
            upcoming=params.get("upcoming") == "1",
        )


def session_list(user: Any, filters: SessionFilter | None = None) -> QuerySet[TrainingSession]:
    f = filters or SessionFilter()
    qs = sessions_visible(user).annotate(
        booked=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.BOOKED)),
        # Person-times of the session (PERSON_TIMES_DEFINITION; a cancelled one has none).
        attended=Count(
            "enrollments",
            filter=Q(enrollments__checked_in_at__isnull=False, status="scheduled"),
        ),
    )
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(trainer__icontains=f.q))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.topic:
        qs = qs.filter(topic=f.topic)
    if f.city:
        qs = qs.filter(city__code=f.city)
    if f.base:
        qs = qs.filter(hall__base_id=f.base)
    if f.campaign:
        qs = qs.filter(campaign_id=f.campaign)
    if f.year:
        qs = qs.filter(starts_at__year=f.year)
    if len(f.month) == 7 and f.month[:4].isdigit() and f.month[5:].isdigit():
        qs = qs.filter(starts_at__year=int(f.month[:4]), starts_at__month=int(f.month[5:]))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.upcoming:
        qs = qs.filter(ends_at__gt=timezone.now(), status=TrainingSession.Status.SCHEDULED)
        return qs.order_by("starts_at", "id")
    return qs.order_by("-starts_at", "id")


def session_get(user: Any, pk: int) -> TrainingSession:
    return get_object_or_404(sessions_visible(user), pk=pk)


SESSION_EXPORT_COLUMNS = [
    ("title", "title"),
    ("kind", "kind"),
    ("topic", "topic"),
    ("place", "place"),
    ("city", "city"),
    ("trainer", "trainer"),
    ("starts_at", "starts at"),
    ("class_hours", "class hours"),
    ("capacity", "capacity"),
    ("booked", "booked"),
    ("attended", "person-times"),
    ("status", "status"),
]


def session_export_rows(qs: QuerySet[TrainingSession]) -> Iterator[list[Any]]:
    for s in qs:
        yield [
            s.title,
            s.get_kind_display(),
            s.get_topic_display(),
            str(s.hall) if s.hall else f"{s.enterprise} {s.location}",
            s.city.name,
            s.trainer,
            timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M"),
            s.class_hours,
            s.capacity,
            getattr(s, "booked", None),
            getattr(s, "attended", None),
            s.get_status_display(),
        ]


def session_photo_get(user: Any, pk: int) -> SessionPhoto:
    """A photo of a session the user sees, or 404."""
    return get_object_or_404(
        SessionPhoto.objects.filter(session__in=sessions_visible(user).values("pk")), pk=pk
    )


def bases_visible(user: Any) -> QuerySet[TrainingBase]:
    qs = TrainingBase.objects.select_related("city", "institution")
    if _none(user):
        return qs.none()
    if user.role in (Role.SAFETY_MANAGER, Role.WORKER) and user.enterprise_id:
        return qs.filter(city_id=user.enterprise.city_id)
    if user.role == Role.GRID_WORKER and user.grid_id:
        return qs.filter(city_id=user.grid.city_id)
    q = scope_q(user, ScopePaths(city="city", institution="institution"))
    if user.role == Role.COUNTY_OFFICIAL and user.region_id:
        q = Q(city_id=user.region.city_id)
    return qs if q is None else qs.filter(q)


def base_get(user: Any, pk: int) -> TrainingBase:
    return get_object_or_404(bases_visible(user), pk=pk)


def halls_of(base: TrainingBase) -> QuerySet[Hall]:
    year = timezone.localdate().year
    return base.halls.annotate(
        sessions_this_year=Count(
            "sessions",
            filter=Q(sessions__starts_at__year=year, sessions__status="scheduled"),
        )
    ).order_by("name")


def halls_visible(user: Any) -> QuerySet[Hall]:
    return Hall.objects.filter(base__in=bases_visible(user)).select_related("base")
