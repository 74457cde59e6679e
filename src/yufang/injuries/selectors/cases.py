"""Injury cases: the filter of the case list, the cases a user may open, their export, the
insured headcounts behind the rates, and the enterprises with cases but no headcount.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from yufang.accounts.scoping import (
    personal_scope_q,
    scope_queryset,
    sees_person_names,
)
from yufang.enterprises.models import InsuredHeadcount
from yufang.injuries.models import (
    RATE_KINDS,
    InjuryCase,
    InjuryRollup,
    RollupDimension,
)
from yufang.injuries.selectors.filters import (
    _MAX_SEARCH,
    CASE_PATHS,
    ROLLUP_PATHS,
    RateFilter,
    _code,
)
from yufang.injuries.selectors.rates import _years_q


@dataclass
class CaseQuery:
    """The case list's own filters, as a user gives them (the API's query is derived from
    these and `RateFilter`'s)."""

    q: str = ""
    kind: str = ""
    accident_category: str = ""
    death: bool | None = None
    counted: bool = False
    missing_headcount: bool = False


@dataclass
class CaseFilter(CaseQuery):
    rates: RateFilter = field(default_factory=RateFilter)
    # Set from the user's role, never from the query: a search by name would tell a
    # statistics-only role whose case a masked row is.
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
