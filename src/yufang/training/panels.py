"""The training part of an enterprise's page (`enterprises.panels`): its person-times this
year and its people's certificates, as the user's own training lists count them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.enterprises.panels import register_enterprise_panel
from yufang.training import selectors


def training_panel(user: Any, enterprise: Any) -> dict[str, Any] | None:
    # A worker's training lists are their own learning, not the enterprise's.
    if getattr(user, "role", None) == Role.WORKER:
        return None
    today = timezone.localdate()
    of_enterprise = Q(trainee__enterprise=enterprise) | Q(enterprise=enterprise)
    attended = selectors.person_times_of(selectors.enrollments_visible(user)).filter(of_enterprise)
    certificates = selectors.certificates_visible(user).filter(trainee__enterprise=enterprise)
    valid = certificates.filter(revoked_at__isnull=True, expires_on__gte=today)
    return {
        "title": _("Training"),
        "testid": "panel-training",
        "figures": [
            {
                "label": _("Person-times in %(year)s") % {"year": today.year},
                "value": attended.filter(session__starts_at__year=today.year).count(),
            },
            {"label": _("Person-times, all years"), "value": attended.count()},
            {"label": _("Valid certificates"), "value": valid.count()},
            {"label": _("Certificates issued"), "value": certificates.count()},
        ],
        "links": [
            {"label": _("Trainees"), "url": reverse("training:trainees")},
            {"label": _("Certificates"), "url": reverse("training:certificates")},
        ],
    }


register_enterprise_panel("training", 30, training_panel, "enterprises/_panel.html")
