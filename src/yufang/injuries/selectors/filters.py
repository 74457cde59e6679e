"""The filter every rate, case and priority question shares (`RateFilter`), the scope
paths of the injury tables and the groupings a rate can be split by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    OFFICIAL_ROLES,
    PROVINCE_WIDE_ROLES,
    ScopePaths,
)
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
