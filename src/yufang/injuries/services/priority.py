"""The prevention priority ranking: every enterprise with insured headcounts, ranked by its
empirical-Bayes smoothed injury rate over a window of years, computed for the whole province
in the background (`priority_rebuild`) and read by the pages through an index.

Case and headcount writes mark the rankings stale once they commit and ask for a
recomputation in the background.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from yufang import policy
from yufang.enterprises.models import InsuredHeadcount
from yufang.injuries.models import RATE_KINDS, InjuryCase, PriorityRanking, PriorityScore
from yufang.lib import rates
from yufang.support.bulk import rows_insert


def priority_window(year: int) -> tuple[int, int]:
    """The first and last year pooled for a ranking that ends in `year` (a dated policy)."""
    width = int(policy.value("injury_priority_window_years", dt.date(year, 12, 31)))
    return year - width + 1, year


def priority_years() -> list[int]:
    """The years a ranking can end in: those with insured headcounts and a window in force."""
    years = InsuredHeadcount.objects.values_list("year", flat=True).distinct().order_by()
    return sorted(y for y in years if _has_window(y))


def _has_window(year: int) -> bool:
    try:
        priority_window(year)
    except policy.ParameterError:
        return False
    return True


def priority_rebuild(
    years: Iterable[int] | None = None, *, progress: Callable[[int], None] | None = None
) -> dict[int, int]:
    """Recompute the ranking of each window ending in `years` (default: every year with
    insured headcounts) and drop rankings of years without any. Returns enterprises ranked
    per year; `progress` hears the number of years done."""
    wanted = priority_years() if years is None else sorted(set(years))
    if years is None:
        PriorityRanking.objects.exclude(year__in=wanted).delete()
    ranked: dict[int, int] = {}
    for done, year in enumerate(wanted, 1):
        ranked[year] = _rank_window(year)
        if progress is not None:
            progress(done)
    return ranked


def priority_stale_rebuild() -> dict[int, int]:
    """Recompute the stale rankings (and those of years not ranked yet). Writes that land
    while it reads leave their windows stale: `priority_still_stale` tells."""
    fresh = {r.year for r in PriorityRanking.objects.all() if not r.is_stale}
    return priority_rebuild(y for y in priority_years() if y not in fresh)


def priority_still_stale() -> bool:
    return any(r.is_stale for r in PriorityRanking.objects.all())


def priority_mark_stale() -> None:
    """Cases or headcounts changed: once the caller's transaction commits, mark the rankings
    stale and have them recomputed in the background.

    Marked after the commit, so a recomputation that read the data before the change landed
    always finds itself stale, whichever finished first.
    """
    from yufang.injuries.tasks import priority_rebuild_task

    def mark() -> None:
        rankings = list(PriorityRanking.objects.all())
        PriorityRanking.objects.update(changed_at=timezone.now())
        # A ranking already stale has its recomputation queued (see the task); a burst of
        # writes queues one.
        if not rankings or any(not r.is_stale for r in rankings):
            priority_rebuild_task.delay()

    transaction.on_commit(mark)


def _rank_window(year: int) -> int:
    """Rank the enterprises of one window.

    Each enterprise's rate (recognised cases ÷ insured person-years) is shrunk toward its
    industry division's rate with a gamma prior fitted by the method of moments to all the
    province's enterprises of that division (`rates.eb_prior`): a 3-person firm with one
    injury keeps close to its industry's rate, a large firm keeps close to its own. The
    excess cases are the injuries above what the industry rate predicts for its person-years.

    The division's rate is itself shrunk toward the province's, with a prior fitted across
    the divisions: a division of a handful of enterprises would otherwise hand its raw rate
    (two cases in thirty person-years: 67 ‰) to each of its members as a known industry rate,
    and lift its small firms with no case of their own to the top of the list.
    """
    start, _end = priority_window(year)
    read_at = timezone.now()
    scores = priority_window_scores(year)
    with transaction.atomic():
        ranking, _created = PriorityRanking.objects.update_or_create(
            year=year,
            defaults={"window_start": start, "computed_at": read_at},
        )
        ranking.scores.all().delete()
        rows_insert(
            PriorityScore._meta.db_table,
            _SCORE_COLUMNS,
            [(ranking.pk, *score) for score in scores],
        )
        ranking.enterprises = len(scores)
        ranking.save(update_fields=["enterprises"])
    return len(scores)


def priority_window_scores(year: int) -> list[tuple[Any, ...]]:
    """The scores of the window ending in `year`, computed and not stored: per enterprise,
    the columns of `PriorityScore` after its ranking (see `_SCORE_COLUMNS`)."""
    start, end = priority_window(year)
    exposure = (
        InsuredHeadcount.objects.filter(year__gte=start, year__lte=end, insured_headcount__gt=0)
        .values(
            "enterprise_id",
            "enterprise__industry__division_code",
            "enterprise__city_id",
            "enterprise__county_id",
        )
        .annotate(n=Sum("insured_headcount"))
        .order_by()
        .values_list(
            "enterprise_id",
            "enterprise__industry__division_code",
            "enterprise__city_id",
            "enterprise__county_id",
            "n",
        )
    )
    cases = dict(
        InjuryCase.objects.filter(
            kind__in=RATE_KINDS,
            accident_date__gte=dt.date(start, 1, 1),
            accident_date__lte=dt.date(end, 12, 31),
        )
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("enterprise_id", "n")
    )
    # Per division: each enterprise with its city and county, cases and person-years.
    by_division: dict[str, list[tuple[int, tuple[Any, Any], int, int]]] = defaultdict(list)
    for pk, division, city, county, n in exposure:
        by_division[division].append((pk, (city, county), cases.get(pk, 0), int(n)))
    scores: list[tuple[Any, ...]] = []
    totals = {
        division: (sum(m[2] for m in members), sum(m[3] for m in members))
        for division, members in by_division.items()
    }
    across = rates.eb_prior([t[0] for t in totals.values()], [t[1] for t in totals.values()])
    for division, members in by_division.items():
        within = rates.eb_prior([m[2] for m in members], [m[3] for m in members])
        if within is None or across is None:
            continue
        # The within-division spread sets how far members may stray (the prior's
        # strength); the division's shrunk rate is where they are pulled.
        mean = rates.eb_rate(*totals[division], across)
        prior = rates.GammaPrior(mean * within.rate, within.rate)
        industry_rate = prior.mean * 1000
        for pk, region, y, n in members:
            smoothed = rates.eb_rate(y, n, prior)
            scores.append(
                (
                    pk,
                    division,
                    *region,
                    y,
                    n,
                    industry_rate,
                    smoothed * 1000,
                    (smoothed - prior.mean) * n,
                    prior.shape,
                    prior.rate,
                )
            )
    return scores


_SCORE_COLUMNS = (
    "ranking_id",
    "enterprise_id",
    "division",
    "city_id",
    "county_id",
    "cases",
    "person_years",
    "industry_rate",
    "smoothed_rate",
    "excess_cases",
    "prior_shape",
    "prior_rate",
)


def priority_ranking_refresh(*, year: int) -> PriorityRanking | None:
    """The ranking of the window ending in `year`, computed now when there is none yet (the
    pages and the API ask before they read, for the first request after the data arrived);
    a ranking that exists, stale or not, is left to the background task
    (`priority_mark_stale` queues it)."""
    ranking = PriorityRanking.objects.filter(year=year).first()
    if (
        ranking is None
        and _has_window(year)
        and InsuredHeadcount.objects.filter(year=year).exists()
    ):
        _rank_window(year)
        ranking = PriorityRanking.objects.filter(year=year).first()
    return ranking


@contextmanager
def priority_watch(enterprise_ids: list[int]) -> Iterator[None]:
    """Registered with the enterprises app: a change of headcounts, industry or region in the
    registry marks the rankings stale."""
    yield
    if enterprise_ids:
        priority_mark_stale()
