"""Materials and feedback."""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, QuerySet
from django.shortcuts import get_object_or_404

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    own_records_q,
    training_read_q,
)
from yufang.training.models import (
    Feedback,
    Material,
    TrainingSession,
)
from yufang.training.selectors.common import (
    _none,
)


def materials_visible(user: Any) -> QuerySet[Material]:
    if _none(user):
        return Material.objects.none()
    return Material.objects.all()


def material_get(user: Any, pk: int) -> Material:
    return get_object_or_404(materials_visible(user), pk=pk)


def feedback_visible(user: Any) -> QuerySet[Feedback]:
    qs = Feedback.objects.select_related("session", "session__institution", "trainee")
    if _none(user):
        return qs.none()
    own = own_records_q(user, "trainee__user")
    if own is not None:
        return qs.filter(own)
    if user.role == Role.SAFETY_MANAGER:
        return qs.filter(trainee__enterprise_id=user.enterprise_id)
    q = training_read_q(user, session="session", enterprise="trainee__enterprise")
    return qs if q is None else qs.filter(q)


def feedback_scores(user: Any) -> list[dict[str, Any]]:
    """Average rating per institution and per session kind, over feedback in scope."""
    return list(
        feedback_visible(user)
        .values("session__institution_id", "session__institution__name")
        .annotate(ratings=Count("id"), average=Avg("rating"))
        .order_by("-average")
    )


def session_feedback(session: TrainingSession) -> dict[str, Any]:
    return session.feedback.aggregate(ratings=Count("id"), average=Avg("rating"))
