"""The injuries part of an enterprise's page (`enterprises.panels`): its recognised cases by
year and its injury rate, as the user's own case list counts them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.enterprises.panels import register_enterprise_panel
from yufang.injuries.models import RATE_KINDS
from yufang.injuries.selectors import cases_visible
from yufang.injuries.services.cases import CASE_WRITERS
from yufang.lib.rates import rate


def injuries_panel(user: Any, enterprise: Any) -> dict[str, Any] | None:
    # A worker's case list is their own case: it says nothing of the enterprise.
    if getattr(user, "role", None) == Role.WORKER:
        return None
    by_year = {
        row["accident_date__year"]: row
        for row in cases_visible(user)
        .filter(enterprise=enterprise)
        .values("accident_date__year")
        .annotate(
            cases=Count("id"),
            counted=Count("id", filter=Q(kind__in=RATE_KINDS)),
            deaths=Count("id", filter=Q(is_death=True)),
        )
        .order_by()
    }
    insured = dict(enterprise.headcounts.values_list("year", "insured_headcount"))
    cases_url = reverse("injuries:cases")
    rows = []
    for year in sorted(set(by_year) | set(insured), reverse=True)[:6]:
        row = by_year.get(year, {"cases": 0, "counted": 0, "deaths": 0})
        per_thousand = rate(row["counted"], insured.get(year), 1000).value
        rows.append(
            [
                year,
                row["cases"],
                row["deaths"],
                insured.get(year, "—"),
                "—" if per_thousand is None else f"{per_thousand:.2f}",
            ]
        )
    return {
        "title": _("Injury cases"),
        "testid": "panel-injuries",
        "table": {
            "head": [
                _("Year"),
                _("Cases"),
                _("Deaths"),
                _("Insured"),
                _("Rate per 1,000"),
            ],
            "rows": rows,
            "empty": _("No case and no insured headcount recorded."),
        },
        "links": [
            {
                "label": _("All cases of this enterprise"),
                "url": f"{cases_url}?{urlencode({'enterprise': enterprise.pk})}",
            },
            *(
                [
                    {
                        "label": _("Record a case"),
                        "url": f"{reverse('injuries:case_new')}?enterprise={enterprise.pk}",
                    }
                ]
                if getattr(user, "role", None) in CASE_WRITERS
                else []
            ),
        ],
    }


register_enterprise_panel("injuries", 40, injuries_panel, "enterprises/_panel.html")
