from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from yufang.accounts.scoping import regions_visible
from yufang.regions.selectors import region_search

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    parent: str | None
    is_development_zone: bool
    is_pilot: bool | None = None

    @staticmethod
    def resolve_parent(obj: object) -> str | None:
        parent = getattr(obj, "parent", None)
        return parent.code if parent else None


@router.get("", response=list[RegionOut])
@paginate(PageNumberPagination, page_size=100)
def region_list(request: HttpRequest, level: int | None = None, parent: str = "", q: str = ""):  # type: ignore[no-untyped-def]
    """Regions the caller may see; filter by level (1 province … 4 township), parent code, name."""
    return region_search(regions_visible(request.user), level=level, parent=parent, q=q)


@router.get("/{code}", response=RegionOut)
def region_detail(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return get_object_or_404(regions_visible(request.user).select_related("parent"), code=code)
