from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from yufang.accounts.scoping import ScopePaths, scope_queryset
from yufang.grid.models import Grid

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
