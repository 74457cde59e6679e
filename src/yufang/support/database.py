"""Upkeep of the database itself, whichever of the two it is."""

from __future__ import annotations

from django.db import connection


def planner_statistics_refresh() -> None:
    """Refresh the statistics the query planner chooses its plans by.

    PostgreSQL's autovacuum does this on its own after large changes; SQLite never does.
    Without them, SQLite pages the province's list of insured headcounts by sorting all 2.5
    million rows (0.5 s at province scale) instead of walking the enterprises' name index
    (16 ms). A full ANALYZE, not a sampled one (`analysis_limit`): sampling the start of a
    sorted index misjudges it, and picked a plan ten times slower for a city's priority list.
    It takes a second or two at province scale.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
