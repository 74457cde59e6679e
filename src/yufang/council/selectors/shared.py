"""What each member department reads of the platform's data (its remit), read-only and
scoped to the region, through the owning modules' selectors: emergency management the hazards
and the major or escalated ones, health the occupational-disease hazards and the measurements
over their exposure limits, finance the prevention fee's use (when `yufang.funds` offers it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.council import shared_remit


def require_remit(user: Any) -> tuple[str, ...]:
    remit = shared_remit(user)
    if not remit:
        raise PermissionDenied(_("Your department has no shared data here."))
    return remit


def _hazard_rows(qs: Any, today: dt.date, limit: int = 100) -> list[dict[str, Any]]:
    from yufang.hazards.selectors import is_overdue

    return [
        {
            "id": h.pk,
            "enterprise": h.enterprise.name,
            "county": h.enterprise.county.name if h.enterprise.county_id else "",
            "topic": h.get_topic_display(),
            "level": h.get_level_display(),
            "status": h.get_status_display(),
            "deadline": h.deadline,
            "overdue": is_overdue(h, today),
            "escalations": getattr(h, "escalation_count", 0),
            "description": h.description,
        }
        for h in qs[:limit]
    ]


def shared_hazards(user: Any) -> dict[str, Any]:
    """Emergency management: the region's hazard counts, and its open major or escalated
    hazards."""
    from yufang.hazards.models import OPEN_STATUSES, HazardLevel
    from yufang.hazards.selectors import hazard_board, hazard_list

    today = timezone.localdate()
    board = hazard_board(user)
    flagged = (
        hazard_list(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(level=HazardLevel.MAJOR) | Q(escalation_count__gt=0))
    )
    return {
        "open_total": board["open_total"],
        "overdue": board["overdue"],
        "major_open": board["by_level"].get(HazardLevel.MAJOR, 0),
        "closed_last_year": board["closed_last_year"],
        "flagged": _hazard_rows(flagged, today),
    }


def shared_disease_hazards(user: Any) -> list[dict[str, Any]]:
    """Health: open hazards of the noise, dust and occupational-disease topic."""
    from yufang.hazards.models import OPEN_STATUSES
    from yufang.hazards.selectors import hazard_list
    from yufang.support.topics import Topic

    qs = hazard_list(user).filter(status__in=OPEN_STATUSES, topic=Topic.OCCUPATIONAL_HEALTH)
    return _hazard_rows(qs, timezone.localdate())


def shared_over_limit(user: Any, *, days: int = 365) -> list[dict[str, Any]]:
    """Health: measurements of the last year over their occupational exposure limits."""
    from yufang.hazards.selectors import assessments_visible, measurement_rows

    since = timezone.localdate() - dt.timedelta(days=days)
    assessments = (
        assessments_visible(user)
        .filter(measurements__sampled_on__gte=since)
        .distinct()
        .select_related("enterprise", "enterprise__county")
        .prefetch_related("measurements")
        .order_by("-id")[:200]
    )
    rows: list[dict[str, Any]] = []
    for a in assessments:
        for r in measurement_rows(a):
            if not r.exceedance.exceeded or r.measurement.sampled_on < since:
                continue
            worst = r.exceedance.worst
            rows.append(
                {
                    "enterprise": a.enterprise.name,
                    "county": a.enterprise.county.name if a.enterprise.county_id else "",
                    "agent": r.name,
                    "value": r.measurement.value,
                    "unit": r.measurement.unit,
                    "limit": getattr(worst, "value", None),
                    "ratio": r.exceedance.ratio,
                    "sampled_on": r.measurement.sampled_on,
                    "location": r.measurement.location,
                }
            )
    return sorted(rows, key=lambda x: x["sampled_on"], reverse=True)


def shared_fee(user: Any, *, year: int) -> dict[str, Any] | None:
    """Finance: the prevention fee's use (budget, committed, paid against the cap) from the
    funds module's dashboard; None while that module offers no such read."""
    try:
        from yufang.funds import selectors as funds
    except ImportError:  # pragma: no cover - the module is being built
        return None
    dashboard = getattr(funds, "dashboard", None)
    if dashboard is None:
        return None
    try:
        return dict(dashboard(user, year=year))
    except PermissionDenied:
        return None


def shared_data(user: Any, *, year: int) -> dict[str, Any]:
    remit = require_remit(user)
    data: dict[str, Any] = {"remit": remit, "year": year}
    if "hazards" in remit or "escalations" in remit:
        data["hazards"] = shared_hazards(user)
    if "disease_hazards" in remit:
        data["disease_hazards"] = shared_disease_hazards(user)
    if "over_limit" in remit:
        data["over_limit"] = shared_over_limit(user)
    if "fee" in remit:
        data["fee"] = shared_fee(user, year=year)
    return data
