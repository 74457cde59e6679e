"""The grid services' rules: assignment, generation, balancing, hand-over and screening."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from PIL import Image

from yufang.accounts.models import Role
from yufang.enterprises.selectors import enterprises_visible
from yufang.grid.models import (
    CampaignTarget,
    EnterpriseClosure,
    Screening,
    ScreeningTask,
    TaskStatus,
)
from yufang.grid.selectors import duty_checklist, worker_tasks
from yufang.grid.services import (
    GridInvalid,
    ScreeningConflict,
    assignment_add,
    campaign_create,
    duty_list_set,
    enterprise_closure_record,
    enterprise_place,
    enterprises_place_automatically,
    routine_tasks_generate,
    screening_record,
    tasks_reassign,
    worker_leave,
)
from yufang.grid.services.screenings import screening_context
from yufang.grid.tests.factories import grid_worker, task
from yufang.tests.factories import EnterpriseFactory, GridFactory, persona, region

pytestmark = pytest.mark.django_db


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buf, "JPEG")
    return buf.getvalue()


def test_a_worker_assigned_to_a_second_grid_sees_its_enterprises(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    county = world.people[Role.COUNTY_OFFICIAL]
    assert world.other_enterprise not in enterprises_visible(worker)
    assignment_add(actor=county, grid=world.other_grid, worker=worker)
    assert world.other_enterprise in enterprises_visible(worker)
    assert world.jinan_enterprise not in enterprises_visible(worker)


def test_only_grid_workers_are_assigned_and_only_by_the_county(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    with pytest.raises(GridInvalid) as err:
        assignment_add(actor=county, grid=world.grid, worker=world.people[Role.WORKER])
    assert "worker" in err.value.errors
    with pytest.raises(PermissionDenied):
        assignment_add(
            actor=world.jinan_city_official, grid=world.grid, worker=world.people[Role.GRID_WORKER]
        )
    with pytest.raises(PermissionDenied):
        assignment_add(
            actor=world.people[Role.AUDITOR], grid=world.grid, worker=world.people[Role.GRID_WORKER]
        )


def test_generation_is_balanced_and_a_rerun_adds_nothing(world: Any) -> None:
    a, b = grid_worker(world.grid), grid_worker(world.grid)
    for _i in range(5):
        EnterpriseFactory(county=world.grid.county, township=world.grid.township, grid=world.grid)
    on = dt.date(2026, 12, 6)
    first = routine_tasks_generate(on=on, region=region("370211"))
    assert first.created == 7  # two enterprises of the world + five
    again = routine_tasks_generate(on=on, region=region("370211"))
    assert again.created == 0
    tasks = ScreeningTask.objects.filter(grid=world.grid)
    loads = [tasks.filter(worker=w).count() for w in (world.people[Role.GRID_WORKER], a, b)]
    assert sum(loads) == 6 and max(loads) - min(loads) <= 1
    t = tasks.first()
    assert t is not None and t.period_start == dt.date(2026, 12, 1)
    # unassessed enterprises are screened quarterly (grid.yaml)
    assert t.period_end == dt.date(2027, 2, 28)
    # next month they are still covered
    assert routine_tasks_generate(on=dt.date(2027, 1, 3)).created == 1  # the Jinan one
    assert routine_tasks_generate(on=dt.date(2027, 3, 1)).created == 7  # Jinan covered to March


def test_a_closed_enterprise_gets_no_task_and_its_open_task_is_cancelled(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    t = task(world.enterprise)
    enterprise_closure_record(actor=county, enterprise=world.enterprise, reason="已注销")
    t.refresh_from_db()
    assert t.status == TaskStatus.CANCELLED
    routine_tasks_generate(on=dt.date(2027, 6, 1), region=region("370211"))
    assert not ScreeningTask.objects.filter(
        enterprise=world.enterprise, status=TaskStatus.OPEN
    ).exists()
    with pytest.raises(ScreeningConflict) as err:
        screening_record(actor=world.people[Role.GRID_WORKER], task=t)
    assert err.value.reason == "enterprise_closed"
    assert EnterpriseClosure.objects.count() == 1


def test_a_leaving_worker_hands_open_tasks_to_the_grids_others(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    sick = grid_worker(world.grid)
    others = [grid_worker(world.grid), grid_worker(world.grid)]
    tasks = [task(EnterpriseFactory(grid=world.grid), worker=sick) for _i in range(4)]
    done = task(EnterpriseFactory(grid=world.grid), worker=sick, status=TaskStatus.DONE)
    assert worker_leave(actor=county, worker=sick) == 4
    got = [ScreeningTask.objects.get(pk=t.pk).worker_id for t in tasks]
    assert sick.pk not in got
    assert set(got) <= {o.pk for o in others} | {world.people[Role.GRID_WORKER].pk}
    assert ScreeningTask.objects.get(pk=done.pk).worker_id == sick.pk


def test_reassigning_to_a_worker_of_another_grid_is_refused(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    t = task(world.enterprise, worker=world.people[Role.GRID_WORKER])
    stranger = grid_worker(world.other_grid)
    with pytest.raises(GridInvalid) as err:
        tasks_reassign(actor=county, task_ids=[t.pk], to_worker=stranger)
    assert "worker" in err.value.errors
    helper = grid_worker(world.grid)
    assert tasks_reassign(actor=county, task_ids=[t.pk], to_worker=helper) == 1
    with pytest.raises(PermissionDenied):
        tasks_reassign(actor=world.jinan_city_official, task_ids=[t.pk])


def test_screening_marks_the_task_done_and_a_replay_returns_it(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    world.enterprise.latitude, world.enterprise.longitude = Decimal("36.0"), Decimal("120.0")
    world.enterprise.save()
    t = task(world.enterprise, worker=worker)
    kwargs: dict[str, Any] = {
        "actor": worker,
        "task": t,
        "answers": [{"item": "安全出口畅通", "answer": "no"}],
        "note": "出口堵塞",
        "latitude": "36.0001",
        "longitude": "120.0001",
        "accuracy_m": 12,
        "done_at": timezone.now() - dt.timedelta(hours=1),
        "photos": [jpeg()],
        "idempotency_key": "phone-1:task-1",
    }
    first = screening_record(**kwargs)
    again = screening_record(**kwargs)
    assert first.pk == again.pk and Screening.objects.count() == 1
    assert first.far_from_enterprise is False and first.distance_m is not None
    assert first.photos.count() == 1
    t.refresh_from_db()
    assert t.status == TaskStatus.DONE
    with pytest.raises(ScreeningConflict) as err:
        screening_record(**{**kwargs, "idempotency_key": "other"})
    assert err.value.reason == "already_done"


def test_a_far_position_is_flagged_not_refused(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    world.enterprise.latitude, world.enterprise.longitude = Decimal("36.0"), Decimal("120.0")
    world.enterprise.save()
    s = screening_record(
        actor=worker,
        task=task(world.enterprise, worker=worker),
        latitude="36.1",
        longitude="120.1",
        accuracy_m=10,
    )
    assert s.far_from_enterprise and s.distance_m is not None and s.distance_m > 10000


def test_bad_screening_input_names_the_field_and_writes_nothing(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"latitude": "36", "longitude": "120"}, "accuracy_m"),
        ({"latitude": "95", "longitude": "120", "accuracy_m": 5}, "latitude"),
        ({"photos": [b"not an image"]}, "photos"),
        ({"answers": [{"item": "x", "answer": "maybe"}]}, "answers"),
        ({"done_at": timezone.now() + dt.timedelta(days=1)}, "done_at"),
    ]
    for extra, field in cases:
        with pytest.raises(GridInvalid) as err:
            screening_record(actor=worker, task=t, **extra)
        assert field in err.value.errors
    assert Screening.objects.count() == 0
    t.refresh_from_db()
    assert t.status == TaskStatus.OPEN


def test_a_task_reassigned_meanwhile_is_a_conflict(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    other = grid_worker(world.grid)
    t = task(world.enterprise, worker=other)
    with pytest.raises(ScreeningConflict) as err:
        screening_record(actor=worker, task=t, idempotency_key="k1")
    assert err.value.reason == "reassigned"
    outsider = persona(Role.GRID_WORKER, grid=GridFactory(township=region("370102001")))
    with pytest.raises(ScreeningConflict) as err:
        screening_record(actor=outsider, task=task(world.other_enterprise), idempotency_key="k2")
    assert err.value.reason == "not_assigned"


def test_a_batch_context_answers_as_each_call_alone(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    county = world.people[Role.COUNTY_OFFICIAL]
    done = task(EnterpriseFactory(grid=world.grid), worker=worker)
    first = screening_record(actor=worker, task=done, idempotency_key="phone-1:done")
    fresh = task(EnterpriseFactory(grid=world.grid), worker=worker)
    closed = task(EnterpriseFactory(grid=world.grid), worker=worker)
    enterprise_closure_record(actor=county, enterprise=closed.enterprise, reason="已注销")
    reassigned = task(EnterpriseFactory(grid=world.grid), worker=grid_worker(world.grid))
    elsewhere = task(world.other_enterprise)
    tasks = [done, fresh, closed, reassigned, elsewhere]
    keys = ["phone-1:done", "phone-1:fresh", "phone-1:closed", "phone-1:re", "phone-1:else"]
    context = screening_context(actor=worker, tasks=tasks, keys=keys)

    again = screening_record(
        actor=worker, task=done, idempotency_key="phone-1:done", context=context
    )
    assert again.pk == first.pk
    with pytest.raises(GridInvalid) as invalid:
        screening_record(actor=worker, task=fresh, idempotency_key="phone-1:done", context=context)
    assert "idempotency_key" in invalid.value.errors
    made = screening_record(
        actor=worker, task=fresh, idempotency_key="phone-1:fresh", context=context
    )
    replayed = screening_record(
        actor=worker, task=fresh, idempotency_key="phone-1:fresh", context=context
    )
    assert replayed.pk == made.pk and Screening.objects.count() == 2
    for t, key, reason in [
        (closed, "phone-1:closed", "enterprise_closed"),
        (reassigned, "phone-1:re", "reassigned"),
        (elsewhere, "phone-1:else", "not_assigned"),
    ]:
        with pytest.raises(ScreeningConflict) as err:
            screening_record(actor=worker, task=t, idempotency_key=key, context=context)
        assert err.value.reason == reason
    # A task of a grid the context did not read (given to the worker since) is asked about as
    # without a context.
    new_grid = GridFactory()
    assignment_add(actor=county, grid=new_grid, worker=worker)
    later = task(EnterpriseFactory(grid=new_grid), worker=worker)
    assert screening_record(
        actor=worker, task=later, idempotency_key="phone-1:later", context=context
    )
    with pytest.raises(ValueError):
        screening_record(actor=grid_worker(world.grid), task=fresh, context=context)
    assert Screening.objects.count() == 3


def test_worker_tasks_and_the_checklist_from_the_duty_list(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    county = world.people[Role.COUNTY_OFFICIAL]
    t = task(world.enterprise, worker=worker)
    task(world.other_enterprise)
    assert list(worker_tasks(worker, on=timezone.localdate())) == [t]
    duty_list_set(
        actor=county,
        county=region("370211"),
        grid_role="full_time",
        valid_from=dt.date(2026, 1, 1),
        items=["检查安全出口", "", "检查消防器材", "上报隐患"],
        checklist=[True, True, False],
    )
    assert duty_checklist(worker, t) == ["检查安全出口", "上报隐患"]
    with pytest.raises(PermissionDenied):
        duty_list_set(
            actor=world.jinan_city_official,
            county=region("370211"),
            grid_role="full_time",
            valid_from=dt.date(2026, 1, 1),
            items=["x"],
        )


def test_a_campaign_for_an_industry_makes_tasks_at_once(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    plan = campaign_create(
        actor=county,
        name="有限空间专项排查",
        target=CampaignTarget.INDUSTRIES,
        industry_codes=["C26"],
        starts_on=dt.date(2026, 12, 7),
        region=region("370211"),
    )
    assert plan.ends_on == dt.date(2026, 12, 20)
    # world's enterprises are in industry 2614 (C26xx) in 黄岛区; Jinan's is not in the region
    assert ScreeningTask.objects.filter(plan=plan).count() == 2
    with pytest.raises(PermissionDenied):
        campaign_create(
            actor=county,
            name="x",
            target=CampaignTarget.PRIORITY_LIST,
            starts_on=timezone.localdate(),
        )


def test_automatic_placement_picks_the_nearest_centre_of_the_township(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    near = GridFactory(
        township=world.grid.township, latitude=Decimal("36.0"), longitude=Decimal("120.0")
    )
    GridFactory(township=world.grid.township, latitude=Decimal("36.1"), longitude=Decimal("120.1"))
    e = EnterpriseFactory(
        township=world.grid.township, latitude=Decimal("36.001"), longitude=Decimal("120.001")
    )
    placed, left = enterprises_place_automatically(actor=county, county=region("370211"))
    e.refresh_from_db()
    assert (placed, left) == (1, 0) and e.grid_id == near.pk
    assert e.grid_placement.method == "automatic"  # type: ignore[attr-defined]
    enterprise_place(actor=county, enterprise=e, grid=world.grid)
    e.refresh_from_db()
    assert e.grid_id == world.grid.pk and e.grid_placement.method == "manual"  # type: ignore[attr-defined]


def test_the_daily_pace_keeps_every_deadline() -> None:
    import datetime as dt

    from yufang.grid.selectors import daily_pace, working_days

    monday = dt.date(2026, 12, 7)
    assert working_days(monday, monday + dt.timedelta(days=6)) == 5
    assert working_days(monday, monday - dt.timedelta(days=1)) == 0
    # Twenty due in four weeks: one a day; but three due on Wednesday need one a day too,
    # and ten due on Wednesday need four a day (ten over three working days).
    assert daily_pace([monday + dt.timedelta(days=25)] * 20, on=monday) == 1
    assert daily_pace([monday + dt.timedelta(days=2)] * 3, on=monday) == 1
    assert daily_pace([monday + dt.timedelta(days=2)] * 10, on=monday) == 4
    assert daily_pace([], on=monday) == 0
