"""Injury rates by grouping, from the rollup when the question fits it (a regional
official's scope, region and one enterprise attribute) and from the raw cases and headcounts
otherwise; both give the same figures (tests/test_rollup.py). And their export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.db.models import Count, F, Q, Sum, Value
from django.db.models.functions import ExtractYear, Substr
from django.urls import reverse
from django.utils.translation import gettext as _

from yufang.accounts.scoping import (
    home_region,
    scope_queryset,
)
from yufang.enterprises.models import InsuredHeadcount, size_labels
from yufang.enterprises.selectors import enterprise_names
from yufang.industries.models import Industry
from yufang.injuries.models import (
    RATE_KINDS,
    AccidentCategory,
    CaseKind,
    InjuryCase,
    InjuryRollup,
    RollupDimension,
)
from yufang.injuries.selectors.filters import (
    CASE_PATHS,
    GROUPS,
    INDUSTRY_LEVELS,
    REGIONAL_ROLES,
    ROLLUP_PATHS,
    RateFilter,
)
from yufang.injuries.services.rollup import (
    COUNTERS,
    COUNTY_ONLY_DIMENSIONS,
    EXPOSURE_WITH_HOURS,
    exposure_known,
    grid_value,
)
from yufang.lib import rates
from yufang.lib.money import yuan
from yufang.regions.models import Grid, Region


@dataclass
class RateRow:
    key: str
    label: str
    year: int | None
    cases: int = 0
    deaths: int = 0
    lost_time: int = 0
    disease_cases: int = 0
    payout: Decimal = Decimal("0.00")
    headcount: int = 0
    hours: Decimal = Decimal("0")
    hours_cases: int = 0
    hours_lost_time: int = 0
    cases_without_headcount: int = 0
    url: str = ""

    def __post_init__(self) -> None:
        self.payout = yuan(self.payout)

    @property
    def injury_rate(self) -> rates.Rate:
        return rates.rate(self.cases, self.headcount, rates.PER_THOUSAND)

    @property
    def death_rate(self) -> rates.Rate:
        return rates.rate(self.deaths, self.headcount, rates.PER_HUNDRED_THOUSAND)

    @property
    def osha_rate(self) -> rates.Rate:
        return rates.rate(self.hours_cases, float(self.hours), rates.OSHA_HOURS)

    @property
    def ltifr(self) -> rates.Rate:
        return rates.rate(self.hours_lost_time, float(self.hours), rates.LTIFR_HOURS)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "year": self.year,
            "cases": self.cases,
            "deaths": self.deaths,
            "lost_time": self.lost_time,
            "disease_cases": self.disease_cases,
            "payout": self.payout,
            "headcount": self.headcount,
            "hours": self.hours,
            "injury_rate": self.injury_rate.as_dict(),
            "death_rate": self.death_rate.as_dict(),
            "osha_rate": self.osha_rate.as_dict(),
            "ltifr": self.ltifr.as_dict(),
            "url": self.url,
        }


def _uses_rollup(user: Any, by: str, industry_level: int, f: RateFilter) -> bool:
    if getattr(user, "role", None) not in REGIONAL_ROLES or f.enterprise:
        return False
    if by == "enterprise" or (by == "industry" and industry_level > 2):
        return False
    if f.industry and len(f.industry) > 2:
        return False
    dims = {
        d
        for d, used in (
            ("industry", bool(f.industry) or by == "industry"),
            ("risk_class", bool(f.risk_class) or by == "risk_class"),
            ("key", f.key_industry is not None or by == "key_industry"),
            ("size", bool(f.size) or by == "size"),
            ("category", by == "category"),
            ("grid", bool(f.grid) or by == "grid"),
        )
        if used
    }
    if len(dims) > 1:
        return False
    return not (by == "industry" and f.industry)


def _rollup_dimension(by: str, industry_level: int, f: RateFilter) -> tuple[str, str]:
    """The rollup dimension to read and the value to filter on ("" = every value)."""
    if by == "industry":
        return (RollupDimension.SECTION if industry_level == 1 else RollupDimension.DIVISION), ""
    if by == "risk_class":
        return RollupDimension.RISK_CLASS, ""
    if by == "key_industry":
        return RollupDimension.KEY_INDUSTRY, ""
    if by == "size":
        return RollupDimension.SIZE, f.size
    if by == "category":
        return RollupDimension.CATEGORY, ""
    if by == "grid" or f.grid:
        if not f.grid:
            return RollupDimension.GRID, ""
        found = Grid.objects.filter(code=f.grid).values_list("pk", flat=True).first()
        # An unknown code matches no cell, as it matches no enterprise.
        return RollupDimension.GRID, grid_value(found) if found else "-"
    if f.industry:
        dim = RollupDimension.SECTION if f.industry.isalpha() else RollupDimension.DIVISION
        return dim, f.industry
    if f.risk_class:
        return RollupDimension.RISK_CLASS, str(f.risk_class)
    if f.key_industry is not None:
        return RollupDimension.KEY_INDUSTRY, "1" if f.key_industry else "0"
    if f.size:
        return RollupDimension.SIZE, f.size
    return RollupDimension.ALL, ""


def _years_q(field_name: str, f: RateFilter) -> Q:
    q = Q()
    if f.year_from:
        q &= Q(**{f"{field_name}__gte": f.year_from})
    if f.year_to:
        q &= Q(**{f"{field_name}__lte": f.year_to})
    return q


def _rollup_counts(
    user: Any, by: str, industry_level: int, f: RateFilter, per_year: bool
) -> dict[tuple[str, int | None], dict[str, Any]]:
    dimension, value = _rollup_dimension(by, industry_level, f)
    region = home_region(user)
    county_scoped = region is not None and region.level == Region.Level.COUNTY
    city_totals = not (
        by == "county" or f.county or county_scoped or dimension in COUNTY_ONLY_DIMENSIONS
    )
    qs = scope_queryset(user, InjuryRollup.objects.all(), ROLLUP_PATHS).filter(
        _years_q("year", f), dimension=dimension, level="city" if city_totals else "county"
    )
    if value:
        qs = qs.filter(value=value)
    if f.city:
        qs = qs.filter(city__code=f.city)
    if f.county:
        qs = qs.filter(county__code=f.county)
    key_expr = {
        "city": F("city__code"),
        "county": F("county__code"),
        "year": Value(""),
        "total": Value(""),
    }.get(by, F("value"))
    group = ["k", "year"] if per_year or by == "year" else ["k"]
    sums = {name: Sum(name) for name in COUNTERS}
    out: dict[tuple[str, int | None], dict[str, Any]] = {}
    for row in qs.annotate(k=key_expr).values(*group).annotate(**sums).order_by():
        key = str(row["k"]) if by != "year" else str(row["year"])
        out[(key, row.get("year"))] = {n: row[n] or 0 for n in COUNTERS}
    # A cell whose cases and headcounts all moved or went away stays behind, empty: the raw
    # records have no row for it.
    out = {k: c for k, c in out.items() if any(c[n] for n in COUNTERS)}
    if by == "category":
        # Category cells carry no exposure; each category is set against the whole population.
        totals = _rollup_counts(user, "total" if not per_year else "year", 1, f, per_year)
        for (_key, year), counters in out.items():
            total = totals.get(("", None) if not per_year else (str(year), year), {})
            counters["headcount"] = total.get("headcount", 0)
            counters["hours"] = total.get("hours", 0)
    return out


def _raw_key(by: str, industry_level: int) -> Any:
    return {
        "total": Value(""),
        "year": Value(""),
        "city": F("enterprise__city__code"),
        "county": F("enterprise__county__code"),
        "grid": F("enterprise__grid_id"),
        "industry": Substr("enterprise__industry__full_code", 1, INDUSTRY_LEVELS[industry_level]),
        "risk_class": F("enterprise__risk_class"),
        "key_industry": F("enterprise__is_key_industry"),
        "size": F("enterprise__size"),
        "enterprise": F("enterprise_id"),
        "category": F("accident_category"),
    }[by]


def _key_text(by: str, value: Any, industry_level: int) -> str:
    if value is None:
        return ""
    if by == "key_industry":
        return "1" if value else "0"
    if by == "industry" and industry_level > 1:
        return str(value)[1:]
    return str(value)


def _raw_counts(
    user: Any, by: str, industry_level: int, f: RateFilter, per_year: bool
) -> dict[tuple[str, int | None], dict[str, Any]]:
    enterprise_q = f.enterprise_q()
    cases = (
        scope_queryset(user, InjuryCase.objects.all(), CASE_PATHS)
        .filter(enterprise_q)
        .annotate(year=ExtractYear("accident_date"))
        .filter(_years_q("year", f))
        .annotate(exposure=exposure_known())
    )
    counted = Q(kind__in=RATE_KINDS)
    lost = counted & (Q(is_death=True) | Q(disability_grade__isnull=False) | Q(lost_workdays__gt=0))
    key_expr = _raw_key(by, industry_level)
    group = ["k", "year"] if per_year or by == "year" else ["k"]
    out: dict[tuple[str, int | None], dict[str, Any]] = defaultdict(
        lambda: {n: 0 for n in COUNTERS}
    )

    def key_of(row: dict[str, Any]) -> tuple[str, int | None]:
        key = str(row["year"]) if by == "year" else _key_text(by, row["k"], industry_level)
        return key, row.get("year")

    # Grouped by what the enterprise-year has of exposure too: one headcount lookup per case.
    for row in (
        cases.annotate(k=key_expr)
        .values(*group, "exposure")
        .annotate(
            all_cases=Count("pk"),
            cases=Count("pk", filter=counted),
            deaths=Count("pk", filter=counted & Q(is_death=True)),
            lost_time=Count("pk", filter=lost),
            disease_cases=Count("pk", filter=Q(kind=CaseKind.OCCUPATIONAL_DISEASE)),
            payout=Sum("payout"),
        )
        .order_by()
    ):
        target = out[key_of(row)]
        for name in ("cases", "deaths", "lost_time", "disease_cases", "payout"):
            target[name] += row[name] or 0
        if row["exposure"] == EXPOSURE_WITH_HOURS:
            target["hours_cases"] += row["cases"]
            target["hours_lost_time"] += row["lost_time"]
        elif row["exposure"] is None:
            target["cases_without_headcount"] += row["all_cases"]
    exposure = (
        scope_queryset(user, InsuredHeadcount.objects.all(), CASE_PATHS)
        .filter(enterprise_q)
        .filter(_years_q("year", f))
    )
    exposure_key = Value("") if by == "category" else key_expr
    exposure_rows = (
        exposure.annotate(k=exposure_key)
        .values(*group)
        .annotate(headcount=Sum("insured_headcount"), hours=Sum("hours_worked"))
        .order_by()
    )
    if by == "category":
        totals = {row.get("year"): row for row in exposure_rows}
        for (_key, year), counters in out.items():
            total = totals.get(year, {})
            counters["headcount"] = total.get("headcount") or 0
            counters["hours"] = total.get("hours") or 0
        return dict(out)
    for row in exposure_rows:
        target = out[key_of(row)]
        target["headcount"] += row["headcount"] or 0
        target["hours"] += row["hours"] or 0
    return dict(out)


def _labels(by: str, keys: set[str], industry_level: int) -> dict[str, str]:
    if by in ("city", "county"):
        return dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    if by == "industry":
        return {i.code: f"{i.code} {i.name}" for i in Industry.objects.filter(code__in=keys)}
    if by == "enterprise":
        names = enterprise_names(int(k) for k in keys if k.isdigit())
        return {str(pk): name for pk, name in names.items()}
    if by == "category":
        return {str(k): str(v) for k, v in AccidentCategory.choices}
    if by == "size":
        return size_labels()
    if by == "risk_class":
        return {k: (_("class %(n)s") % {"n": k}) if k else _("not classified") for k in keys}
    if by == "key_industry":
        return {"1": _("key industries"), "0": _("other industries")}
    if by == "total":
        return {"": _("total")}
    return {k: k for k in keys}


def _grid_codes(
    counts: dict[tuple[str, int | None], dict[str, Any]],
) -> tuple[dict[tuple[str, int | None], dict[str, Any]], dict[str, str]]:
    """Counts by grid id made counts by grid code, and the grids' names by code, in one
    query (a city has some 1,500 grids)."""
    grids = {
        str(pk): (code, name)
        for pk, code, name in Grid.objects.filter(
            pk__in=[int(k) for k, _y in counts if k]
        ).values_list("pk", "code", "name")
    }
    labels = {code: name for code, name in grids.values()}
    labels[""] = _("not in any grid")
    return {(grids[k][0] if k else "", y): c for (k, y), c in counts.items()}, labels


def _row_urls(cases_url: str, by: str, f: RateFilter) -> Callable[[str, int | None], str]:
    """The link to the cases behind a row (its key, its year or None), for every row of a
    table: the filter's part of the query is encoded once, not once per row (a city's table
    by grid has a row for each of its grids)."""
    params = f.params()
    years = {k: params.pop(k) for k in ("year", "year_from", "year_to") if k in params}
    name = {"category": "accident_category"}.get(by, by)
    keyed = by not in ("total", "year")
    if keyed:
        params.pop(name, None)
    prefix = f"{cases_url}?"
    common = urlencode(params)
    filter_years = urlencode(years)

    def url(key: str, year: int | None) -> str:
        if by == "year":
            parts = [f"year={quote_plus(key)}"]
        elif year is not None:
            parts = [f"year={year}"]
        else:
            parts = [filter_years] if filter_years else []
        if common:
            parts.append(common)
        if keyed:
            parts.append(f"{name}={quote_plus(key)}")
        return prefix + "&".join(parts)

    return url


def rate_rows(
    user: Any,
    *,
    by: str = "year",
    filters: RateFilter | None = None,
    per_year: bool = False,
    industry_level: int = 1,
) -> list[RateRow]:
    """Injury, death, OSHA and LTIFR rates grouped by one dimension (and by year if asked)."""
    f = filters or RateFilter()
    if by not in GROUPS:
        raise ValueError(by)
    industry_level = industry_level if industry_level in INDUSTRY_LEVELS else 1
    source = _rollup_counts if _uses_rollup(user, by, industry_level, f) else _raw_counts
    counts = source(user, by, industry_level, f, per_year)
    if by == "grid":
        counts, labels = _grid_codes(counts)
    else:
        labels = _labels(by, {k for k, _y in counts}, industry_level)
    # Reversed once: a table by enterprise has a row for each of a city's enterprises.
    row_url = _row_urls(reverse("injuries:cases"), by, f)
    rows = [
        RateRow(
            key=key,
            label=labels.get(key, key),
            year=year,
            # The enterprises in no grid: the case list has no filter that picks them alone.
            url="" if by == "grid" and not key else row_url(key, year),
            **{n: counters.get(n, 0) for n in COUNTERS},
        )
        for (key, year), counters in counts.items()
    ]
    rows.sort(key=lambda r: (r.key, r.year or 0))
    if by == "year":
        rows.sort(key=lambda r: r.year or 0)
    return rows


def rates_need_a_region(user: Any, by: str, f: RateFilter) -> str:
    """Why rates by grid or by enterprise are not computed for a whole province (a message
    naming what to choose), or "" when they are. A row per grid or per enterprise: for a
    province, tens of thousands of grids or half a million enterprises (the latter from the
    raw tables) that no one reads (the priority list ranks enterprises)."""
    if by not in ("grid", "enterprise") or f.city or f.county or f.grid or f.enterprise:
        return ""
    region = home_region(user)
    if region is None or region.level != Region.Level.PROVINCE:
        return ""
    return _("Rates by grid or by enterprise are shown for one city or county: choose one.")


# Groupings whose keys are the program's internal values (`small`, `1`/`0`), not codes a
# reader knows: their Code column shows the label.
_KEYS_NOT_CODES = frozenset({"size", "key_industry"})


def rate_export_rows(
    rows: list[RateRow], filters: RateFilter, *, by: str = ""
) -> Iterator[list[Any]]:
    """A row per figure (grouped `by`); a row not split by year says which years its figures
    cover."""
    years = filters.years_covered()
    for r in rows:
        ir, dr, osha, ltifr = r.injury_rate, r.death_rate, r.osha_rate, r.ltifr
        yield [
            r.label if by in _KEYS_NOT_CODES else r.key,
            r.label,
            r.year or years,
            r.cases,
            r.headcount,
            _round(ir.value),
            _round(ir.low),
            _round(ir.high),
            r.deaths,
            _round(dr.value),
            _round(dr.low),
            _round(dr.high),
            r.hours or "",
            r.hours_cases,
            _round(osha.value),
            _round(osha.low),
            _round(osha.high),
            r.hours_lost_time,
            _round(ltifr.value),
            _round(ltifr.low),
            _round(ltifr.high),
            r.disease_cases,
            r.payout,
        ]


def rate_export_headers() -> list[str]:
    return [
        _("Code"),
        _("Name"),
        _("Year"),
        _("Cases"),
        _("Insured headcount"),
        _("Injury rate (‰)"),
        _("95% CI low"),
        _("95% CI high"),
        _("Deaths"),
        _("Death rate (per 100,000)"),
        _("95% CI low"),
        _("95% CI high"),
        _("Hours worked"),
        _("Cases with hours"),
        _("OSHA incidence rate (per 200,000 h)"),
        _("95% CI low"),
        _("95% CI high"),
        _("Lost-time injuries with hours"),
        _("LTIFR (per 1,000,000 h)"),
        _("95% CI low"),
        _("95% CI high"),
        _("Occupational disease cases"),
        _("Fund payout"),
    ]


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)
