"""Campaigns and their progress."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from yufang.accounts.models import Role
from yufang.enterprises.models import Enterprise
from yufang.regions.models import Region
from yufang.training.models import (
    Campaign,
    Enrollment,
    TrainingSession,
)
from yufang.training.selectors.common import (
    _none,
)
from yufang.training.selectors.exams import (
    _rate,
)
from yufang.training.selectors.statistics import (
    person_times_of,
)


def campaigns_visible(user: Any) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("region", "city")
    if _none(user):
        return qs.none()
    if user.role in (Role.PROVINCE_OFFICIAL, Role.ADMIN) or (
        user.role == Role.AUDITOR and user.region_id is None
    ):
        return qs
    if user.role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.AUDITOR):
        region = user.region
        if region is None:
            return qs.none()
        if region.level == Region.Level.CITY:
            return qs.filter(Q(city_id=region.pk) | Q(region__level=Region.Level.PROVINCE))
        return qs.filter(
            Q(region_id=region.pk)
            | Q(region_id=region.city_id)
            | Q(region__level=Region.Level.PROVINCE)
        )
    if user.role in (Role.SAFETY_MANAGER, Role.WORKER) and user.enterprise_id:
        return qs.filter(enterprises=user.enterprise_id)
    if user.role == Role.INSTITUTION_STAFF:
        return qs.filter(sessions__institution_id=user.institution_id).distinct()
    if user.role == Role.GRID_WORKER and user.grid_id:
        return qs.filter(enterprises__grid_id=user.grid_id).distinct()
    return qs.none()


def campaign_get(user: Any, pk: int) -> Campaign:
    return get_object_or_404(campaigns_visible(user), pk=pk)


def campaign_progress(campaign: Campaign) -> dict[str, Any]:
    """Progress against target: enterprises reached and person-times (one per person per
    session), in total and per city."""
    attended = person_times_of(Enrollment.objects.filter(session__campaign=campaign))
    person_times = attended.count()
    reached_ids = set(
        attended.exclude(trainee__enterprise__isnull=True).values_list(
            "trainee__enterprise_id", flat=True
        )
    ) | set(
        attended.filter(session__enterprise__isnull=False).values_list(
            "session__enterprise_id", flat=True
        )
    )
    targets = set(campaign.enterprises.values_list("pk", flat=True))
    by_city: dict[int, dict[str, Any]] = {}
    city_names = dict(Region.objects.filter(level=Region.Level.CITY).values_list("pk", "name"))
    codes = dict(Region.objects.filter(level=Region.Level.CITY).values_list("pk", "code"))
    for row in attended.values("session__city_id").annotate(n=Count("id")):
        cid = row["session__city_id"]
        by_city[cid] = {
            "city": city_names.get(cid, ""),
            "code": codes.get(cid, ""),
            "person_times": row["n"],
            "sessions": 0,
            "enterprises_reached": 0,
            "target_enterprises": 0,
        }
    for row in (
        campaign.sessions.filter(status=TrainingSession.Status.SCHEDULED)
        .values("city_id")
        .annotate(n=Count("id"))
    ):
        by_city.setdefault(
            row["city_id"],
            {
                "city": city_names.get(row["city_id"], ""),
                "code": codes.get(row["city_id"], ""),
                "person_times": 0,
                "enterprises_reached": 0,
                "target_enterprises": 0,
            },
        )["sessions"] = row["n"]
    for e in Enterprise.objects.filter(pk__in=targets | reached_ids).values("pk", "city_id"):
        entry = by_city.setdefault(
            e["city_id"],
            {
                "city": city_names.get(e["city_id"], ""),
                "code": codes.get(e["city_id"], ""),
                "person_times": 0,
                "sessions": 0,
                "enterprises_reached": 0,
                "target_enterprises": 0,
            },
        )
        entry.setdefault("sessions", 0)
        if e["pk"] in targets:
            entry["target_enterprises"] += 1
        if e["pk"] in reached_ids:
            entry["enterprises_reached"] += 1
    return {
        "person_times": person_times,
        "enterprises_reached": len(reached_ids),
        "sessions": campaign.sessions.filter(status=TrainingSession.Status.SCHEDULED).count(),
        "person_times_share": _rate(person_times, campaign.target_person_times),
        "enterprises_share": _rate(len(reached_ids), campaign.target_enterprises),
        "by_city": sorted(by_city.values(), key=lambda r: r["code"]),
    }
