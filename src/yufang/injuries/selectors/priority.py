"""The prevention priority list, read from the ranking `services.priority` keeps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from yufang import policy
from yufang.accounts.scoping import (
    scope_queryset,
)
from yufang.enterprises.selectors import enterprises_visible
from yufang.injuries.models import PriorityRanking, PriorityScore
from yufang.injuries.selectors.dashboard import latest_year
from yufang.injuries.selectors.filters import PRIORITY_PATHS, RateFilter
from yufang.injuries.services.priority import priority_window_scores
from yufang.lib import rates


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
    "smoothed" (default) or "excess". See `services.priority` for how they are ranked; a
    window not ranked yet reads as empty (`priority_ranking_refresh` ranks it)."""
    ranking = PriorityRanking.objects.filter(year=year or latest_year(user)).first()
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
    empirical-Bayes smoothed injury rate; see `priority_scores`).

    For other domains (training's targeting), which read it without a page to rank first: a
    window not ranked yet is computed here without being stored (the background task stores
    it after the next write of cases or headcounts)."""
    year = year or latest_year(user)
    if PriorityRanking.objects.filter(year=year).exists():
        return list(
            priority_scores(user, year=year)[:limit].values_list("enterprise_id", flat=True)
        )
    try:
        scores = priority_window_scores(year)
    except policy.ParameterError:
        return []
    # Columns after the ranking's: enterprise, division, city, county, cases, person-years,
    # industry rate, smoothed rate, excess cases (see services.priority._SCORE_COLUMNS).
    ranked = [s[0] for s in sorted(scores, key=lambda s: (-s[7], -s[8], s[0]))]
    found: list[int] = []
    for start in range(0, len(ranked), _IDS_AT_ONCE):
        part = ranked[start : start + _IDS_AT_ONCE]
        visible = set(enterprises_visible(user).filter(pk__in=part).values_list("pk", flat=True))
        found.extend(pk for pk in part if pk in visible)
        if len(found) >= limit:
            break
    return found[:limit]


_IDS_AT_ONCE = 5000
