"""The rollup the dashboards read equals the raw aggregation after every kind of change."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yufang.accounts.models import Role
from yufang.imports.models import ImportJob
from yufang.imports.services import import_job_confirm, import_job_create
from yufang.injuries.models import InjuryRollup
from yufang.injuries.selectors import (
    RateFilter,
    _raw_counts,
    _rollup_counts,
    _uses_rollup,
    rate_rows,
)
from yufang.injuries.services import (
    case_create,
    case_delete,
    case_update,
    exposure_set,
    rollup_rebuild,
)
from yufang.injuries.tests.helpers import case_data, id_number, insure
from yufang.tests.factories import EnterpriseFactory, industry, region

pytestmark = pytest.mark.django_db

QUESTIONS = [
    ("city", 1, RateFilter()),
    ("county", 1, RateFilter(city="370200")),
    ("year", 1, RateFilter(key_industry=True)),
    ("industry", 1, RateFilter()),
    ("industry", 2, RateFilter(county="370211")),
    ("risk_class", 1, RateFilter(year_from=2023, year_to=2024)),
    ("size", 1, RateFilter()),
    ("key_industry", 1, RateFilter()),
    ("category", 1, RateFilter(city="370200")),
    ("total", 1, RateFilter(industry="C")),
    ("year", 1, RateFilter(industry="26")),
    ("grid", 1, RateFilter(city="370200")),
    ("grid", 1, RateFilter(county="370102", year_from=2023)),
    ("grid", 1, RateFilter()),
    ("county", 1, RateFilter(grid="no-such-grid")),
]


def _clean(counts: dict[Any, dict[str, Any]]) -> dict[Any, dict[str, float]]:
    out = {}
    for key, counters in counts.items():
        values = {k: float(v or 0) for k, v in counters.items()}
        if any(values[k] for k in values if k not in ("headcount", "hours")) or values["headcount"]:
            out[key] = values
    return out


def assert_rollup_equals_raw(user: Any) -> None:
    from yufang.regions.models import Grid

    by_grid = [
        (by, 1, RateFilter(grid=code))
        for code in Grid.objects.values_list("code", flat=True)
        for by in ("year", "city", "grid")
    ]
    for by, level, f in QUESTIONS + by_grid:
        assert _uses_rollup(user, by, level, f), (by, f)
        rolled = _clean(_rollup_counts(user, by, level, f, True))
        raw = _clean(_raw_counts(user, by, level, f, True))
        assert rolled == raw, (by, level, f)


@pytest.fixture
def scene(world):
    machinery = EnterpriseFactory(
        county=region("370102"),
        industry=industry("3411"),
        risk_class=4,
        is_key_industry=False,
        size="large",
    )
    for e in (world.enterprise, world.other_enterprise, world.jinan_enterprise, machinery):
        for year in (2022, 2023, 2024):
            insure(e, year, 120, Decimal("240000") if e == world.enterprise else None)
    world.machinery = machinery  # type: ignore[attr-defined]
    # Headcounts written outside the injury services (registry import) need a rebuild.
    rollup_rebuild()
    return world


def test_rollup_follows_creates_edits_moves_and_deletes(scene):
    province = scene.people[Role.PROVINCE_OFFICIAL]
    official = scene.people[Role.ADMIN]
    a = case_create(actor=official, data=case_data(scene.enterprise, 1))
    b = case_create(
        actor=official,
        data=case_data(scene.jinan_enterprise, 2, is_death=True, accident_category="09"),
    )
    case_create(
        actor=official,
        data=case_data(
            scene.machinery,
            3,
            kind="occupational_disease",
            occupational_disease="尘肺病",
            accident_date="2023-01-02",
            recognition_date="2023-06-01",
        ),
    )
    assert_rollup_equals_raw(province)
    # Move a case to another year and another enterprise (other city, other industry).
    case_update(
        actor=official,
        case=a,
        data={"enterprise": scene.machinery, "accident_date": "2022-07-01", "id_number": ""},
    )
    case_update(
        actor=official, case=b, data={"is_death": False, "disability_grade": "5", "id_number": ""}
    )
    assert_rollup_equals_raw(province)
    case_delete(actor=official, case=b)
    assert_rollup_equals_raw(province)
    # Exposure changes: new headcount, hours becoming known.
    exposure_set(
        actor=official,
        enterprise=scene.machinery,
        year=2022,
        insured_headcount=300,
        hours_worked=Decimal("600000"),
    )
    assert_rollup_equals_raw(province)
    assert_rollup_equals_raw(scene.people[Role.CITY_OFFICIAL])


def test_rollup_follows_changes_made_in_the_enterprise_registry(scene):
    """Headcounts and enterprise moves written by the enterprises app reach the rollup at once."""
    from yufang.enterprises.services import enterprise_update, headcount_set

    official = scene.people[Role.ADMIN]
    case_create(actor=official, data=case_data(scene.machinery, 7))
    case_create(actor=official, data=case_data(scene.enterprise, 8))
    assert_rollup_equals_raw(official)
    headcount_set(actor=official, enterprise=scene.machinery, year=2024, insured_headcount=999)
    headcount_set(
        actor=official,
        enterprise=scene.machinery,
        year=2021,
        insured_headcount=40,
        hours_worked=Decimal("80000"),
    )
    assert_rollup_equals_raw(official)
    machinery = scene.machinery
    enterprise_update(
        actor=official,
        enterprise=machinery,
        data={
            "credit_code": machinery.credit_code,
            "name": machinery.name,
            "county": "370211",
            "industry": "2614",
            "size": "small",
        },
    )
    assert_rollup_equals_raw(official)
    assert_rollup_equals_raw(scene.people[Role.CITY_OFFICIAL])


def test_rollup_counts_cases_left_without_a_headcount(scene):
    """A headcount removed from the registry leaves its year's cases without one: the rollup
    counts them (the officials' to-do reads it) until a headcount returns or they go."""
    from yufang.enterprises.models import InsuredHeadcount
    from yufang.enterprises.services import headcount_set, registry_change

    official = scene.people[Role.ADMIN]
    case = case_create(actor=official, data=case_data(scene.machinery, 7))
    year = case.accident_date.year

    def without_headcount() -> int:
        counts = _rollup_counts(official, "total", 1, RateFilter(), per_year=False)
        return int(counts[("", None)]["cases_without_headcount"])

    with registry_change([scene.machinery.pk]):
        InsuredHeadcount.objects.filter(enterprise=scene.machinery, year=year).delete()
    assert without_headcount() == 1
    assert_rollup_equals_raw(official)
    rollup_rebuild()
    assert without_headcount() == 1
    headcount_set(actor=official, enterprise=scene.machinery, year=year, insured_headcount=50)
    assert without_headcount() == 0
    with registry_change([scene.machinery.pk]):
        InsuredHeadcount.objects.filter(enterprise=scene.machinery, year=year).delete()
    case_delete(actor=official, case=case)
    assert without_headcount() == 0
    assert_rollup_equals_raw(official)


def test_rollup_follows_an_import_and_survives_a_rebuild(scene, django_capture_on_commit_callbacks):
    official = scene.people[Role.PROVINCE_OFFICIAL]
    header = "认定书编号,统一社会信用代码,姓名,身份证号,事故时间,认定时间,认定结论,事故类别,受伤部位,基金支付,是否死亡\n"
    lines = [
        f"IMP-{n},{e.credit_code},李{n},{id_number(n)},2023-0{1 + n % 9}-11,2023-12-01,工伤,"
        f"{['物体打击', '机械伤害', '高处坠落'][n % 3]},手,{1000 + n},{'是' if n == 4 else '否'}\n"
        for n, e in enumerate(
            [scene.enterprise, scene.other_enterprise, scene.jinan_enterprise, scene.machinery] * 3
        )
    ]
    job = import_job_create(
        actor=official,
        kind="injury_cases",
        upload=SimpleUploadedFile("cases.csv", (header + "".join(lines)).encode()),
    )
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=official, job=job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result["created"] == 12
    assert_rollup_equals_raw(official)
    before = {
        (r.dimension, r.year, r.county_id, r.value, r.cases, r.headcount)
        for r in InjuryRollup.objects.all()
        if r.cases or r.headcount
    }
    rollup_rebuild()
    after = {
        (r.dimension, r.year, r.county_id, r.value, r.cases, r.headcount)
        for r in InjuryRollup.objects.all()
    }
    assert before == after


def test_rates_are_the_same_for_a_regional_official_and_from_raw_records(scene):
    official = scene.people[Role.ADMIN]
    case_create(actor=official, data=case_data(scene.enterprise, 1))
    city = scene.people[Role.CITY_OFFICIAL]
    grid_worker = scene.people[Role.GRID_WORKER]
    city_rows = {
        r.key: r
        for r in rate_rows(city, by="county", filters=RateFilter(year_from=2024, year_to=2024))
    }
    assert city_rows["370211"].cases == 1
    assert city_rows["370211"].headcount == 240
    assert city_rows["370211"].injury_rate.value == pytest.approx(1000 / 240)
    # A grid worker sees only the grid's enterprise, read from the raw records.
    grid_rows = rate_rows(grid_worker, by="total", filters=RateFilter(year_from=2024, year_to=2024))
    assert grid_rows[0].headcount == 120 and grid_rows[0].cases == 1
    # OSHA: 1 case / 240,000 h x 200,000.
    assert grid_rows[0].osha_rate.value == pytest.approx(200000 / 240000)


def test_packed_case_counts_add_and_take_away_exactly():
    from yufang.injuries.services import COUNTERS, Deltas, EnterpriseDims, case_profile

    dims = EnterpriseDims(1, 2, 7, "C", "34", "4", "0", "large")
    death = case_profile(kind="work_injury", is_death=True, lost_time=True, hours_known=True)
    # Of an enterprise-year without an insured headcount: counted for the officials' to-do.
    disease = case_profile(
        kind="occupational_disease",
        is_death=False,
        lost_time=True,
        hours_known=True,
        has_headcount=False,
    )
    deltas = Deltas()
    deltas.add_cases(dims, 2024, "03", death, 3, Decimal("9999999999.99") * 3)
    deltas.add_cases(dims, 2024, "03", death, -5, Decimal("-0.05"))
    deltas.add_cases(dims, 2024, "19", disease, 2, Decimal("12.34"))
    cells = deltas.cells()
    county = dict(zip(COUNTERS, cells[("all", 2024, 1, 2, "", "county")], strict=True))
    assert county == {
        "cases": -2,
        "deaths": -2,
        "lost_time": -2,
        "disease_cases": 2,
        "payout": Decimal("9999999999.99") * 3 - Decimal("0.05") + Decimal("12.34"),
        "headcount": 0,
        "hours": 0,
        "hours_cases": -2,
        "hours_lost_time": -2,
        "cases_without_headcount": 2,
    }
    assert cells[("all", 2024, 1, 1, "", "city")] == cells[("all", 2024, 1, 2, "", "county")]
    assert cells[("category", 2024, 1, 2, "19", "county")][3] == 2


def test_a_file_written_in_many_chunks_keeps_the_rollup_exact(scene, monkeypatch):
    from django.utils import timezone

    from yufang.injuries import services
    from yufang.injuries.models import InjuryCase
    from yufang.injuries.services import cases

    monkeypatch.setattr(cases, "CASE_CHUNK", 3)
    official = scene.people[Role.PROVINCE_OFFICIAL]
    enterprises = [scene.enterprise, scene.other_enterprise, scene.jinan_enterprise]
    records = [
        (
            n + 2,
            case_data(
                enterprises[n % 3],
                n,
                case_number=f"CH-{n}",
                accident_date=f"2023-0{1 + n % 9}-05",
                recognition_date="2023-12-01",
                is_death=n == 5,
            ),
        )
        for n in range(10)
    ]
    batch = services.cases_check(records, user=official, today=timezone.localdate())
    assert not batch.errors, batch.errors
    seen = []
    created = services.cases_create_many(actor=official, batch=batch, progress=seen.append)
    assert created == 10 and seen == [3, 6, 9, 10]
    assert InjuryCase.objects.filter(case_number__startswith="CH-").count() == 10
    assert_rollup_equals_raw(official)


def test_an_enterprise_placed_in_another_grid_takes_its_figures_along(scene):
    """Re-placing an enterprise (what grid placement does, through the registry's service)
    moves its cases and headcounts from one grid's cells to the other's at once."""
    from yufang.enterprises.services import enterprise_update

    official = scene.people[Role.ADMIN]
    case_create(actor=official, data=case_data(scene.enterprise, 1))
    case_create(actor=official, data=case_data(scene.other_enterprise, 2))
    city = scene.people[Role.CITY_OFFICIAL]
    f = RateFilter(county="370211", year_from=2024, year_to=2024)
    assert _uses_rollup(city, "grid", 1, f)

    def by_grid() -> dict[str, tuple[int, int]]:
        return {r.key: (r.cases, r.headcount) for r in rate_rows(city, by="grid", filters=f)}

    grid, other = scene.grid.code, scene.other_grid.code
    assert by_grid() == {grid: (1, 120), other: (1, 120)}
    enterprise_update(
        actor=official,
        enterprise=scene.enterprise,
        data={"township": scene.other_grid.township.code, "grid": other},
    )
    assert by_grid() == {other: (2, 240)}
    assert_rollup_equals_raw(official)
    assert_rollup_equals_raw(city)
    # Out of every grid: the enterprises in none have a row of their own ("").
    enterprise_update(actor=official, enterprise=scene.enterprise, data={"grid": ""})
    assert by_grid() == {"": (1, 120), other: (1, 120)}
    assert_rollup_equals_raw(official)
