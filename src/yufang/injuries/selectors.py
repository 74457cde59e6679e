"""Reads of injury cases, rates, targets and the prevention priority list.

Rates come from the rollup when the question fits it (a regional official's scope, region and
one enterprise attribute) and from the raw cases and headcounts otherwise; both give the
same figures (tests/test_rollup.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import ExtractYear, Substr
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    OFFICIAL_ROLES,
    PROVINCE_WIDE_ROLES,
    ScopePaths,
    home_region,
    personal_scope_q,
    scope_q,
    scope_queryset,
    sees_person_names,
)
from yufang.enterprises.models import EnterpriseSize, InsuredHeadcount
from yufang.enterprises.selectors import enterprise_names
from yufang.industries.models import Industry
from yufang.injuries.models import (
    RATE_KINDS,
    AccidentCategory,
    CaseKind,
    InjuryCase,
    InjuryRollup,
    PriorityScore,
    RollupDimension,
)
from yufang.injuries.services.priority import priority_ranking
from yufang.injuries.services.rollup import COUNTERS, EXPOSURE_WITH_HOURS, exposure_known
from yufang.lib import rates
from yufang.regions.models import PilotYear, Region
from yufang.support.bounds import bounded_id, bounded_int, bounded_year

CASE_PATHS = ScopePaths.via_enterprise("enterprise")
ROLLUP_PATHS = ScopePaths(city="city", county="county")
# A ranking's scores carry their enterprise's city and county (see PriorityScore).
PRIORITY_PATHS = ScopePaths(
    city="city", county="county", grid="enterprise__grid", enterprise="enterprise"
)
# Roles whose scope is a region, so the rollup (kept per county) can answer for them.
REGIONAL_ROLES = PROVINCE_WIDE_ROLES | OFFICIAL_ROLES | {Role.AUDITOR, Role.DEPARTMENT_LIAISON}

GROUPS = (
    "total",
    "year",
    "city",
    "county",
    "grid",
    "industry",
    "risk_class",
    "key_industry",
    "size",
    "enterprise",
    "category",
)
INDUSTRY_LEVELS = {1: 1, 2: 3, 3: 4, 4: 5}  # level -> length of full_code (A, A01, A011, A0111)


# Text filters longer than any code or name they compare with are ignored, as a blank one.
_MAX_CODE = 32
_MAX_SEARCH = 100


def _code(text: str) -> str:
    return text if len(text) <= _MAX_CODE else ""


@dataclass
class RateFilter:
    """Which cases and exposure count: the same names in URLs, the API and exports."""

    year_from: int | None = None
    year_to: int | None = None
    city: str = ""
    county: str = ""
    grid: str = ""
    industry: str = ""
    risk_class: int | None = None
    key_industry: bool | None = None
    size: str = ""
    enterprise: int | None = None

    @classmethod
    def from_params(cls, params: Any) -> RateFilter:
        def text(name: str) -> str:
            return str(params.get(name) or "").strip()

        year = bounded_year(text("year"))
        key = text("key_industry").lower()
        return cls(
            year_from=year or bounded_year(text("year_from")),
            year_to=year or bounded_year(text("year_to")),
            city=_code(text("city")),
            county=_code(text("county")),
            grid=_code(text("grid")),
            industry=_code(text("industry").upper()),
            risk_class=bounded_int(text("risk_class"), low=1, high=8),
            key_industry={"1": True, "true": True, "0": False, "false": False}.get(key),
            size=_code(text("size")),
            enterprise=bounded_id(text("enterprise")),
        )

    def params(self) -> dict[str, str]:
        """The filter as URL parameters (for links to the records behind a figure)."""
        out: dict[str, str] = {}
        if self.year_from and self.year_from == self.year_to:
            out["year"] = str(self.year_from)
        else:
            if self.year_from:
                out["year_from"] = str(self.year_from)
            if self.year_to:
                out["year_to"] = str(self.year_to)
        for name in ("city", "county", "grid", "industry", "size"):
            if getattr(self, name):
                out[name] = getattr(self, name)
        if self.risk_class:
            out["risk_class"] = str(self.risk_class)
        if self.key_industry is not None:
            out["key_industry"] = "1" if self.key_industry else "0"
        if self.enterprise:
            out["enterprise"] = str(self.enterprise)
        return out

    def years_covered(self) -> int | str:
        """The year, or the years, the figures of a row not split by year cover."""
        first, last = self.year_from, self.year_to
        if first and first == last:
            return first
        if first or last:
            return f"{first or ''}–{last or ''}"
        return _("all years")

    def enterprise_q(self, prefix: str = "enterprise__", *, region_prefix: str | None = None) -> Q:
        """The filter on enterprises' fields through `prefix`; their city and county through
        `region_prefix` where the rows carry their own (default: `prefix`)."""
        regions = prefix if region_prefix is None else region_prefix
        q = Q()
        if self.city:
            q &= Q(**{f"{regions}city__code": self.city})
        if self.county:
            q &= Q(**{f"{regions}county__code": self.county})
        if self.grid:
            q &= Q(**{f"{prefix}grid__code": self.grid})
        if self.industry:
            if self.industry.isalpha():
                q &= Q(**{f"{prefix}industry__section": self.industry})
            else:
                q &= Q(**{f"{prefix}industry__code__startswith": self.industry})
        if self.risk_class:
            q &= Q(**{f"{prefix}risk_class": self.risk_class})
        if self.key_industry is not None:
            q &= Q(**{f"{prefix}is_key_industry": self.key_industry})
        if self.size:
            q &= Q(**{f"{prefix}size": self.size})
        if self.enterprise:
            q &= Q(
                **{f"{prefix.removesuffix('__') or 'pk'}_id" if prefix else "pk": self.enterprise}
            )
        return q


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
    if getattr(user, "role", None) not in REGIONAL_ROLES or f.grid or f.enterprise:
        return False
    if by in ("grid", "enterprise") or (by == "industry" and industry_level > 2):
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
    city_totals = not (by == "county" or f.county or county_scoped)
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
    if by == "category":
        # A category whose cases were all edited away leaves an empty cell behind.
        out = {k: c for k, c in out.items() if any(c[n] for n in COUNTERS)}
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
        "grid": F("enterprise__grid__code"),
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
    if by == "grid":
        from yufang.grid.models import Grid

        return dict(Grid.objects.filter(code__in=keys).values_list("code", "name"))
    if by == "industry":
        return {i.code: f"{i.code} {i.name}" for i in Industry.objects.filter(code__in=keys)}
    if by == "enterprise":
        names = enterprise_names(int(k) for k in keys if k.isdigit())
        return {str(pk): name for pk, name in names.items()}
    if by == "category":
        return {str(k): str(v) for k, v in AccidentCategory.choices}
    if by == "size":
        return {str(k): str(v) for k, v in EnterpriseSize.choices}
    if by == "risk_class":
        return {k: (_("class %(n)s") % {"n": k}) if k else _("not classified") for k in keys}
    if by == "key_industry":
        return {"1": _("key industries"), "0": _("other industries")}
    if by == "total":
        return {"": _("total")}
    return {k: k for k in keys}


def _row_url(cases_url: str, by: str, key: str, year: int | None, f: RateFilter) -> str:
    params = f.params()
    if year is not None:
        params.pop("year_from", None)
        params.pop("year_to", None)
        params["year"] = str(year)
    if by == "year":
        params.pop("year_from", None)
        params.pop("year_to", None)
        params["year"] = key
    elif by == "category":
        params["accident_category"] = key
    elif by == "key_industry":
        params["key_industry"] = key
    elif by != "total":
        params[by] = key
    from urllib.parse import urlencode

    return f"{cases_url}?{urlencode(params)}"


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
    labels = _labels(by, {k for k, _y in counts}, industry_level)
    # Reversed once: a table by enterprise has a row for each of a city's enterprises.
    cases_url = reverse("injuries:cases")
    rows = [
        RateRow(
            key=key,
            label=labels.get(key, key),
            year=year,
            url=_row_url(cases_url, by, key, year, f),
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
    naming what to choose), or "" when they are. Those groups come from the raw tables, a row
    per grid or per enterprise: for a province, tens of seconds for half a million rows that
    no one reads (the priority list ranks enterprises)."""
    if by not in ("grid", "enterprise") or f.city or f.county or f.grid or f.enterprise:
        return ""
    region = home_region(user)
    if region is None or region.level != Region.Level.PROVINCE:
        return ""
    return _("Rates by grid or by enterprise are shown for one city or county: choose one.")


def rate_export_rows(rows: list[RateRow], filters: RateFilter) -> Iterator[list[Any]]:
    """A row per figure; a row not split by year says which years its figures cover."""
    years = filters.years_covered()
    for r in rows:
        ir, dr, osha, ltifr = r.injury_rate, r.death_rate, r.osha_rate, r.ltifr
        yield [
            r.key,
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


def latest_year(user: Any) -> int:
    """The latest year with recorded cases: the year dashboards open on and the last year of
    trends and targets. A later year with headcounts but no cases yet (recognition takes
    months) would otherwise show a false fall to zero."""
    found = (
        InjuryRollup.objects.filter(level="city", dimension=RollupDimension.ALL, cases__gt=0)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if found is None:
        found = InjuryCase.objects.aggregate(y=Max("accident_date__year"))["y"]
    if found is None:
        found = InsuredHeadcount.objects.aggregate(y=Max("year"))["y"]
    return int(found or timezone.localdate().year - 1)


def dashboard_focus(
    user: Any, *, city_code: str = "", county_code: str = ""
) -> tuple[Region | None, Region | None]:
    """The city and county a dashboard is about: the ones asked for if the user may see
    them (404 otherwise), else the user's own city or county; (None, None) = the province."""
    from django.http import Http404

    from yufang.accounts.scoping import regions_visible

    visible = regions_visible(user)
    county = None
    if county_code:
        county = visible.filter(code=county_code, level=Region.Level.COUNTY).first()
        if county is None:
            raise Http404(_("No such county in your region."))
    city = None
    if city_code:
        city = visible.filter(code=city_code, level=Region.Level.CITY).first()
        if city is None:
            raise Http404(_("No such city in your region."))
    if county is not None:
        city = county.city
    if city is None and county is None:
        region = home_region(user)
        if region is not None and region.level == Region.Level.CITY:
            city = region
        elif region is not None and region.level == Region.Level.COUNTY:
            county, city = region, region.city
    return city, county


def dashboard_target_region(
    user: Any, *, city: Region | None, county: Region | None
) -> Region | None:
    """Targets are set for the province and each city; a county view shows none."""
    if getattr(user, "role", None) not in REGIONAL_ROLES or county is not None:
        return None
    return city or Region.objects.filter(level=Region.Level.PROVINCE).first()


# --- cases --------------------------------------------------------------------------------


@dataclass
class CaseFilter:
    rates: RateFilter = field(default_factory=RateFilter)
    q: str = ""
    kind: str = ""
    accident_category: str = ""
    death: bool | None = None
    counted: bool = False
    missing_headcount: bool = False
    search_names: bool = True

    @classmethod
    def from_params(cls, params: Any) -> CaseFilter:
        def text(name: str) -> str:
            return str(params.get(name) or "").strip()

        death = text("death").lower()
        return cls(
            rates=RateFilter.from_params(params),
            q=text("q")[:_MAX_SEARCH],
            kind=_code(text("kind")),
            accident_category=_code(text("accident_category")),
            death={"1": True, "true": True, "0": False, "false": False}.get(death),
            counted=text("counted") in ("1", "true"),
            missing_headcount=text("missing_headcount") in ("1", "true"),
        )

    def apply(self, qs: QuerySet[InjuryCase]) -> QuerySet[InjuryCase]:
        qs = qs.filter(self.rates.enterprise_q())
        if self.rates.year_from:
            qs = qs.filter(accident_date__year__gte=self.rates.year_from)
        if self.rates.year_to:
            qs = qs.filter(accident_date__year__lte=self.rates.year_to)
        if self.q:
            found = Q(case_number__icontains=self.q) | Q(enterprise__name__icontains=self.q)
            if self.search_names:
                found |= Q(person_name__icontains=self.q)
            qs = qs.filter(found)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.counted:
            qs = qs.filter(kind__in=RATE_KINDS)
        if self.accident_category:
            qs = qs.filter(accident_category=self.accident_category)
        if self.death is not None:
            qs = qs.filter(is_death=self.death)
        if self.missing_headcount:
            missing = _enterprises_without_headcount(
                qs,
                [
                    year
                    for year in _years_with_cases_without_headcount()
                    if (self.rates.year_from or 0) <= year <= (self.rates.year_to or 9999)
                ],
            )
            # The cases listed are a plain filter on enterprise and date.
            q = Q(pk__in=[])
            for year, ids in missing.items():
                q |= Q(
                    enterprise_id__in=ids,
                    accident_date__gte=dt.date(year, 1, 1),
                    accident_date__lte=dt.date(year, 12, 31),
                )
            qs = qs.filter(q)
        return qs


def _years_with_cases_without_headcount(user: Any = None) -> list[int]:
    """The years in which the rollup counts cases without an insured headcount (in the
    user's region, or anywhere): a few county cells, read instead of every case."""
    cells = InjuryRollup.objects.filter(
        level="county", dimension=RollupDimension.ALL, cases_without_headcount__gt=0
    )
    if user is not None:
        cells = scope_queryset(user, cells, ROLLUP_PATHS)
    return sorted(set(cells.values_list("year", flat=True)))


def _enterprises_without_headcount(
    cases: QuerySet[InjuryCase], years: Iterable[int]
) -> dict[int, set[int]]:
    """Per year of `years`, the enterprises with cases that year but no insured headcount for
    it.

    A year at a time, each query a date range against that year's headcounts (an anti-join on
    PostgreSQL; no year extracted per case, which SQLite does in Python).
    """
    found: dict[int, set[int]] = {}
    for year in years:
        ids = set(
            cases.filter(
                accident_date__gte=dt.date(year, 1, 1), accident_date__lte=dt.date(year, 12, 31)
            )
            .filter(
                ~Exists(
                    InsuredHeadcount.objects.filter(
                        enterprise_id=OuterRef("enterprise_id"), year=year
                    )
                )
            )
            .order_by()
            .values_list("enterprise_id", flat=True)
            .distinct()
        )
        if ids:
            found[year] = ids
    return found


def cases_visible(user: Any) -> QuerySet[InjuryCase]:
    """The cases a user may open: their region's, grid's or enterprise's; a worker only
    their own (`personal_scope_q`)."""
    q = personal_scope_q(user, CASE_PATHS, person_digest="id_number_digest")
    return InjuryCase.objects.all() if q is None else InjuryCase.objects.filter(q)


def case_list(user: Any, filters: CaseFilter | None = None) -> QuerySet[InjuryCase]:
    qs = cases_visible(user).select_related("enterprise", "enterprise__city", "enterprise__county")
    f = filters or CaseFilter()
    if not sees_person_names(user):
        # A search by name would tell a masked name's owner: not for those who see it masked.
        f = replace(f, search_names=False)
    return f.apply(qs)


def case_get(user: Any, pk: int) -> InjuryCase:
    return get_object_or_404(
        cases_visible(user).select_related(
            "enterprise__industry", "enterprise__county", "created_by", "import_job"
        ),
        pk=pk,
    )


CASE_EXPORT_COLUMNS = (
    ("case_number", "case number"),
    ("enterprise", "enterprise"),
    ("credit_code", "unified social credit code"),
    ("county", "county"),
    ("person_name", "injured person"),
    ("id_number", "ID number"),
    ("year", "year"),
    ("accident_date", "accident date"),
    ("recognition_date", "recognition date"),
    ("kind", "kind"),
    ("occupational_disease", "occupational disease"),
    ("is_death", "death"),
    ("disability_grade", "disability grade"),
    ("lost_workdays", "lost workdays"),
    ("accident_category", "accident category"),
    ("body_part", "body part"),
    ("payout", "fund payout"),
)


def case_export_headers(*, names: bool = True) -> list[str]:
    """The export's columns; without `names` (`sees_person_names`) no ID number column."""
    return [_(label) for n, label in CASE_EXPORT_COLUMNS if names or n != "id_number"]


def case_export_rows(qs: QuerySet[InjuryCase], *, names: bool = True) -> Iterator[list[Any]]:
    """A row per case; the year is the accident's, the year a case is counted in. Without
    `names` the name is masked and the ID number left out."""
    for c in qs.iterator(chunk_size=2000):
        person = [c.person_name, c.id_number_masked] if names else [c.person_name_masked]
        yield [
            c.case_number,
            c.enterprise.name,
            c.enterprise.credit_code,
            c.enterprise.county.name,
            *person,
            c.accident_date.year,
            c.accident_date,
            c.recognition_date,
            c.get_kind_display(),
            c.occupational_disease,
            _("yes") if c.is_death else _("no"),
            c.disability_grade or "",
            "" if c.lost_workdays is None else c.lost_workdays,
            c.get_accident_category_display(),
            c.get_body_part_display(),
            c.payout,
        ]


def headcounts_visible(user: Any, filters: RateFilter | None = None) -> QuerySet[InsuredHeadcount]:
    f = filters or RateFilter()
    return (
        scope_queryset(user, InsuredHeadcount.objects.all(), CASE_PATHS)
        .filter(f.enterprise_q())
        .filter(_years_q("year", f))
        .select_related("enterprise", "enterprise__county")
        .order_by("enterprise__name", "enterprise_id", "-year")
    )


# --- targets --------------------------------------------------------------------------------


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


# --- priority list --------------------------------------------------------------------------


@dataclass
class PriorityRow:
    rank: int
    enterprise_id: int
    name: str
    credit_code: str
    county: str
    industry: str
    division: str
    cases: int
    person_years: int
    observed_rate: float | None
    industry_rate: float
    smoothed_rate: float
    expected_cases: float
    excess_cases: float
    # Why it ranks there: the 95% interval of its rate under the posterior, and how much its
    # own person-years weigh against the industry prior's (0..1). None for a score ranked
    # before the prior was kept (its ranking is stale until recomputed).
    smoothed_low: float | None = None
    smoothed_high: float | None = None
    own_weight: float | None = None
    url: str = ""

    @property
    def rests_on_industry(self) -> bool:
        """The rank comes from the industry's rate more than from the enterprise's own cases."""
        return self.own_weight is not None and self.own_weight < 0.5

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "enterprise_id": self.enterprise_id,
            "name": self.name,
            "credit_code": self.credit_code,
            "county": self.county,
            "industry": self.industry,
            "division": self.division,
            "cases": self.cases,
            "person_years": self.person_years,
            "observed_rate": self.observed_rate,
            "industry_rate": self.industry_rate,
            "smoothed_rate": self.smoothed_rate,
            "expected_cases": self.expected_cases,
            "excess_cases": self.excess_cases,
            "smoothed_low": self.smoothed_low,
            "smoothed_high": self.smoothed_high,
            "own_weight": self.own_weight,
            "url": self.url,
        }


def priority_scores(
    user: Any,
    *,
    year: int | None = None,
    filters: RateFilter | None = None,
    order: str = "smoothed",
) -> QuerySet[PriorityScore]:
    """The enterprises of the user's region (and `filters`) in the prevention ranking of the
    window ending in `year` (default: the latest year with data), best first. `order` is
    "smoothed" (default) or "excess". See `services.priority` for how they are ranked."""
    ranking = priority_ranking(year or latest_year(user))
    if ranking is None:
        return PriorityScore.objects.none()
    f = filters or RateFilter()
    ordering = (
        ("-excess_cases", "-smoothed_rate")
        if order == "excess"
        else ("-smoothed_rate", "-excess_cases")
    )
    return (
        scope_queryset(user, ranking.scores.all(), PRIORITY_PATHS)
        .filter(f.enterprise_q(region_prefix=""))
        .select_related("ranking", "enterprise__county", "enterprise__industry")
        .order_by(*ordering, "enterprise_id")
    )


def priority_rows(scores: Iterable[PriorityScore], *, first_rank: int = 1) -> list[PriorityRow]:
    """Scores as the rows a page or an export shows, ranked from `first_rank`."""
    detail = reverse("injuries:cases")
    rows = []
    for rank, score in enumerate(scores, first_rank):
        e, window = score.enterprise, score.ranking
        n = score.person_years
        low = high = weight = None
        if score.prior_rate > 0:
            prior = rates.GammaPrior(score.prior_shape, score.prior_rate)
            low, high = (v * 1000 for v in rates.eb_interval(score.cases, n, prior))
            weight = n / (n + score.prior_rate)
        rows.append(
            PriorityRow(
                rank=rank,
                enterprise_id=e.pk,
                name=e.name,
                credit_code=e.credit_code,
                county=e.county.name,
                industry=f"{e.industry.code} {e.industry.name}",
                division=score.division,
                cases=score.cases,
                person_years=n,
                observed_rate=score.cases / n * 1000,
                industry_rate=score.industry_rate,
                smoothed_rate=score.smoothed_rate,
                expected_cases=score.industry_rate * n / 1000,
                excess_cases=score.excess_cases,
                smoothed_low=low,
                smoothed_high=high,
                own_weight=weight,
                url=f"{detail}?enterprise={e.pk}&year_from={window.window_start}"
                f"&year_to={window.year}",
            )
        )
    return rows


def priority_list(
    user: Any,
    *,
    year: int | None = None,
    filters: RateFilter | None = None,
    order: str = "smoothed",
    limit: int | None = None,
) -> list[PriorityRow]:
    """The first `limit` (default all) rows of `priority_scores`."""
    scores = priority_scores(user, year=year, filters=filters, order=order)
    return priority_rows(scores[:limit] if limit else scores)


def priority_enterprise_ids(user: Any, *, year: int | None = None, limit: int = 200) -> list[int]:
    """Enterprise ids in the user's scope ranked by prevention priority, best first (the
    empirical-Bayes smoothed injury rate; see `priority_scores`)."""
    return list(priority_scores(user, year=year)[:limit].values_list("enterprise_id", flat=True))


# --- to-dos -----------------------------------------------------------------------------------


def injury_todos(user: Any) -> list[Any]:
    """Officials: enterprises with injury cases in a year without an insured headcount."""
    from yufang.home.todos import Todo

    if getattr(user, "role", None) not in OFFICIAL_ROLES:
        return []
    # Recent years only. The provider runs on every home page: the rollup's count of cases
    # without a headcount says which years to look at, usually none, instead of a scan of
    # every case of those years.
    since = timezone.localdate().year - 2
    years = [year for year in _years_with_cases_without_headcount(user) if year >= since]
    if not years:
        return []
    q = scope_q(user, CASE_PATHS)
    missing = len(
        set().union(
            *_enterprises_without_headcount(InjuryCase.objects.filter(q or Q()), years).values()
        )
    )
    if not missing:
        return []
    return [
        Todo(
            _("%(n)s enterprises have injury cases in a year without an insured headcount.")
            % {"n": missing},
            reverse("injuries:cases") + f"?missing_headcount=1&year_from={since}",
            "warning",
        )
    ]
