"""Progress toward the dated reduction targets, and the pilot cities compared with the others."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.injuries.selectors.dashboard import latest_year
from yufang.injuries.selectors.filters import REGIONAL_ROLES, RateFilter
from yufang.injuries.selectors.rates import RateRow, rate_rows
from yufang.injuries.services.rollup import COUNTERS
from yufang.lib import rates
from yufang.regions.models import PilotYear, Region


@dataclass
class TargetProgress:
    plan: str
    region_code: str
    region_name: str
    industry_set: str
    baseline_year: int
    target_year: int
    change_percent: float
    baseline_rate: float | None
    target_rate: float | None
    years: list[int]
    rates: list[float | None]
    expected: list[float | None]
    latest_year: int | None
    latest_rate: float | None
    change_so_far: float | None
    status: str  # met / on_track / behind / no_data
    source: str

    @property
    def status_label(self) -> str:
        return str(TARGET_STATUS.get(self.status, self.status))

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.plan,
            "region": self.region_code,
            "region_name": self.region_name,
            "industry_set": self.industry_set,
            "baseline_year": self.baseline_year,
            "target_year": self.target_year,
            "change_percent": self.change_percent,
            "baseline_rate": self.baseline_rate,
            "target_rate": self.target_rate,
            "years": self.years,
            "rates": self.rates,
            "expected": self.expected,
            "latest_year": self.latest_year,
            "latest_rate": self.latest_rate,
            "change_so_far": self.change_so_far,
            "status": self.status,
            "source": self.source,
        }


TARGET_STATUS = {
    "met": _("met"),
    "on_track": _("on track"),
    "behind": _("behind"),
    "no_data": _("no data"),
}


def target_status(
    *,
    baseline_year: int,
    target_year: int,
    baseline_rate: float | None,
    change_percent: float,
    latest_year: int | None,
    latest_rate: float | None,
) -> str:
    """Met: the target rate is reached. On track: at or below the straight line from the
    baseline to the target in the latest year. Behind: above that line."""
    if baseline_rate is None or latest_rate is None or latest_year is None:
        return "no_data"
    target = baseline_rate * (1 + change_percent / 100)
    if latest_year > baseline_year and latest_rate <= target:
        return "met"
    share = min(1.0, max(0.0, (latest_year - baseline_year) / (target_year - baseline_year)))
    expected = baseline_rate * (1 + change_percent / 100 * share)
    return "on_track" if latest_rate <= expected + 1e-12 else "behind"


def _targets_in_force(on: dt.date) -> tuple[list[dict[str, Any]], str]:
    parameter = policy.parameter("injury_rate_targets").on(on)
    return list(parameter.value), parameter.source


def target_progress(
    user: Any, *, region: Region, on: dt.date | None = None
) -> list[TargetProgress]:
    """Progress of a region (province or city) against every plan in force for it."""
    on = on or timezone.localdate()
    plans, source = _targets_in_force(on)
    province_code = region.code if region.level == Region.Level.PROVINCE else ""
    if not province_code:
        province = Region.objects.filter(level=Region.Level.PROVINCE).first()
        province_code = province.code if province else ""
    out: list[TargetProgress] = []
    last = latest_year(user)
    for plan in plans:
        if plan["region"] not in ("national", province_code):
            continue
        f = RateFilter(
            year_from=int(plan["baseline_year"]),
            year_to=int(plan["target_year"]),
            key_industry=True if plan["industry_set"] == "key" else None,
            city=region.code if region.level == Region.Level.CITY else "",
            county=region.code if region.level == Region.Level.COUNTY else "",
        )
        # Years after the last one with recorded cases have exposure but no cases yet.
        by_year = {
            r.year: r.injury_rate.value
            for r in rate_rows(user, by="year", filters=f)
            if r.year is not None and r.year <= last
        }
        years = list(range(int(plan["baseline_year"]), int(plan["target_year"]) + 1))
        baseline = by_year.get(int(plan["baseline_year"]))
        change = float(plan["change_percent"])
        span = int(plan["target_year"]) - int(plan["baseline_year"])
        expected = [
            None if baseline is None else baseline * (1 + change / 100 * (y - years[0]) / span)
            for y in years
        ]
        with_data = [y for y in years if y <= last and by_year.get(y) is not None]
        latest = with_data[-1] if with_data else None
        latest_rate = by_year.get(latest) if latest else None
        out.append(
            TargetProgress(
                plan=str(plan["plan"]),
                region_code=region.code,
                region_name=region.name,
                industry_set=str(plan["industry_set"]),
                baseline_year=int(plan["baseline_year"]),
                target_year=int(plan["target_year"]),
                change_percent=change,
                baseline_rate=baseline,
                target_rate=None if baseline is None else baseline * (1 + change / 100),
                years=years,
                rates=[by_year.get(y) for y in years],
                expected=expected,
                latest_year=latest,
                latest_rate=latest_rate,
                change_so_far=rates.percent_change(baseline, latest_rate)
                if latest and latest > years[0]
                else None,
                status=target_status(
                    baseline_year=int(plan["baseline_year"]),
                    target_year=int(plan["target_year"]),
                    baseline_rate=baseline,
                    change_percent=change,
                    latest_year=latest if latest and latest > years[0] else None,
                    latest_rate=latest_rate,
                ),
                source=source,
            )
        )
    return out


def targets_overview(user: Any, *, on: dt.date | None = None) -> list[TargetProgress]:
    """The province (if visible) and each visible city against the plans."""
    from yufang.accounts.scoping import regions_visible

    regions = (
        regions_visible(user)
        .filter(level__in=[Region.Level.PROVINCE, Region.Level.CITY])
        .order_by("level", "code")
    )
    if getattr(user, "role", None) not in REGIONAL_ROLES:
        return []
    found: list[TargetProgress] = []
    for region in regions:
        found.extend(target_progress(user, region=region, on=on))
    return found


def pilot_comparison(user: Any, filters: RateFilter | None = None) -> dict[str, Any]:
    """Injury rates of pilot and non-pilot cities over the same years."""
    f = filters or RateFilter()
    if f.year_to is None:
        f = RateFilter(**{**f.__dict__, "year_to": latest_year(user)})
    pilots = set(PilotYear.objects.values_list("city__code", flat=True))
    rows = rate_rows(user, by="city", filters=f, per_year=True)
    groups: dict[tuple[bool, int], RateRow] = {}
    for r in rows:
        if r.year is None:
            continue
        pilot = r.key in pilots
        g = groups.setdefault(
            (pilot, r.year), RateRow(key="pilot" if pilot else "other", label="", year=r.year)
        )
        for name in COUNTERS:
            setattr(g, name, getattr(g, name) + getattr(r, name))
    years = sorted({y for _p, y in groups})
    # Only years where both groups have exposure are compared.
    common = [
        y
        for y in years
        if groups.get((True, y))
        and groups.get((False, y))
        and groups[(True, y)].headcount
        and groups[(False, y)].headcount
    ]

    def series(pilot: bool) -> list[dict[str, Any]]:
        return [
            {
                "year": y,
                "cases": groups[(pilot, y)].cases,
                "headcount": groups[(pilot, y)].headcount,
                "injury_rate": groups[(pilot, y)].injury_rate.as_dict(),
            }
            for y in common
        ]

    pilot_series, other_series = series(True), series(False)

    def change(s: list[dict[str, Any]]) -> float | None:
        if len(s) < 2:
            return None
        return rates.percent_change(s[0]["injury_rate"]["value"], s[-1]["injury_rate"]["value"])

    return {
        "years": common,
        "pilot_cities": sorted(pilots),
        "pilot": pilot_series,
        "other": other_series,
        "pilot_change_percent": change(pilot_series),
        "other_change_percent": change(other_series),
    }
