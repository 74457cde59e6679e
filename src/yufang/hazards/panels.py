"""The hazards part of an enterprise's page (`enterprises.panels`): its open hazards and
recent assessments, as the user's own hazard and assessment lists show them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from yufang.accounts.scoping.hazards import may_report_hazards
from yufang.enterprises.panels import register_enterprise_panel
from yufang.hazards import selectors
from yufang.hazards.models import (
    OPEN_STATUSES,
    RECTIFICATION_PENDING,
    AssessmentStatus,
    HazardLevel,
)

COLOUR_BADGE = {"red": "bg-red-lt", "orange": "bg-orange-lt", "yellow": "bg-yellow-lt"}


def hazards_panel(user: Any, enterprise: Any) -> dict[str, Any] | None:
    today = timezone.localdate()
    hazards = selectors.hazards_visible(user).filter(enterprise=enterprise)
    open_hazards = list(hazards.filter(status__in=OPEN_STATUSES).order_by("deadline", "id")[:6])
    open_count = hazards.filter(status__in=OPEN_STATUSES).count()
    overdue = hazards.filter(status__in=RECTIFICATION_PENDING, deadline__lt=today).count()
    assessments = list(
        selectors.assessments_visible(user)
        .filter(enterprise=enterprise)
        .exclude(status=AssessmentStatus.CANCELLED)  # as the assessment list leaves them out
        .select_related("checklist")
        .order_by("-visited_on", "-planned_on", "-id")[:5]
    )
    colour = selectors.enterprise_risk_colours([enterprise.pk]).get(enterprise.pk)
    hazard_url = reverse("hazards:hazards")
    links = [
        {
            "label": _("All hazards of this enterprise"),
            "url": f"{hazard_url}?{urlencode({'enterprise': enterprise.pk})}",
        },
        {
            "label": _("Its assessments"),
            "url": f"{reverse('hazards:assessments')}?{urlencode({'q': enterprise.name})}",
        },
    ]
    if may_report_hazards(user):
        links += [
            {
                "label": _("New assessment"),
                "url": f"{reverse('hazards:assessment_new')}?enterprise={enterprise.pk}",
            },
            {
                "label": _("Report a hazard"),
                "url": f"{reverse('hazards:hazard_new')}?enterprise={enterprise.pk}",
            },
        ]
    return {
        "title": _("Hazards and assessments"),
        "testid": "panel-hazards",
        "figures": [
            {
                "label": _("Open hazards"),
                "value": open_count,
                "url": f"{hazard_url}?{urlencode({'enterprise': enterprise.pk, 'open': 1})}",
            },
            {
                "label": _("Overdue"),
                "value": overdue,
                "url": f"{hazard_url}?{urlencode({'enterprise': enterprise.pk, 'overdue': 1})}",
            },
            {
                "label": _("Risk colour"),
                "value": colour.label if colour else "—",
                "badge": COLOUR_BADGE.get(colour or "", ""),
            },
        ],
        "lists": [
            (
                _("Open hazards"),
                [
                    {
                        "text": h.description[:60],
                        "meta": _("%(level)s · due %(deadline)s")
                        % {"level": h.get_level_display(), "deadline": h.deadline.isoformat()},
                        "url": reverse("hazards:hazard", args=[h.pk]),
                        "badge": h.get_status_display(),
                        "badge_css": "bg-red-lt"
                        if h.level == HazardLevel.MAJOR
                        else "bg-secondary-lt",
                    }
                    for h in open_hazards
                ],
                _("No open hazard."),
            ),
            (
                _("Recent assessments"),
                [
                    {
                        "text": a.checklist.title,
                        "meta": (a.visited_on or a.planned_on or a.created_at.date()).isoformat(),
                        "url": reverse("hazards:assessment", args=[a.pk]),
                        "badge": a.get_status_display(),
                        "badge_css": "bg-secondary-lt",
                    }
                    for a in assessments
                ],
                _("No assessment yet."),
            ),
        ],
        "links": links,
    }


register_enterprise_panel("hazards", 20, hazards_panel, "enterprises/_panel.html")
