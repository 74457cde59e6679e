from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings

from yufang.regions.models import Grid, PilotYear, Region
from yufang.support.demo import DemoContext

ORDER = 10
# The province reports 7 pilot cities; our sources do not name them, so the demo picks seven.
DEMO_PILOT_CITIES = ["370100", "370200", "370300", "370500", "370700", "370800", "371500"]


def seed_pilot_years(ctx: DemoContext) -> None:
    cities = {c.code: c for c in Region.objects.filter(level=Region.Level.CITY)}
    PilotYear.objects.bulk_create(
        [
            PilotYear(city=cities[code], year=year, note="demo")
            for code in DEMO_PILOT_CITIES
            for year in range(2018, ctx.today.year + 1)
        ],
        ignore_conflicts=True,
    )
    ctx.shared["pilot_cities"] = DEMO_PILOT_CITIES


GRIDS_PER_CITY = {"370200": 40, "370100": 30, "370500": 24}  # others: 16
DEMO_COUNTY = "370211"  # 黄岛区, Qingdao: home of the county, grid and enterprise accounts


def county_centres() -> dict[str, tuple[float, float]]:
    """Rough centre (mean of the outer ring) of each county, from the map file."""
    data = json.loads(settings.MAP_COUNTIES_FILE.read_text(encoding="utf-8"))
    centres = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        ring = (
            geometry["coordinates"][0]
            if geometry["type"] == "Polygon"
            else geometry["coordinates"][0][0]
        )
        lng = sum(p[0] for p in ring) / len(ring)
        lat = sum(p[1] for p in ring) / len(ring)
        centres[str(feature["properties"]["adcode"])] = (lat, lng)
    return centres


def seed_grids(ctx: DemoContext) -> None:
    centres = county_centres()
    townships_by_city: dict[str, list[Region]] = {}
    for t in (
        Region.objects.filter(level=Region.Level.TOWNSHIP)
        .select_related("county", "city")
        .order_by("code")
    ):
        townships_by_city.setdefault(t.city.code, []).append(t)  # type: ignore[union-attr]
    grids: list[Grid] = []
    for city_code, townships in sorted(townships_by_city.items()):
        count = GRIDS_PER_CITY.get(city_code, 16)
        chosen = ctx.rng.sample(townships, min(len(townships), max(4, count // 3)))
        if city_code == DEMO_COUNTY[:4] + "00":
            chosen = [t for t in townships if t.county.code == DEMO_COUNTY][:4] + chosen  # type: ignore[union-attr]
        for i in range(count):
            township = chosen[i % len(chosen)]
            number = sum(1 for g in grids if g.township_id == township.pk) + 1
            lat, lng = centres.get(township.county.code, (36.6, 117.0))  # type: ignore[union-attr]
            grids.append(
                Grid(
                    code=f"{township.code}{number:03d}",
                    name=f"{township.name}第{number}网格",
                    township=township,
                    county=township.county,
                    city=township.city,
                    latitude=Decimal(str(round(lat + ctx.rng.uniform(-0.05, 0.05), 6))),
                    longitude=Decimal(str(round(lng + ctx.rng.uniform(-0.05, 0.05), 6))),
                )
            )
    Grid.objects.bulk_create(grids)
    ctx.shared["county_centres"] = centres


def seed(ctx: DemoContext) -> None:
    seed_pilot_years(ctx)
    seed_grids(ctx)
