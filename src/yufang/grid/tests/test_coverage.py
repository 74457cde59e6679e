"""Coverage figures: on time by the screening's local day, an area's records by its region."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from yufang.accounts.models import Role
from yufang.grid.models import Screening, ScreeningTask, TaskStatus
from yufang.grid.selectors.coverage import Window, coverage
from yufang.grid.services.coverage_counts import screening_counted
from yufang.grid.tests.factories import task
from yufang.tests.factories import EnterpriseFactory, region

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _done(t: ScreeningTask, at: dt.datetime) -> None:
    screening = Screening.objects.create(
        task=t,
        enterprise_id=t.enterprise_id,
        grid_id=t.grid_id,
        worker_id=t.worker_id,
        done_at=at,
        answers=[],
    )
    ScreeningTask.objects.filter(pk=t.pk).update(status=TaskStatus.DONE)
    screening_counted(screening)


def test_on_time_is_the_screenings_local_day(world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    due = dt.date(2026, 11, 20)
    late_evening = task(world.enterprise, worker=worker, due_on=due, period_start=due)
    other = EnterpriseFactory(
        county=world.grid.county, township=world.grid.township, grid=world.grid
    )
    after_midnight = task(other, worker=worker, due_on=due, period_start=due)
    # 23:30 in Shanghai is 15:30 UTC the same day; 00:30 the next day is 16:30 UTC on the 20th.
    _done(late_evening, dt.datetime(2026, 11, 20, 23, 30, tzinfo=SHANGHAI))
    _done(after_midnight, dt.datetime(2026, 11, 21, 0, 30, tzinfo=SHANGHAI))
    official = world.people[Role.CITY_OFFICIAL]
    rows = coverage(
        official,
        level="grid",
        window=Window(dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        today=dt.date(2026, 12, 6),
        within=region("370200"),
    )
    by_grid = {r.key: r for r in rows}
    assert world.grid.pk in by_grid and world.other_grid.pk in by_grid
    row = by_grid[world.grid.pk]
    assert (row.due, row.on_time, row.screenings) == (2, 1, 2)
    assert row.enterprises == 2
    # A county inside the city: only its grids; Jinan's grid is in no Qingdao area.
    county_rows = coverage(
        official,
        level="grid",
        window=Window(dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        today=dt.date(2026, 12, 6),
        within=region("370211"),
    )
    assert {r.key for r in county_rows} == {world.grid.pk, world.other_grid.pk}
    assert (
        coverage(
            world.jinan_city_official,
            level="grid",
            window=Window(dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
            today=dt.date(2026, 12, 6),
            within=region("370100"),
        )[0].due
        == 0
    )
