"""The recognition part of an enterprise's page (`enterprises.panels`): its accident reports
and recognition applications, with what is overdue, for those who may read them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from yufang.accounts.scoping.recognition import recognition_role
from yufang.enterprises.panels import register_enterprise_panel
from yufang.recognition import clock, selectors
from yufang.recognition.models import OPEN_STATUSES


def recognition_panel(user: Any, enterprise: Any) -> dict[str, Any] | None:
    if not recognition_role(user):
        return None
    apps = selectors.applications_visible(user).filter(enterprise=enterprise)
    open_apps = clock.with_clock(apps.filter(status__in=OPEN_STATUSES).order_by("received_on")[:6])
    reports = selectors.reports_with_flags(
        selectors.reports_visible(user).filter(enterprise=enterprise)[:5]
    )
    return {
        "title": _("Accidents and injury recognition"),
        "testid": "panel-recognition",
        "figures": [
            {
                "label": _("Open applications"),
                "value": apps.filter(status__in=OPEN_STATUSES).count(),
            },
            {"label": _("overdue"), "value": sum(1 for a in open_apps if a.clock.overdue)},
            {"label": _("Accident reports"), "value": len(reports)},
        ],
        "lists": [
            (
                _("Applications"),
                [
                    {
                        "text": a.worker_name,
                        "meta": a.accident_date.isoformat(),
                        "url": reverse("recognition:application_detail", args=[a.pk]),
                        "badge": a.get_status_display(),
                        "badge_css": "bg-red-lt" if a.clock.overdue else "bg-secondary-lt",
                    }
                    for a in open_apps
                ],
                _("No applications yet."),
            ),
            (
                _("Accident reports"),
                [
                    {
                        "text": r.place,
                        "meta": f"{r.occurred_at:%Y-%m-%d}",
                        "url": reverse("recognition:report_detail", args=[r.pk]),
                        "badge": r.grade.label,
                        "badge_css": "bg-red-lt" if r.is_late else "bg-secondary-lt",
                    }
                    for r in reports
                ],
                _("No accidents reported."),
            ),
        ],
        "links": [{"label": _("Injury recognition"), "url": reverse("recognition:index")}],
    }


register_enterprise_panel("recognition", 40, recognition_panel, "enterprises/_panel.html")
