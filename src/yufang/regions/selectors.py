from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet

from yufang.accounts.scoping import ScopePaths, scope_queryset
from yufang.regions.models import Grid, PilotYear, Region


def region_search(
    qs: QuerySet[Region], *, level: int | None = None, parent: str = "", q: str = ""
) -> QuerySet[Region]:
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    if q:
        qs = qs.filter(name__icontains=q)
    return qs.select_related("parent").order_by("code")


def with_pilot_flag(qs: QuerySet[Region], year: int) -> QuerySet[Region]:
    return qs.annotate(is_pilot=Exists(PilotYear.objects.filter(city=OuterRef("pk"), year=year)))


def cities() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.CITY).order_by("code")


def pilot_city_codes(year: int) -> set[str]:
    return set(PilotYear.objects.filter(year=year).values_list("city__code", flat=True))


@cache
def _geojson(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def city_map() -> dict[str, Any]:
    """The city boundaries (GeoJSON) for ECharts; the file is replaceable by configuration."""
    return _geojson(str(settings.MAP_CITIES_FILE))


def county_map(city_code: str | None = None) -> dict[str, Any]:
    data = _geojson(str(settings.MAP_COUNTIES_FILE))
    if city_code is None:
        return data
    features = [f for f in data["features"] if str(f["properties"]["adcode"])[:4] == city_code[:4]]
    return {"type": "FeatureCollection", "features": features}


GRID_PATHS = ScopePaths(city="city", county="county", grid="pk")


def grids_visible(user: Any) -> QuerySet[Grid]:
    return scope_queryset(user, Grid.objects.all(), GRID_PATHS)


def grid_list(
    user: Any, *, city: str = "", county: str = "", township: str = "", q: str = ""
) -> QuerySet[Grid]:
    qs = grids_visible(user).select_related("city", "county", "township")
    if city:
        qs = qs.filter(city__code=city)
    if county:
        qs = qs.filter(county__code=county)
    if township:
        qs = qs.filter(township__code=township)
    if q:
        qs = qs.filter(name__icontains=q) | qs.filter(code__startswith=q)
    return qs.annotate(enterprise_count=Count("enterprises")).order_by("code")
