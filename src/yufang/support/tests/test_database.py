from __future__ import annotations

from typing import Any

from django.db import connection

from yufang.celery import app
from yufang.home.tasks import planner_statistics_task
from yufang.tests.factories import EnterpriseFactory, HeadcountFactory


def _analysed_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        else:
            # ANALYZE writes a table's row estimate (-1 until a table was ever analysed).
            cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples >= 0")
        return {row[0] for row in cursor.fetchall()}


def test_the_nightly_task_gives_the_planner_statistics_of_the_registry(db: Any) -> None:
    HeadcountFactory(enterprise=EnterpriseFactory(), year=2024)
    planner_statistics_task()
    assert {"enterprises_enterprise", "enterprises_insuredheadcount"} <= _analysed_tables()
    assert app.conf.beat_schedule["planner-statistics"]["task"] == planner_statistics_task.name
