"""Coverage pages: the table and map by area, the lagging grids and idle workers, the
records behind every figure, and the Excel export."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping import home_region, regions_visible
from yufang.accounts.scoping.grid import require_grid_official
from yufang.grid.selectors import coverage as cov
from yufang.grid.views.common import WINDOW_DAYS, int_or_none, window_of
from yufang.regions.models import Region
from yufang.support.http import spreadsheet_response

CHILD_LEVEL = {
    Region.Level.PROVINCE: "city",
    Region.Level.CITY: "county",
    Region.Level.COUNTY: "township",
    Region.Level.TOWNSHIP: "grid",
}


def _level_names() -> dict[str, str]:
    return {
        "city": _("City"),
        "county": _("County"),
        "township": _("Township"),
        "grid": _("Grid"),
    }


def _map(rows: list[cov.CoverageRow], region: Region, level: str) -> dict[str, Any] | None:
    """The map of the share done on time, for cities (the province) or counties (a city)."""
    if level == "city":
        url, name = reverse("regions:map", args=["cities"]), "shandong-cities"
    elif level == "county" and region.level == Region.Level.CITY:
        url = reverse("regions:map", args=["counties"]) + f"?city={region.code}"
        name = f"counties-{region.code}"
    else:
        return None
    option = {
        "tooltip": {"trigger": "item"},
        "visualMap": {
            "min": 0,
            "max": 100,
            "left": "left",
            "bottom": 10,
            "calculable": True,
            "text": [_("done on time (%)"), ""],
            "inRange": {"color": ["#d63939", "#f59f00", "#2fb344"]},
        },
        "series": [
            {
                "name": _("done on time (%)"),
                "type": "map",
                "map": name,
                "roam": False,
                "label": {"show": True, "fontSize": 10},
                "data": [
                    {
                        "name": r.name,
                        "value": float(r.on_time_percent)
                        if r.on_time_percent is not None
                        else None,
                        "url": r.links["due"],
                    }
                    for r in rows
                ],
            }
        ],
    }
    return {"option": option, "url": url, "name": name}


def _export(rows: list[cov.CoverageRow], kind: str) -> HttpResponse:
    headers = [
        _("code"),
        _("area"),
        _("due screenings"),
        _("done on time"),
        _("share done on time (%)"),
        _("overdue tasks"),
        _("screenings"),
        _("hazards found"),
        _("hazards per 100 screenings"),
        _("far from the enterprise"),
        _("enterprises"),
        _("never screened"),
        _("not screened in their period"),
        _("grid workers"),
        _("idle grid workers"),
    ]
    return spreadsheet_response(
        _("grid-coverage"),
        headers,
        (
            [
                r.code,
                r.name,
                r.due,
                r.on_time,
                r.on_time_percent,
                r.overdue,
                r.screenings,
                r.findings,
                r.findings_per_100,
                r.far,
                r.enterprises,
                r.never,
                r.not_in_period,
                r.workers,
                r.idle,
            ]
            for r in rows
        ),
        kind=kind,
    )


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    """Coverage of the user's region by its next level down (or by grid), the lagging areas
    and the idle workers, with a map for cities and counties."""
    user = request.user
    if user.role == Role.GRID_WORKER:
        return redirect("grid:my_work")
    require_grid_official(user)
    today = timezone.localdate()
    window, days = window_of(request)
    home = home_region(user) or Region.objects.get(level=Region.Level.PROVINCE)
    region = home
    code = request.GET.get("region", "").strip()[:12]
    if code:
        region = regions_visible(user).filter(code=code).first() or home
    level = request.GET.get("level", "")
    if level not in cov.LEVELS:
        level = CHILD_LEVEL.get(Region.Level(region.level), "grid")
    rows = cov.coverage(user, level=level, window=window, today=today, within=region)
    if request.GET.get("export") in ("xlsx", "csv"):
        return _export(rows, request.GET["export"])
    grid_rows = (
        rows
        if level == "grid"
        else cov.coverage(user, level="grid", window=window, today=today, within=region)
    )
    idle = cov.records(user, kind="idle", level="", area=None, window=window, today=today)
    if region.level != Region.Level.PROVINCE:
        idle = idle.filter(cov.area_filter(Region.Level(region.level).name.lower(), region.pk))
    context = {
        "region": region,
        "home": home,
        "level": level,
        "levels": _level_names(),
        "level_name": _level_names()[level],
        "rows": rows,
        "total": cov.coverage_total(rows, window),
        "lagging": cov.lagging(grid_rows, today)[:20],
        "idle": list(idle[:50]),
        "window": window,
        "days": days,
        "window_days": WINDOW_DAYS,
        "map": _map(rows, region, level),
        "may_drill": level in ("city", "county", "township"),
        "next_level": {"city": "county", "county": "township", "township": "grid"}.get(level),
        "today": today,
    }
    return render(request, "grid/index.html", context)


@login_required
def records(request: AuthedRequest) -> HttpResponse:
    """The records behind one figure of the coverage page."""
    user = request.user
    if user.role != Role.GRID_WORKER:
        require_grid_official(user)
    today = timezone.localdate()
    window, _days = window_of(request)
    kind = request.GET.get("kind", "due")
    if kind not in cov.KINDS:
        kind = "due"
    level = request.GET.get("level", "")
    area = int_or_none(request.GET.get("area"))
    qs = cov.records(user, kind=kind, level=level, area=area, window=window, today=today)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    titles = {
        "due": _("Screenings due"),
        "on_time": _("Screenings done on time"),
        "overdue": _("Overdue screening tasks"),
        "screenings": _("Screenings done"),
        "findings": _("Screenings that found hazards"),
        "far": _("Screenings far from the enterprise"),
        "never": _("Enterprises never screened"),
        "not_in_period": _("Enterprises not screened in their period"),
        "workers": _("Grid workers"),
        "idle": _("Grid workers with no recent screening"),
    }
    shape = (
        "tasks"
        if kind in ("due", "on_time", "overdue")
        else "screenings"
        if kind in ("screenings", "findings", "far")
        else "enterprises"
        if kind in ("never", "not_in_period")
        else "workers"
    )
    return render(
        request,
        "grid/records.html",
        {
            "title": titles[kind],
            "page_obj": page,
            "shape": shape,
            "window": window,
            "today": today,
            "query": request.GET.urlencode(),
        },
    )
