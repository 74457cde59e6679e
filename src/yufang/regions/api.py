from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from yufang.accounts.scoping import regions_visible
from yufang.regions.models import Grid
from yufang.regions.selectors import grid_list, region_search, with_pilot_flag
from yufang.support.bounds import Code, RegionLevel, Search, Year, paginated

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None
    is_development_zone: bool
    is_pilot: bool = False

    @staticmethod
    def resolve_parent(obj: object) -> str | None:
        parent = getattr(obj, "parent", None)
        return parent.code if parent else None


@router.get("", response=list[RegionOut])
@paginated(page_size=100)
def region_list(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    level: RegionLevel | None = None,
    parent: Code = "",
    q: Search = "",
    year: Year | None = None,
):
    """Regions the caller may see; filter by level (1 province … 4 township), parent code, name.
    `is_pilot` says whether a city ran the prevention pilot in `year` (default: this year)."""
    qs = region_search(regions_visible(request.user), level=level, parent=parent, q=q)
    return with_pilot_flag(qs, year or timezone.localdate().year)


@router.get("/{code}", response=RegionOut)
def region_detail(request: HttpRequest, code: str, year: Year | None = None):  # type: ignore[no-untyped-def]
    qs = with_pilot_flag(
        regions_visible(request.user).select_related("parent"), year or timezone.localdate().year
    )
    return get_object_or_404(qs, code=code)


grids_router = Router(tags=["grids"])


class GridOut(Schema):
    code: str
    name: str
    township: str
    county: str
    city: str
    latitude: Decimal | None
    longitude: Decimal | None
    enterprise_count: int = 0

    @staticmethod
    def resolve_township(obj: Grid) -> str:
        return obj.township.code

    @staticmethod
    def resolve_county(obj: Grid) -> str:
        return obj.county.code

    @staticmethod
    def resolve_city(obj: Grid) -> str:
        return obj.city.code


@grids_router.get("", response=list[GridOut])
@paginated(page_size=100)
def grids(request: HttpRequest, city: str = "", county: str = "", township: str = "", q: str = ""):  # type: ignore[no-untyped-def]
    return grid_list(request.user, city=city, county=county, township=township, q=q)
