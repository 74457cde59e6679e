"""The coverage counts kept per grid and day, and the enterprises screened kept per grid,
equal the live aggregation after the writes that move them: generation, screenings on time
and late, a finding, a campaign, a placement, a move in the registry, a closure and a
reassignment."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from yufang.accounts.models import Role
from yufang.enterprises.models import Enterprise
from yufang.enterprises.services import enterprise_update
from yufang.grid.models import (
    CampaignTarget,
    FirstScreening,
    GridDayCount,
    GridEnterpriseCount,
    ScreeningTask,
    TaskStatus,
)
from yufang.grid.selectors.coverage import Window, coverage
from yufang.grid.services import (
    campaign_create,
    enterprise_closure_record,
    enterprise_place,
    routine_tasks_generate,
    screening_finding_add,
    screening_record,
    tasks_reassign,
)
from yufang.grid.services.coverage_counts import (
    coverage_counts_rebuild,
    kept_counts,
    kept_screened_counts,
    live_counts,
    live_screened_counts,
)
from yufang.grid.tests.factories import grid_worker, task
from yufang.hazards.services import hazard_report
from yufang.support.topics import Topic
from yufang.tests.factories import EnterpriseFactory, GridFactory, region

pytestmark = pytest.mark.django_db


def _operations(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    county = world.people[Role.COUNTY_OFFICIAL]
    today = timezone.localdate()
    routine_tasks_generate(on=today, region=region("370211"))
    first = ScreeningTask.objects.filter(enterprise=world.enterprise).first()
    assert first is not None
    screening = screening_record(actor=worker, task=first, idempotency_key="on-time")
    hazard = hazard_report(
        actor=worker,
        enterprise=world.enterprise,
        topic=Topic.values[0],
        level="ordinary",
        description="配电箱未接地",
    )
    screening_finding_add(actor=worker, screening=screening, hazard=hazard)
    days_ago_9 = today - dt.timedelta(days=9)
    late = task(world.enterprise, worker=worker, due_on=days_ago_9, period_start=days_ago_9)
    screening_record(actor=worker, task=late, idempotency_key="late")
    days_ago_8 = today - dt.timedelta(days=8)
    task(world.other_enterprise, worker=worker, due_on=days_ago_8, period_start=days_ago_8)
    campaign_create(
        actor=county,
        name="有限空间专项排查",
        target=CampaignTarget.INDUSTRIES,
        industry_codes=["C26"],
        starts_on=today,
        region=region("370211"),
    )

    def in_grid() -> Any:
        return EnterpriseFactory(
            county=world.grid.county, township=world.grid.township, grid=world.grid
        )

    def screened(enterprise: Any, key: str) -> None:
        made = task(enterprise, worker=worker, due_on=today)
        screening_record(actor=worker, task=made, idempotency_key=key)

    moved = in_grid()
    task(moved, worker=worker, due_on=today + dt.timedelta(days=9))
    screened_then_moved = in_grid()
    screened(screened_then_moved, "moved-first")
    other_grid = GridFactory(township=world.grid.township)
    grid_worker(other_grid)
    enterprise_place(actor=county, enterprise=moved, grid=other_grid)
    enterprise_place(actor=county, enterprise=screened_then_moved, grid=other_grid)
    # Moved back through the registry itself, as the enterprise page does.
    enterprise_update(
        actor=county,
        enterprise=screened_then_moved,
        data={"township": world.grid.township.code, "grid": world.grid.code},
    )
    enterprise_place(actor=county, enterprise=screened_then_moved, grid=other_grid)
    screened_then_closed = in_grid()
    screened(screened_then_closed, "closed-first")
    enterprise_closure_record(actor=county, enterprise=world.other_enterprise, reason="已注销")
    enterprise_closure_record(actor=county, enterprise=screened_then_closed, reason="已注销")
    helper = grid_worker(world.grid)
    still_open = ScreeningTask.objects.filter(grid=world.grid, status=TaskStatus.OPEN)
    tasks_reassign(actor=county, task_ids=still_open.values_list("pk", flat=True), to_worker=helper)


def test_the_kept_counts_equal_the_live_aggregation_after_every_write(world: Any) -> None:
    _operations(world)
    live = live_counts()
    # Every kind of figure is exercised, so an equality of empty tables proves nothing less.
    for name in ("due", "on_time", "open", "screenings", "findings"):
        assert sum(c[name] for c in live.values()) > 0, name
    assert sum(c["due"] for c in live.values()) > sum(c["open"] for c in live.values())
    assert kept_counts() == live
    screened = live_screened_counts()
    # world.enterprise, screened twice, counts once in its grid; the enterprise screened and
    # moved counts in the grid it is in now; the one screened and closed counts nowhere.
    assert sorted(screened.values()) == [1, 1]
    assert FirstScreening.objects.filter(enterprise=world.enterprise).count() == 1
    assert kept_screened_counts() == screened


def test_the_coverage_page_reads_the_kept_counts_and_a_rebuild_restores_them(world: Any) -> None:
    _operations(world)
    today = timezone.localdate()
    official = world.people[Role.CITY_OFFICIAL]
    window = Window(today - dt.timedelta(days=30), today + dt.timedelta(days=400))

    def figures() -> dict[int, tuple[int, ...]]:
        rows = coverage(official, level="grid", window=window, today=today, within=region("370200"))
        return {
            r.key: (r.due, r.on_time, r.overdue, r.screenings, r.findings, r.far, r.never)
            for r in rows
        }

    before = figures()
    assert before[world.grid.pk][:5] == (
        ScreeningTask.objects.filter(grid=world.grid).exclude(status="cancelled").count(),
        3,
        0,
        4,
        1,
    )
    # Never screened: a grid's enterprises not closed less those with a screening.
    never = {
        key: Enterprise.objects.filter(grid_id=key, grid_closure__isnull=True)
        .exclude(screenings__isnull=False)
        .count()
        for key in before
    }
    assert {key: v[6] for key, v in before.items()} == never
    assert sum(never.values()) > 0
    GridDayCount.objects.all().delete()
    GridEnterpriseCount.objects.all().delete()
    assert all(sum(v[:6]) == 0 for v in figures().values())
    call_command("grid_coverage_counts_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert figures() == before
    assert coverage_counts_rebuild() > 0 and kept_counts() == live_counts()


def test_a_grid_changed_on_the_enterprise_page_takes_the_open_tasks_along(world: Any) -> None:
    """The registry's own edit moves an enterprise's open tasks to the new grid's workers, as
    a placement does, so coverage finds them where the enterprise is."""
    worker = world.people[Role.GRID_WORKER]
    county = world.people[Role.COUNTY_OFFICIAL]
    today = timezone.localdate()
    enterprise = EnterpriseFactory(
        county=world.grid.county, township=world.grid.township, grid=world.grid
    )
    missed = task(enterprise, worker=worker, due_on=today - dt.timedelta(days=3))
    other_grid = GridFactory(township=world.grid.township)
    other_worker = grid_worker(other_grid)
    enterprise_update(
        actor=county,
        enterprise=enterprise,
        data={"township": other_grid.township.code, "grid": other_grid.code},
    )
    missed.refresh_from_db()
    assert (missed.grid_id, missed.worker_id) == (other_grid.pk, other_worker.pk)
    assert kept_counts() == live_counts()
    official = world.people[Role.CITY_OFFICIAL]
    rows = coverage(
        official,
        level="grid",
        window=Window(today - dt.timedelta(days=30), today),
        today=today,
        within=region("370200"),
    )
    by_key = {r.key: r for r in rows}
    assert (by_key[other_grid.pk].overdue, by_key[other_grid.pk].not_in_period) == (1, 1)
    assert by_key[world.grid.pk].not_in_period == 0


def test_an_enterprise_taken_out_of_every_grid_has_its_open_tasks_cancelled(world: Any) -> None:
    """No grid's worker answers for it any more: its open tasks are cancelled, saying why, and
    leave the counts; a task already done stays done."""
    worker = world.people[Role.GRID_WORKER]
    county = world.people[Role.COUNTY_OFFICIAL]
    today = timezone.localdate()
    enterprise = EnterpriseFactory(
        county=world.grid.county, township=world.grid.township, grid=world.grid
    )
    done = task(
        enterprise,
        worker=worker,
        period_start=today - dt.timedelta(days=70),
        due_on=today - dt.timedelta(days=40),
    )
    screening_record(actor=worker, task=done, idempotency_key="done-before")
    still_open = task(enterprise, worker=worker, due_on=today + dt.timedelta(days=3))
    kept = task(world.enterprise, worker=worker, due_on=today + dt.timedelta(days=3))
    with translation.override("zh-hans"):
        enterprise_update(actor=county, enterprise=enterprise, data={"grid": ""})
    enterprise.refresh_from_db()
    assert enterprise.grid_id is None
    still_open.refresh_from_db()
    done.refresh_from_db()
    kept.refresh_from_db()
    assert still_open.status == TaskStatus.CANCELLED
    assert still_open.cancel_reason == "该企业已不在任何网格中。"
    assert done.status == TaskStatus.DONE
    assert kept.status == TaskStatus.OPEN
    assert kept_counts() == live_counts()
    assert kept_screened_counts() == live_screened_counts()
