"""Receiving a phone's outbox: every entry once, conflicts and refusals answered per entry,
nothing written twice and nothing lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.field.models import SyncReceipt
from yufang.field.services import Entry, FieldInvalid, outbox_sync
from yufang.field.tests.factories import grid_worker, jpeg_data_url, task
from yufang.grid.models import Screening, ScreeningFinding, ScreeningTask, TaskStatus
from yufang.grid.services import enterprise_closure_record
from yufang.hazards.models import Hazard
from yufang.tests.factories import EnterpriseFactory, region

pytestmark = pytest.mark.django_db


def screening(t: Any, **fields: Any) -> Entry:
    base: dict[str, Any] = {
        "key": f"s-{t.pk}-0001",
        "kind": "screening",
        "task_id": t.pk,
        "done_at": timezone.now(),
        "latitude": "36.0671",
        "longitude": "120.3826",
        "accuracy_m": "12",
    }
    return Entry(**(base | fields))


def hazard(t: Any, **fields: Any) -> Entry:
    base: dict[str, Any] = {
        "key": f"h-{t.pk}-0001",
        "kind": "hazard",
        "task_id": t.pk,
        "done_at": timezone.now(),
        "topic": "fire",
        "level": "ordinary",
        "description": "安全出口被货物堵塞",
        "photos": [jpeg_data_url()],
    }
    return Entry(**(base | fields))


def three_tasks(world: Any, worker: Any) -> list[ScreeningTask]:
    others = [
        EnterpriseFactory(county=region("370211"), township=world.grid.township, grid=world.grid)
        for _ in range(2)
    ]
    return [task(e, worker=worker) for e in [world.enterprise, *others]]


def test_three_visits_and_a_hazard_with_a_photo_are_received_once(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    tasks = three_tasks(world, worker)
    entries = [screening(t, photos=[jpeg_data_url()]) for t in tasks]
    entries.append(hazard(tasks[0], screening_key=entries[0].key))

    results = outbox_sync(actor=worker, entries=entries)

    assert [r.status for r in results] == ["done"] * 4
    assert Screening.objects.filter(worker=worker).count() == 3
    assert all(t.status == TaskStatus.DONE for t in ScreeningTask.objects.filter(worker=worker))
    found = Hazard.objects.get(enterprise=world.enterprise)
    assert found.photos.count() == 1
    assert results[3].id == found.pk
    assert ScreeningFinding.objects.get(hazard=found).screening.task_id == tasks[0].pk
    assert SyncReceipt.objects.filter(user=worker).count() == 4


def test_a_replayed_sync_answers_replayed_and_adds_nothing(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    tasks = three_tasks(world, worker)
    entries = [screening(t) for t in tasks] + [hazard(tasks[1])]
    outbox_sync(actor=worker, entries=entries)

    again = outbox_sync(actor=worker, entries=entries)

    assert [r.status for r in again] == ["replayed"] * 4
    assert Screening.objects.count() == 3
    assert Hazard.objects.count() == 1
    assert SyncReceipt.objects.count() == 4


def test_a_task_reassigned_meanwhile_is_a_conflict_and_the_rest_is_received(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    colleague = grid_worker(world.grid)
    tasks = three_tasks(world, worker)
    ScreeningTask.objects.filter(pk=tasks[2].pk).update(worker=colleague)

    results = outbox_sync(actor=worker, entries=[screening(t) for t in tasks])

    assert [r.status for r in results] == ["done", "done", "conflict"]
    assert results[2].reason == "reassigned"
    assert "reassigned" in results[2].message
    assert Screening.objects.count() == 2
    assert not SyncReceipt.objects.filter(key=results[2].key).exists()


def test_a_hazard_found_at_a_reassigned_task_is_still_registered(world: Any) -> None:
    """The hazard is real whoever screens the task: it is not lost with the conflict."""
    worker = world.people[Role.GRID_WORKER]
    colleague = grid_worker(world.grid)
    t = task(world.enterprise, worker=colleague)
    first = screening(t)

    results = outbox_sync(actor=worker, entries=[first, hazard(t, screening_key=first.key)])

    assert [r.status for r in results] == ["conflict", "done"]
    assert Hazard.objects.filter(enterprise=world.enterprise).count() == 1
    assert not ScreeningFinding.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused_naming_the_field(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    not_a_photo = "data:image/jpeg;base64,SGVsbG8sIHdvcmxkIQ=="

    results = outbox_sync(
        actor=worker,
        entries=[screening(t, photos=[not_a_photo]), hazard(t, photos=[not_a_photo])],
    )

    assert [(r.status, r.field) for r in results] == [("invalid", "photos"), ("invalid", "photo")]
    assert "not a photo" in results[0].message
    assert not Screening.objects.exists()
    assert not Hazard.objects.exists()
    assert not SyncReceipt.objects.exists()
    t.refresh_from_db()
    assert t.status == TaskStatus.OPEN


def test_a_task_of_another_grid_is_not_found(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    theirs = task(world.other_enterprise)
    jinan = task(world.jinan_enterprise)

    results = outbox_sync(actor=worker, entries=[screening(theirs), screening(jinan)])

    assert [(r.status, r.reason) for r in results] == [("conflict", "not_found")] * 2
    assert not Screening.objects.exists()


def test_a_far_location_and_a_missing_one_are_flagged_and_told(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    world.enterprise.latitude, world.enterprise.longitude = 36.0671, 120.3826
    world.enterprise.save(update_fields=["latitude", "longitude"])
    far_task = task(world.enterprise, worker=worker)
    other = EnterpriseFactory(
        county=region("370211"), township=world.grid.township, grid=world.grid
    )
    blind_task = task(other, worker=worker)

    far, blind = outbox_sync(
        actor=worker,
        entries=[
            screening(far_task, latitude="36.2000", longitude="120.5000"),
            screening(blind_task, latitude=None, longitude=None, accuracy_m=None),
        ],
    )

    assert (far.status, blind.status) == ("done", "done")
    assert "m from the enterprise" in far.notes[0]
    assert "No location" in blind.notes[0]
    assert Screening.objects.filter(far_from_enterprise=True).count() == 2


def test_a_position_without_accuracy_is_refused_naming_it(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)

    (result,) = outbox_sync(actor=worker, entries=[screening(t, accuracy_m=None)])

    assert (result.status, result.field) == ("invalid", "accuracy_m")


def test_a_task_done_twice_from_two_phones_is_a_conflict_the_second_time(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    outbox_sync(actor=worker, entries=[screening(t, key="phone-one-0001")])

    (second,) = outbox_sync(actor=worker, entries=[screening(t, key="phone-two-0001")])

    assert (second.status, second.reason) == ("conflict", "already_done")
    assert Screening.objects.count() == 1


def test_only_grid_workers_sync_and_a_malformed_batch_is_refused(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    with pytest.raises(PermissionDenied):
        outbox_sync(actor=world.people[Role.COUNTY_OFFICIAL], entries=[screening(t)])
    with pytest.raises(FieldInvalid) as err:
        outbox_sync(actor=worker, entries=[screening(t, key="short")])
    assert err.value.errors.keys() == {"key"}
    with pytest.raises(FieldInvalid):
        outbox_sync(actor=worker, entries=[screening(t), screening(t)])


def test_a_screening_dated_in_the_future_is_refused(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    later = timezone.now() + dt.timedelta(days=1)

    (result,) = outbox_sync(actor=worker, entries=[screening(t, done_at=later)])

    assert (result.status, result.field) == ("invalid", "done_at")


def test_a_task_of_an_enterprise_closed_meanwhile_is_a_conflict_saying_so(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    enterprise_closure_record(
        actor=world.people[Role.COUNTY_OFFICIAL], enterprise=world.enterprise, reason="已注销"
    )

    (result,) = outbox_sync(actor=worker, entries=[screening(t)])

    assert (result.status, result.reason) == ("conflict", "enterprise_closed")
    assert "closed" in result.message
    assert not Screening.objects.exists()


def _sync_queries(worker: Any, entries: list[Entry]) -> int:
    with CaptureQueriesContext(connection) as captured:
        results = outbox_sync(actor=worker, entries=entries)
    assert {r.status for r in results} <= {"done", "replayed"}
    return len(captured.captured_queries)


# The sync's own work is a few queries a batch (the receipts, the tasks), and three more when it
# has screenings to receive: grid's `screening_context` reads at once the keys already used, the
# closed enterprises and the grids the worker screens (one query per grid). Each screening is then
# one call of `screening_record`, nine queries when it is its enterprise's first screening
# (savepoint, task lock, insert, task update, the grid's coverage counts, the first screening
# and the grid's screened count, audit, release), eight after. The bounds catch a query per entry creeping into the field app's side or the grid
# service growing.
QUERIES_PER_SCREENING = 9
QUERIES_PER_BATCH = 6
QUERIES_PER_CONTEXT = 3


def test_the_sync_costs_a_bounded_number_of_queries_per_screening(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    enterprises = EnterpriseFactory.create_batch(
        25, county=region("370211"), township=world.grid.township, grid=world.grid
    )
    tasks = [task(e, worker=worker) for e in enterprises]
    few = [screening(t) for t in tasks[:5]]
    many = [screening(t) for t in tasks[5:]]

    for_few = _sync_queries(worker, few)
    for_many = _sync_queries(worker, many)

    per_screening = (for_many - for_few) / (len(many) - len(few))
    assert per_screening <= QUERIES_PER_SCREENING, per_screening
    assert for_many <= (
        QUERIES_PER_BATCH + QUERIES_PER_CONTEXT + QUERIES_PER_SCREENING * len(many)
    ), for_many
    # A replayed outbox writes nothing and reads its receipts at once, whatever its size.
    assert _sync_queries(worker, few + many) <= QUERIES_PER_BATCH
