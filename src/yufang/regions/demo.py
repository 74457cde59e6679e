from __future__ import annotations

from yufang.home.demo import DemoContext
from yufang.regions.models import PilotYear, Region

ORDER = 10
# The province reports 7 pilot cities; our sources do not name them, so the demo picks seven.
DEMO_PILOT_CITIES = ["370100", "370200", "370300", "370500", "370700", "370800", "371500"]


def seed(ctx: DemoContext) -> None:
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
