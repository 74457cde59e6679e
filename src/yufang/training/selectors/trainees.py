"""Enrollments and trainees a user sees, and a trainee as the user may see them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    ScopePaths,
    own_records_q,
    person_phone_shown,
    scope_queryset,
    sees_person_names,
    training_enrollments_q,
)
from yufang.enterprises.models import Enterprise
from yufang.training.models import (
    Enrollment,
    Trainee,
    TrainingSession,
)
from yufang.training.selectors.common import (
    _none,
)


def enrollments_visible(user: Any) -> QuerySet[Enrollment]:
    qs = Enrollment.objects.select_related(
        "session", "session__hall__base", "trainee", "trainee__enterprise", "enterprise"
    )
    if _none(user):
        return qs.none()
    q = training_enrollments_q(user)
    return qs if q is None else qs.filter(q)


def enrollments_of_session(user: Any, session: TrainingSession) -> QuerySet[Enrollment]:
    return enrollments_visible(user).filter(session=session).order_by("status", "created_at", "id")


def session_enterprises(user: Any, session: TrainingSession) -> QuerySet[Enterprise]:
    """The enterprises with people booked on a session, as far as the user sees them."""
    booked = enrollments_of_session(user, session).values("enterprise_id")
    return Enterprise.objects.filter(pk__in=booked)


def enrollment_get(user: Any, pk: int) -> Enrollment:
    return get_object_or_404(enrollments_visible(user), pk=pk)


def trainees_visible(user: Any) -> QuerySet[Trainee]:
    qs = Trainee.objects.select_related("enterprise", "enterprise__city", "user")
    if _none(user):
        return qs.none()
    own = own_records_q(user, "user")
    if own is not None:
        return qs.filter(own)
    if user.role == Role.INSTITUTION_STAFF:
        return qs.filter(
            pk__in=Enrollment.objects.filter(session__institution_id=user.institution_id).values(
                "trainee_id"
            )
        )
    return scope_queryset(user, qs, ScopePaths.via_enterprise("enterprise"))


def trainee_get(user: Any, pk: int) -> Trainee:
    return get_object_or_404(trainees_visible(user), pk=pk)


def trainee_for_user(user: Any) -> Trainee | None:
    if _none(user):
        return None
    return Trainee.objects.filter(user=user).select_related("enterprise").first()


@dataclass(frozen=True)
class PersonShown:
    """A trainee as one user may see them (docs/security.md, "Personal data"): the name in
    full or masked (王**), the ID number masked or not at all (None), the mobile number in
    full, masked (138****1234) or not at all (None)."""

    name: str
    id_number: str | None
    phone: str | None


def masked_phone(phone: str) -> str:
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def trainee_shown(user: Any, trainee: Trainee) -> PersonShown:
    if not sees_person_names(user):
        return PersonShown(name=trainee.name[:1] + "**", id_number=None, phone=None)
    phone = person_phone_shown(user, employer_id=trainee.enterprise_id)
    return PersonShown(
        name=trainee.name,
        id_number=trainee.id_masked,
        phone=trainee.phone if phone == "full" else masked_phone(trainee.phone),
    )


def trainee_search(user: Any, qs: QuerySet[Any], q: str, *, path: str = "") -> QuerySet[Any]:
    """Filter by a trainee's name; not for those who see names masked (a search by name would
    tell whose masked row is whose)."""
    if not q or not sees_person_names(user):
        return qs
    return qs.filter(**{f"{path}name__icontains": q})
