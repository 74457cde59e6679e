from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping import home_region
from yufang.enterprises.selectors import registry_figures_by_area
from yufang.regions.models import Region
from yufang.regions.selectors import grids_visible, pilot_city_codes
from yufang.support.http import spreadsheet_response
from yufang.support.landing import landing_for
from yufang.support.todos import todos_for


def _map_option(
    rows: list[dict[str, Any]], *, map_name: str, param: str, series_name: str
) -> dict[str, Any]:
    top = max((r["enterprises"] for r in rows), default=0)
    list_url = reverse("enterprises:enterprises")
    return {
        "tooltip": {"trigger": "item"},
        "visualMap": {
            "min": 0,
            "max": max(top, 1),
            "left": "left",
            "bottom": 10,
            "calculable": True,
            "text": [_("more"), _("fewer")],
            "inRange": {"color": ["#e8f1fb", "#206bc4"]},
        },
        "series": [
            {
                "name": series_name,
                "type": "map",
                "map": map_name,
                "roam": False,
                "label": {"show": True, "fontSize": 10},
                "data": [
                    {
                        "name": r["name"],
                        "value": r["enterprises"],
                        "url": f"{list_url}?{param}={r['code']}",
                    }
                    for r in rows
                ],
            }
        ],
    }


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    landing = landing_for(user.role)
    if landing is not None:
        return redirect(landing)
    region = home_region(user)
    if region is None:
        return render(request, "home/personal.html", {"todos": todos_for(user)})
    by = "city" if region.level == Region.Level.PROVINCE else "county"
    rows = registry_figures_by_area(user, by=by)
    year = timezone.localdate().year
    pilots = pilot_city_codes(year)
    for row in rows:
        row["is_pilot"] = row["code"] in pilots
    if request.GET.get("export") in ("xlsx", "csv"):
        headers = [
            _("code"),
            _("area"),
            _("enterprises"),
            _("key-industry enterprises"),
            _("insured headcount"),
            _("headcount year"),
        ]
        return spreadsheet_response(
            _("registry-figures"),
            headers,
            (
                [
                    r["code"],
                    r["name"],
                    r["enterprises"],
                    r["key_enterprises"],
                    r["insured"],
                    r["year"],
                ]
                for r in rows
            ),
            kind=request.GET["export"],
        )
    city = (
        region
        if region.level == Region.Level.CITY
        else region.city
        if region.level == Region.Level.COUNTY
        else None
    )
    if city is None:
        map_url, map_name = reverse("regions:map", args=["cities"]), "shandong-cities"
    else:
        map_url = reverse("regions:map", args=["counties"]) + f"?city={city.code}"
        map_name = f"counties-{city.code}"
    totals = {
        "enterprises": sum(r["enterprises"] for r in rows),
        "key_enterprises": sum(r["key_enterprises"] for r in rows),
        "insured": sum(r["insured"] for r in rows),
        "year": next((r["year"] for r in rows if r["year"]), None),
        "grids": grids_visible(user).count(),
        "pilot_cities": len(pilots),
    }
    context = {
        "region": region,
        "rows": rows,
        "by": by,
        "totals": totals,
        "pilot_year": year,
        "map_url": map_url,
        "map_name": map_name,
        "map_option": _map_option(rows, map_name=map_name, param=by, series_name=_("enterprises")),
        "todos": todos_for(user),
    }
    return render(request, "home/region.html", context)
