"""Targets, pilot comparison and the prevention priority list."""

from __future__ import annotations

import pytest

from yufang.accounts.models import Role
from yufang.injuries.selectors import (
    RateFilter,
    pilot_comparison,
    priority_enterprise_ids,
    priority_list,
    target_progress,
    target_status,
)
from yufang.injuries.services import cases_check, cases_create_many, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, insure
from yufang.regions.models import PilotYear
from yufang.tests.factories import EnterpriseFactory, industry, region

pytestmark = pytest.mark.django_db


def add_cases(actor, enterprise, year, n, start):
    from django.utils import timezone

    records = [
        (
            i + 1,
            case_data(
                enterprise,
                start + i,
                case_number=f"C{start + i}",
                accident_date=f"{year}-03-01",
                recognition_date=f"{year}-04-01",
            ),
        )
        for i in range(n)
    ]
    batch = cases_check(records, user=actor, today=timezone.localdate())
    assert not batch.errors, batch.errors
    cases_create_many(actor=actor, batch=batch)


@pytest.mark.parametrize(
    ("latest_year", "latest_rate", "status"),
    [(2022, 1.8, "on_track"), (2022, 1.95, "behind"), (2023, 1.5, "met"), (2025, 1.7, "behind")],
)
def test_target_status_against_the_straight_path(latest_year, latest_rate, status):
    assert (
        target_status(
            baseline_year=2020,
            target_year=2025,
            baseline_rate=2.0,
            change_percent=-20,
            latest_year=latest_year,
            latest_rate=latest_rate,
        )
        == status
    )


def test_province_progress_uses_the_key_industry_rate_from_the_plans(world):
    admin = world.people[Role.ADMIN]
    for year, cases in ((2020, 10), (2021, 9), (2022, 8)):
        insure(world.enterprise, year, 1000)
        add_cases(admin, world.enterprise, year, cases, year * 100)
    rollup_rebuild()
    progress = target_progress(world.people[Role.PROVINCE_OFFICIAL], region=region("370000"))
    shandong = next(p for p in progress if p.plan.startswith("鲁人社字"))
    assert shandong.baseline_rate == pytest.approx(10.0)
    assert shandong.target_rate == pytest.approx(8.0)
    assert shandong.latest_year == 2022 and shandong.latest_rate == pytest.approx(8.0)
    assert shandong.status == "met"
    assert shandong.change_so_far == pytest.approx(-20.0)


def test_pilot_cities_are_compared_with_the_others_over_the_same_years(world):
    admin = world.people[Role.ADMIN]
    PilotYear.objects.create(city=region("370200"), year=2021)
    for year, qd, jn in ((2021, 10, 10), (2022, 6, 9)):
        insure(world.enterprise, year, 1000)
        insure(world.jinan_enterprise, year, 1000)
        add_cases(admin, world.enterprise, year, qd, year * 1000)
        add_cases(admin, world.jinan_enterprise, year, jn, year * 1000 + 500)
    insure(world.enterprise, 2023, 1000)  # only pilot cities have 2023: not compared
    rollup_rebuild()
    comparison = pilot_comparison(world.people[Role.PROVINCE_OFFICIAL])
    assert comparison["years"] == [2021, 2022]
    assert comparison["pilot_change_percent"] == pytest.approx(-40.0)
    assert comparison["other_change_percent"] == pytest.approx(-10.0)


def test_a_tiny_firm_with_one_injury_does_not_top_the_priority_list(world):
    admin = world.people[Role.ADMIN]
    chem = industry("2614")
    firms = [EnterpriseFactory(industry=chem) for _ in range(12)]
    tiny = EnterpriseFactory(industry=chem, name="三人小作坊")
    big = EnterpriseFactory(industry=chem, name="高发大厂")
    n = 0
    for year in (2022, 2023, 2024):
        for f in firms:
            insure(f, year, 200)
            add_cases(admin, f, year, 1, n)
            n += 1
        insure(tiny, year, 3)
        insure(big, year, 2000)
        add_cases(admin, big, year, 30, n)
        n += 30
    add_cases(admin, tiny, 2024, 1, n)
    official = world.people[Role.CITY_OFFICIAL]
    rows = priority_list(official, year=2024)
    assert rows[0].name == "高发大厂"
    tiny_row = next(r for r in rows if r.name == "三人小作坊")
    assert tiny_row.observed_rate == pytest.approx(1000 / 9)
    assert tiny_row.smoothed_rate < rows[0].smoothed_rate
    assert rows[0].excess_cases > 0
    assert priority_enterprise_ids(official, year=2024, limit=3)[0] == big.pk
    # Jinan's official sees none of Qingdao's enterprises.
    assert priority_list(world.jinan_city_official, year=2024) == []
    by_excess = priority_list(
        official, year=2024, order="excess", filters=RateFilter(industry="26")
    )
    assert by_excess[0].name == "高发大厂"
