"""Generation as one statement: the same balancing as handing each task in turn to the
least-loaded worker, the colour's period for assessed enterprises, campaigns and reruns."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.grid.models import PlanKind, ScreeningPlan, ScreeningTask, TaskStatus
from yufang.grid.services import routine_tasks_generate, tasks_generate
from yufang.grid.services.common import balanced_pick
from yufang.grid.tests.factories import grid_worker, task
from yufang.hazards import services as hazards_services
from yufang.hazards.services import checklists_import
from yufang.tests.factories import EnterpriseFactory, GridFactory, region

pytestmark = pytest.mark.django_db


def _campaign_plan() -> ScreeningPlan:
    return ScreeningPlan.objects.create(
        kind=PlanKind.CAMPAIGN,
        name="earlier drive",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 1, 14),
    )


def test_each_grids_tasks_go_as_if_handed_one_by_one_to_the_least_loaded(world: Any) -> None:
    grid = world.grid
    first = world.people[Role.GRID_WORKER]
    second, third = grid_worker(grid), grid_worker(grid)
    # Uneven open loads from an earlier campaign: 4, 1 and 0 open tasks.
    earlier = _campaign_plan()
    for worker, count in ((first, 4), (second, 1)):
        for _i in range(count):
            e = EnterpriseFactory(county=grid.county, township=grid.township, grid=grid)
            task(e, worker=worker, plan=earlier, period_start=dt.date(2026, 1, 1))
    # A second grid with one worker and one without any.
    busy = GridFactory(township=region("370211001"))
    lone = grid_worker(busy)
    empty = GridFactory(township=region("370211001"))
    for g, n in ((grid, 9), (busy, 3), (empty, 2)):
        for _i in range(n):
            EnterpriseFactory(county=g.county, township=g.township, grid=g)
    loads_before = {
        w.pk: ScreeningTask.objects.filter(worker=w, status=TaskStatus.OPEN).count()
        for w in (first, second, third, lone)
    }
    # What the one-by-one rule gives, in enterprise order within each grid.
    expected: dict[int, int | None] = {}
    for g, workers in ((grid, [first, second, third]), (busy, [lone]), (empty, [])):
        loads = {w.pk: loads_before[w.pk] for w in workers}
        for pk in g.enterprises.order_by("pk").values_list("pk", flat=True):
            expected[pk] = balanced_pick(loads)

    result = routine_tasks_generate(on=dt.date(2026, 12, 6), region=region("370211"))

    got = dict(
        ScreeningTask.objects.filter(
            plan__kind=PlanKind.ROUTINE, grid__in=[grid, busy, empty]
        ).values_list("enterprise_id", "worker_id")
    )
    assert got == expected
    assert result.created == len(expected) + 1  # and the other grid's enterprise
    # The intent: nobody gets more than ceil(n / k) plus how far below the busiest they were.
    n = sum(1 for pk in expected if expected[pk] in {first.pk, second.pk, third.pk})
    top = max(loads_before[w.pk] for w in (first, second, third))
    for w in (first, second, third):
        given = sum(1 for v in got.values() if v == w.pk)
        assert given <= math.ceil(n / 3) + top - loads_before[w.pk]
    assert {got[pk] for pk in empty.enterprises.values_list("pk", flat=True)} == {None}
    assert routine_tasks_generate(on=dt.date(2026, 12, 6), region=region("370211")).created == 0


def test_an_assessed_enterprise_gets_its_colours_period(world: Any) -> None:
    checklists_import()
    official = world.people[Role.COUNTY_OFFICIAL]
    a = hazards_services.assessment_create(
        actor=official, enterprise=world.enterprise, checklist_key="T09", method="site_patrol"
    )
    answers = {i.pk: ("pass", "") for i in a.checklist.items.all()}
    hazards_services.assessment_record(
        actor=official, assessment=a, answers=answers, lec=("6", "6", "7")
    )  # D = 252: orange, every two months
    hazards_services.assessment_complete(actor=official, assessment=a)

    routine_tasks_generate(on=dt.date(2026, 12, 6), region=region("370211"))

    ends = dict(
        ScreeningTask.objects.filter(grid=world.grid).values_list("enterprise_id", "period_end")
    )
    assert ends[world.enterprise.pk] == dt.date(2027, 1, 31)
    other = ScreeningTask.objects.get(enterprise=world.other_enterprise)
    assert other.period_end == other.due_on == dt.date(2027, 2, 28)  # unassessed: quarterly
    assert ScreeningTask.objects.get(enterprise=world.enterprise).due_on == dt.date(2027, 1, 31)


def test_a_running_campaign_adds_only_new_targets(world: Any) -> None:
    plan = ScreeningPlan.objects.create(
        kind=PlanKind.CAMPAIGN,
        name="confined spaces",
        target="priority_list",
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 14),
        region=region("370211"),
    )
    world.enterprise.is_key_industry = True
    world.enterprise.save(update_fields=["is_key_industry"])
    world.other_enterprise.is_key_industry = False
    world.other_enterprise.save(update_fields=["is_key_industry"])
    tasks_generate(on=dt.date(2026, 12, 2), region=region("370211"))
    assert list(plan.tasks.values_list("enterprise_id", "due_on", "worker_id")) == [
        (world.enterprise.pk, dt.date(2026, 12, 14), world.people[Role.GRID_WORKER].pk)
    ]
    world.other_enterprise.is_key_industry = True
    world.other_enterprise.save(update_fields=["is_key_industry"])
    again = tasks_generate(on=dt.date(2026, 12, 3), region=region("370211"))
    assert plan.tasks.count() == 2
    assert again.created == 1 and again.already == 1
