"""The rollup the dashboards read: counts and exposure per year, county (and city) and one
dimension, kept equal to the raw aggregation at every commit.

Every change of a case or of a headcount passes its effect to `rollup_apply` in the same
transaction; `rollup_watch` does it for changes made in the enterprise registry.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from typing import Any, NamedTuple

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import ExtractYear

from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.injuries.models import (
    RATE_KINDS,
    CaseKind,
    InjuryCase,
    InjuryRollup,
    RollupDimension,
)
from yufang.support.bulk import DatabaseStep, copy_data, rows_writer, steps_run


class EnterpriseDims(NamedTuple):
    """Where an enterprise's cases and headcounts count in the rollup."""

    city_id: int
    county_id: int
    # The grid's id (None: in no grid), as the import's lookup reads it; made text only for
    # the cells (`Deltas.cells`).
    grid_id: int | None
    section: str
    division: str
    risk_class: str
    is_key: str
    size: str

    @classmethod
    def of(cls, enterprise: Enterprise) -> EnterpriseDims:
        return cls(
            enterprise.city_id,
            enterprise.county_id,
            enterprise.grid_id,
            enterprise.industry.section,
            enterprise.industry.division_code,
            str(enterprise.risk_class or ""),
            "1" if enterprise.is_key_industry else "0",
            enterprise.size,
        )

    def values(self) -> tuple[tuple[str, str], ...]:
        """(dimension, value) of every rollup dimension but the accident category."""
        return (
            (_ALL, ""),
            (_SECTION, self.section),
            (_DIVISION, self.division),
            (_RISK_CLASS, self.risk_class),
            (_KEY_INDUSTRY, self.is_key),
            (_SIZE, self.size),
            (_GRID, grid_value(self.grid_id)),
        )


def grid_value(grid_id: int | None) -> str:
    """A grid's value in the rollup's cells."""
    return "" if grid_id is None else str(grid_id)


# Plain strings: they are part of every rollup cell's key.
_ALL = RollupDimension.ALL.value
_SECTION = RollupDimension.SECTION.value
_DIVISION = RollupDimension.DIVISION.value
_RISK_CLASS = RollupDimension.RISK_CLASS.value
_KEY_INDUSTRY = RollupDimension.KEY_INDUSTRY.value
_SIZE = RollupDimension.SIZE.value
_CATEGORY = RollupDimension.CATEGORY.value
_GRID = RollupDimension.GRID.value
# Dimensions kept in county cells only: their values belong to one county, so a city total
# would repeat the county cells and double the writes of an import.
COUNTY_ONLY_DIMENSIONS = frozenset({_GRID})


COUNTERS = (
    "cases",
    "deaths",
    "lost_time",
    "disease_cases",
    "payout",
    "headcount",
    "hours",
    "hours_cases",
    "hours_lost_time",
    "cases_without_headcount",
)
# dimension, year, city, county (the city for a city total), value, level ("county"/"city")
CellKey = tuple[str, int, int, int, str, str]

# What a case adds to the counters, as bits: which kind it is; for cases counted in the
# rate whether it was a death, lost time, and whether its enterprise-year has hours worked;
# and for any case whether its enterprise-year lacks an insured headcount.
_COUNTED, _DISEASE, _DEATH, _LOST, _HOURS, _NO_HEADCOUNT = 1, 2, 4, 8, 16, 32


def case_profile(
    kind: str, is_death: bool, lost_time: bool, hours_known: bool, has_headcount: bool = True
) -> int:
    no_headcount = 0 if has_headcount else _NO_HEADCOUNT
    if kind not in RATE_KINDS:
        return (_DISEASE if kind == CaseKind.OCCUPATIONAL_DISEASE else 0) | no_headcount
    return (
        _COUNTED
        | (_DEATH if is_death else 0)
        | (_LOST if lost_time else 0)
        | (_HOURS if hours_known else 0)
        | no_headcount
    )


_PAYOUT, _HEADCOUNT, _HOURS_WORKED = (COUNTERS.index(c) for c in ("payout", "headcount", "hours"))

# A case group's counts and payout packed into one integer: the payout in cents in the low 64
# bits, then 32 bits per count. Sums of packed values (negative ones too: deletions) unpack
# exactly while each field stays within half its width, far beyond a province's numbers.
_CASE_FIELDS = (
    "cases",
    "deaths",
    "lost_time",
    "disease_cases",
    "hours_cases",
    "hours_lost_time",
    "cases_without_headcount",
)
_OFFSETS = {name: 64 + 32 * i for i, name in enumerate(_CASE_FIELDS)}
_COUNT_HALF, _PAYOUT_HALF = 1 << 31, 1 << 63
_BIAS = _PAYOUT_HALF + sum(_COUNT_HALF << o for o in _OFFSETS.values())
_PACKED = struct.Struct("<Q7I")
_PROFILE_BITS = {
    "cases": _COUNTED,
    "deaths": _DEATH,
    "lost_time": _LOST,
    "disease_cases": _DISEASE,
    "hours_cases": _HOURS,
    "hours_lost_time": _HOURS | _LOST,
    "cases_without_headcount": _NO_HEADCOUNT,
}
# What one case of each profile adds, packed.
_PROFILE_PACKED = {
    profile: sum(
        1 << _OFFSETS[name] for name, bits in _PROFILE_BITS.items() if profile & bits == bits
    )
    for profile in range(64)
}


def _unpack(total: int) -> list[Any]:
    """The counter vector (COUNTERS order) of a sum of packed case groups."""
    paid, cases, deaths, lost, disease, hours_cases, hours_lost, no_headcount = _PACKED.unpack(
        (total + _BIAS).to_bytes(_PACKED.size, "little")
    )
    half = _COUNT_HALF
    return [
        cases - half,
        deaths - half,
        lost - half,
        disease - half,
        Decimal(paid - _PAYOUT_HALF).scaleb(-2),
        0,
        0,
        hours_cases - half,
        hours_lost - half,
        no_headcount - half,
    ]


# A county-year's cells, by dimension: [city, all cases, {section: packed}, {division: ...},
# {risk class: ...}, {key-industry flag: ...}, {size: ...}, {accident category: ...},
# {grid id: ...}].
_Place = list[Any]
# The dimensions of a place's dictionaries, in their order.
_PLACE_DIMENSIONS = (_SECTION, _DIVISION, _RISK_CLASS, _KEY_INDUSTRY, _SIZE, _CATEGORY, _GRID)


def _spread(
    places: dict[tuple[int, int], _Place],
    dims: Iterable[EnterpriseDims],
    years: Iterable[int],
    categories: Iterable[str],
    profiles: Iterable[int],
    counts: Iterable[int],
    payouts: Iterable[Any],
) -> None:
    """Add cases (given a column each: dims, year, category, profile, how many, payout) to
    their eight county cells. Their counts and payout travel as one packed integer, so this
    costs one addition per cell, not nine; and the cells of a county-year are found once
    per case, then by one value each, not by a tuple key per cell."""
    get, packed = places.get, _PROFILE_PACKED
    for d, year, category, profile, n, paid in zip(
        dims, years, categories, profiles, counts, payouts, strict=True
    ):
        inc = n * packed[profile] + int(paid * 100)
        place = get((year, d.county_id))
        if place is None:
            place = places[(year, d.county_id)] = [d.city_id, 0, {}, {}, {}, {}, {}, {}, {}]
        place[1] += inc
        # EnterpriseDims.values() and the category, written out: this runs per imported case.
        cells = place[2]
        cells[d.section] = cells.get(d.section, 0) + inc
        cells = place[3]
        cells[d.division] = cells.get(d.division, 0) + inc
        cells = place[4]
        cells[d.risk_class] = cells.get(d.risk_class, 0) + inc
        cells = place[5]
        cells[d.is_key] = cells.get(d.is_key, 0) + inc
        cells = place[6]
        cells[d.size] = cells.get(d.size, 0) + inc
        cells = place[7]
        cells[category] = cells.get(category, 0) + inc
        cells = place[8]
        cells[d.grid_id] = cells.get(d.grid_id, 0) + inc


class Deltas:
    """Changes to the rollup, summed before they touch the database.

    Cases are summed per enterprise dimensions, year, category and profile first, and spread
    over the rollup's cells only once (`cells`): an import of a hundred thousand cases makes
    a few hundred thousand cell changes, not fourteen per case.
    """

    def __init__(self) -> None:
        # (dims, year, category, profile) -> [cases, payout]
        self.cases: dict[tuple[EnterpriseDims, int, str, int], list[Any]] = {}
        # (year, county) -> its cells' packed counts (see _Place and _spread)
        self.places: dict[tuple[int, int], _Place] = {}
        # (dims, year) -> [insured headcount, hours worked]
        self.exposure: dict[tuple[EnterpriseDims, int], list[Any]] = {}

    def add_cases(
        self, dims: EnterpriseDims, year: int, category: str, profile: int, n: int, paid: Any
    ) -> None:
        key = (dims, year, category, profile)
        group = self.cases.get(key)
        if group is None:
            self.cases[key] = [n, paid]
        else:
            group[0] += n
            group[1] += paid

    def add_case(
        self,
        dims: EnterpriseDims,
        case: InjuryCase,
        *,
        hours_known: bool,
        sign: int,
        has_headcount: bool = True,
    ) -> None:
        profile = case_profile(
            kind=case.kind,
            is_death=case.is_death,
            lost_time=case.is_lost_time,
            hours_known=hours_known,
            has_headcount=has_headcount,
        )
        self.add_cases(
            dims, case.accident_date.year, case.accident_category, profile, sign, sign * case.payout
        )

    def add_stored_case(self, dims: EnterpriseDims, case: InjuryCase, *, sign: int) -> None:
        """Add (sign 1) or take out (-1) a case as stored, its enterprise-year's headcount
        and hours looked up."""
        exposure = (
            InsuredHeadcount.objects.filter(
                enterprise_id=case.enterprise_id, year=case.accident_date.year
            )
            .values_list("hours_worked", flat=True)
            .order_by()[:1]
        )
        found = list(exposure)
        self.add_case(
            dims,
            case,
            hours_known=bool(found) and found[0] is not None,
            sign=sign,
            has_headcount=bool(found),
        )

    def add_exposure(self, dims: EnterpriseDims, year: int, headcount: int, hours: Any) -> None:
        key = (dims, year)
        group = self.exposure.get(key)
        if group is None:
            self.exposure[key] = [headcount, hours]
        else:
            group[0] += headcount
            group[1] += hours

    def spread_cases(
        self,
        dims: Sequence[EnterpriseDims],
        years: Sequence[int],
        categories: Sequence[str],
        profiles: Sequence[int],
        payouts: Sequence[Any],
    ) -> None:
        """Add cases, one each (a column per field), straight to their eight county cells."""
        _spread(self.places, dims, years, categories, profiles, [1] * len(dims), payouts)

    def cells(self) -> dict[CellKey, list[Any]]:
        """Counter changes (in COUNTERS order) per county cell and per city total. The case
        groups are spread into the county cells here (and leave `cases`): no copy of the
        cells an import has spread."""
        places = self.places
        if self.cases:
            keys, sums = zip(*self.cases.items(), strict=True)
            dims, years, categories, profiles = zip(*keys, strict=True)
            counts, payouts = zip(*sums, strict=True)
            _spread(places, dims, years, categories, profiles, counts, payouts)
            self.cases = {}
        county_packed: dict[tuple[str, int, int, int, str], int] = {}
        for (year, county), (city, total, *by_dimension) in places.items():
            county_packed[(_ALL, year, city, county, "")] = total
            for dimension, sums in zip(_PLACE_DIMENSIONS, by_dimension, strict=True):
                if dimension == _GRID:
                    for grid_id, packed in sums.items():
                        county_packed[(_GRID, year, city, county, grid_value(grid_id))] = packed
                    continue
                for value, packed in sums.items():
                    county_packed[(dimension, year, city, county, value)] = packed
        city_packed: dict[tuple[str, int, int, int, str], int] = {}
        for (dimension, year, city, _county, value), total in county_packed.items():
            if dimension in COUNTY_ONLY_DIMENSIONS:
                continue
            key = (dimension, year, city, city, value)
            city_packed[key] = city_packed.get(key, 0) + total
        cells: dict[CellKey, list[Any]] = {}
        for level, sums in (("county", county_packed), ("city", city_packed)):
            for (dimension, year, city, county, value), total in sums.items():
                cells[(dimension, year, city, county, value, level)] = _unpack(total)
        for (dims, year), (headcount, hours) in self.exposure.items():
            for dimension, value in dims.values():
                for county, level in ((dims.county_id, "county"), (dims.city_id, "city")):
                    if level == "city" and dimension in COUNTY_ONLY_DIMENSIONS:
                        continue
                    cell_key = (dimension, year, dims.city_id, county, value, level)
                    cell = cells.get(cell_key)
                    if cell is None:
                        cell = cells[cell_key] = [0] * len(COUNTERS)
                    cell[_HEADCOUNT] += headcount
                    cell[_HOURS_WORKED] += hours
        return {key: vector for key, vector in cells.items() if any(vector)}


_CELL_COLUMNS = ("level", "dimension", "year", "city_id", "county_id", "value")


def rollup_apply(deltas: Deltas | dict[CellKey, list[Any]]) -> None:
    """Add summed changes to the rollup now; the caller holds the transaction."""
    steps_run(rollup_steps(deltas))


def rollup_steps(deltas: Deltas | dict[CellKey, list[Any]]) -> list[DatabaseStep]:
    """What the database does to add summed changes to the rollup (`rollup_apply`), made
    ready here (an import makes them beside the database's work).

    One upsert per cell adds to the counters in SQL (`cases = cases + excluded.cases`), so two
    transactions that touch the same cell both count, and a missing cell is created. On
    PostgreSQL the changes are COPied into a temporary table and upserted in one statement.
    """
    cells = deltas.cells() if isinstance(deltas, Deltas) else deltas
    if not cells:
        return []
    q = connection.ops.quote_name
    table = q(InjuryRollup._meta.db_table)
    rows = [
        (level, dimension, year, city, county, value, *vector)
        for (dimension, year, city, county, value, level), vector in cells.items()
    ]
    columns = (*_CELL_COLUMNS, *COUNTERS)
    names = ", ".join(q(c) for c in columns)
    upsert = f"ON CONFLICT ({', '.join(q(c) for c in _CELL_COLUMNS)}) DO UPDATE SET " + ", ".join(
        f"{q(c)} = {table}.{q(c)} + excluded.{q(c)}" for c in COUNTERS
    )
    if connection.vendor != "postgresql":
        return [(partial(rows_writer(table, columns, suffix=upsert), rows=rows), (), None)]
    return [
        (
            "CREATE TEMP TABLE IF NOT EXISTS injury_rollup_delta ON COMMIT DELETE ROWS "  # noqa: S608
            f"AS SELECT {names} FROM {table} WITH NO DATA",
            (),
            None,
        ),
        ("DELETE FROM injury_rollup_delta", (), None),
        (
            partial(
                rows_writer("injury_rollup_delta", columns),
                rows=copy_data(InjuryRollup, columns, rows),
            ),
            (),
            None,
        ),
        (
            f"INSERT INTO {table} ({names}) SELECT {names} FROM injury_rollup_delta "  # noqa: S608
            + upsert,
            (),
            None,
        ),
    ]


# What `exposure_known` gives for an enterprise-year with hours worked (1: a headcount only).
EXPOSURE_WITH_HOURS = 2


def exposure_known() -> Subquery:
    """Per case (annotated with its `year`): NULL when its enterprise has no insured
    headcount for that year, 1 when it has one, EXPOSURE_WITH_HOURS when its hours worked
    are known too. One lookup per case answers both questions the rollup asks."""
    return Subquery(
        InsuredHeadcount.objects.filter(
            enterprise_id=OuterRef("enterprise_id"), year=OuterRef("year")
        )
        .annotate(
            known=Case(
                When(hours_worked__isnull=False, then=Value(EXPOSURE_WITH_HOURS)),
                default=Value(1),
            )
        )
        .values("known")[:1],
        output_field=IntegerField(),
    )


def rollup_rebuild() -> int:
    """Recompute the whole rollup from cases and headcounts (after changes made elsewhere,
    such as an enterprise moved to another county or headcounts imported with the registry).
    The database groups the raw rows; Python only spreads the groups over the dimensions."""
    dim_fields = [
        "enterprise__city_id",
        "enterprise__county_id",
        "enterprise__grid_id",
        "enterprise__industry__section",
        "enterprise__industry__division_code",
        "enterprise__risk_class",
        "enterprise__is_key_industry",
        "enterprise__size",
    ]

    def dims_of(row: dict[str, Any]) -> EnterpriseDims:
        return EnterpriseDims(
            row["enterprise__city_id"],
            row["enterprise__county_id"],
            row["enterprise__grid_id"],
            row["enterprise__industry__section"],
            row["enterprise__industry__division_code"],
            str(row["enterprise__risk_class"] or ""),
            "1" if row["enterprise__is_key_industry"] else "0",
            row["enterprise__size"],
        )

    with transaction.atomic():
        InjuryRollup.objects.all().delete()
        deltas = Deltas()
        for row in (
            InsuredHeadcount.objects.values("year", *dim_fields)
            .annotate(n=Sum("insured_headcount"), h=Sum("hours_worked"))
            .order_by()
        ):
            deltas.add_exposure(dims_of(row), row["year"], row["n"], row["h"] or 0)
        lost = Q(is_death=True) | Q(disability_grade__isnull=False) | Q(lost_workdays__gt=0)
        cases = (
            InjuryCase.objects.annotate(
                year=ExtractYear("accident_date"),
                lost=ExpressionWrapper(lost, output_field=BooleanField()),
                exposure=exposure_known(),
            )
            .values(
                "year", *dim_fields, "accident_category", "kind", "is_death", "lost", "exposure"
            )
            .annotate(n=Count("pk"), paid=Sum("payout"))
            .order_by()
        )
        for row in cases:
            profile = case_profile(
                kind=row["kind"],
                is_death=row["is_death"],
                lost_time=bool(row["lost"]),
                hours_known=row["exposure"] == EXPOSURE_WITH_HOURS,
                has_headcount=row["exposure"] is not None,
            )
            deltas.add_cases(
                dims_of(row),
                row["year"],
                row["accident_category"],
                profile,
                row["n"],
                row["paid"] or 0,
            )
        rollup_apply(deltas)
        return InjuryRollup.objects.count()


@contextmanager
def rollup_watch(enterprise_ids: list[int]) -> Iterator[None]:
    """Keep the rollup exact across a change in the registry (a headcount, an enterprise moved
    to another county, grid, industry, size or class): take out what these enterprises add to the
    rollup now, let the change happen, put back what they add after it. Registered with the
    enterprises app, which calls it around its own writes."""
    if not enterprise_ids:
        yield
        return
    deltas = Deltas()
    _enterprises_contribution(deltas, enterprise_ids, sign=-1)
    yield
    _enterprises_contribution(deltas, enterprise_ids, sign=1)
    rollup_apply(deltas)


def _enterprises_contribution(deltas: Deltas, enterprise_ids: list[int], *, sign: int) -> None:
    dims = {
        e.pk: EnterpriseDims.of(e)
        for e in Enterprise.objects.filter(pk__in=enterprise_ids).select_related("industry")
    }
    hours_known: set[tuple[int, int]] = set()
    with_headcount: set[tuple[int, int]] = set()
    for row in InsuredHeadcount.objects.filter(enterprise_id__in=enterprise_ids):
        deltas.add_exposure(
            dims[row.enterprise_id],
            row.year,
            sign * row.insured_headcount,
            sign * (row.hours_worked or 0),
        )
        with_headcount.add((row.enterprise_id, row.year))
        if row.hours_worked is not None:
            hours_known.add((row.enterprise_id, row.year))
    for case in InjuryCase.objects.filter(enterprise_id__in=enterprise_ids):
        enterprise_year = (case.enterprise_id, case.accident_date.year)
        deltas.add_case(
            dims[case.enterprise_id],
            case,
            hours_known=enterprise_year in hours_known,
            sign=sign,
            has_headcount=enterprise_year in with_headcount,
        )
