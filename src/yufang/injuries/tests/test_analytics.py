"""Targets, pilot comparison and the prevention priority list."""

from __future__ import annotations

import pytest

from yufang.accounts.models import Role
from yufang.injuries.models import PriorityRanking
from yufang.injuries.selectors import (
    RateFilter,
    pilot_comparison,
    priority_enterprise_ids,
    priority_list,
    target_progress,
    target_status,
)
from yufang.injuries.services import (
    cases_check,
    cases_create_many,
    priority_ranking_refresh,
    priority_rebuild,
    rollup_rebuild,
)
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
    _firms, big, n = _ranked_firms(world)
    tiny = EnterpriseFactory(industry=industry("2614"), name="三人小作坊")
    for year in (2022, 2023, 2024):
        insure(tiny, year, 3)
    add_cases(admin, tiny, 2024, 1, n)
    official = world.people[Role.CITY_OFFICIAL]
    # Reading ranks nothing: the list of a window not ranked yet is empty, and other
    # domains' ids are computed without being stored.
    assert priority_list(official, year=2024) == []
    assert priority_enterprise_ids(official, year=2024, limit=3)[0] == big.pk
    assert not PriorityRanking.objects.exists()
    priority_ranking_refresh(year=2024)
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


def _ranked_firms(world):
    """Twelve chemical firms in Qingdao with one case a year, and one with many."""
    admin = world.people[Role.ADMIN]
    chem = industry("2614")
    firms = [EnterpriseFactory(industry=chem) for _ in range(12)]
    big = EnterpriseFactory(industry=chem, name="高发大厂")
    n = 0
    for year in (2022, 2023, 2024):
        for f in firms:
            insure(f, year, 200)
            add_cases(admin, f, year, 1, n)
            n += 1
        insure(big, year, 2000)
        add_cases(admin, big, year, 30, n)
        n += 30
    return firms, big, n


def test_an_enterprise_has_the_same_score_whoever_looks(world):
    firms, big, _n = _ranked_firms(world)
    priority_ranking_refresh(year=2024)
    province = priority_list(world.people[Role.PROVINCE_OFFICIAL], year=2024)
    city = priority_list(world.people[Role.CITY_OFFICIAL], year=2024)
    by_pk = {r.enterprise_id: r for r in province}
    assert city and all(by_pk[r.enterprise_id].smoothed_rate == r.smoothed_rate for r in city)
    # The prior is fitted on the province's chemical firms, not on what a filter leaves.
    only_big = priority_list(
        world.people[Role.PROVINCE_OFFICIAL], year=2024, filters=RateFilter(enterprise=big.pk)
    )
    assert [r.smoothed_rate for r in only_big] == [by_pk[big.pk].smoothed_rate]
    assert only_big[0].rank == 1 and only_big[0].cases == 90


def test_case_writes_mark_the_ranking_stale_and_it_is_recomputed_after_commit(
    world, django_capture_on_commit_callbacks
):
    from yufang.injuries.models import PriorityRanking
    from yufang.injuries.services import priority_rebuild

    firms, big, n = _ranked_firms(world)
    priority_rebuild()
    official = world.people[Role.PROVINCE_OFFICIAL]
    before = {r.enterprise_id: r.cases for r in priority_list(official, year=2024)}
    assert not PriorityRanking.objects.get(year=2024).is_stale
    # Celery runs eagerly here: the recomputation runs as the commit callbacks do.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        add_cases(world.people[Role.ADMIN], firms[0], 2024, 5, n)
    assert callbacks
    ranking = PriorityRanking.objects.get(year=2024)
    assert not ranking.is_stale and ranking.changed_at is not None
    after = {r.enterprise_id: r.cases for r in priority_list(official, year=2024)}
    assert after[firms[0].pk] == before[firms[0].pk] + 5


def test_a_ranking_read_before_a_change_committed_stays_stale(world):
    from django.utils import timezone

    from yufang.injuries.models import PriorityRanking
    from yufang.injuries.services import priority_rebuild, priority_stale_rebuild

    _ranked_firms(world)
    priority_rebuild()
    ranking = PriorityRanking.objects.get(year=2024)
    # A change that commits after the ranking read its data.
    PriorityRanking.objects.update(changed_at=timezone.now())
    ranking.refresh_from_db()
    assert ranking.is_stale
    assert set(priority_stale_rebuild()) == {2022, 2023, 2024}
    assert not PriorityRanking.objects.get(year=2024).is_stale
    assert priority_stale_rebuild() == {}


def test_rebuild_command_ranks_every_year_with_headcounts(world):
    from io import StringIO

    from django.core.management import call_command

    from yufang.injuries.models import PriorityRanking, PriorityScore

    _ranked_firms(world)
    out = StringIO()
    call_command("rebuild_priority_ranking", stdout=out)
    assert sorted(PriorityRanking.objects.values_list("year", flat=True)) == [2022, 2023, 2024]
    assert PriorityScore.objects.filter(ranking__year=2024).count() == 13
    assert "2024: 13" in out.getvalue()


def test_a_burst_of_writes_queues_one_recomputation_and_late_writes_another(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    from django.utils import timezone

    from yufang.injuries import tasks
    from yufang.injuries.models import PriorityRanking
    from yufang.injuries.services import priority_mark_stale, priority_rebuild

    _ranked_firms(world)
    priority_rebuild()
    queued: list[object] = []
    monkeypatch.setattr(tasks.priority_rebuild_task, "delay", lambda: queued.append("now"))
    monkeypatch.setattr(
        tasks.priority_rebuild_task,
        "apply_async",
        lambda countdown: queued.append(countdown),
    )
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            priority_mark_stale()
    assert queued == ["now"]

    def a_write_lands_while_it_reads() -> dict[int, int]:
        ranked = priority_rebuild()
        PriorityRanking.objects.update(changed_at=timezone.now())
        return ranked

    monkeypatch.setattr(tasks, "priority_stale_rebuild", a_write_lands_while_it_reads)
    tasks.priority_rebuild_task()
    assert queued == ["now", tasks.PRIORITY_REBUILD_PAUSE_S]


def test_a_city_list_reads_the_region_its_scores_carry(world):
    _firms, big, _n = _ranked_firms(world)
    priority_ranking_refresh(year=2024)
    province = world.people[Role.PROVINCE_OFFICIAL]
    qingdao = priority_list(province, year=2024, filters=RateFilter(city="370200"))
    assert qingdao[0].name == "高发大厂"
    assert priority_list(province, year=2024, filters=RateFilter(city="370100")) == []
    # Moved to Jinan in the registry: the recomputation (the registry change marks the
    # rankings stale) puts it in Jinan's lists.
    big.city, big.county = region("370100"), region("370102")
    big.save()
    priority_rebuild([2024])
    assert [r.name for r in priority_list(world.jinan_city_official, year=2024)] == ["高发大厂"]
    by_county = priority_list(province, year=2024, filters=RateFilter(county="370102"))
    assert [r.name for r in by_county] == ["高发大厂"]
    assert "高发大厂" not in {
        r.name for r in priority_list(world.people[Role.CITY_OFFICIAL], year=2024)
    }
