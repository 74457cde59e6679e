from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from yufang.grid.models import Grid
from yufang.grid.selectors import grid_list
from yufang.support.bounds import paginated

router = Router(tags=["grids"])


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


@router.get("", response=list[GridOut])
@paginated(page_size=100)
def grids(request: HttpRequest, city: str = "", county: str = "", township: str = "", q: str = ""):  # type: ignore[no-untyped-def]
    return grid_list(request.user, city=city, county=county, township=township, q=q)
