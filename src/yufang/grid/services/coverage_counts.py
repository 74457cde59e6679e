"""Coverage counts kept per grid and local day (`GridDayCount`), changed in the same
transaction as every write that moves them, so that a city's coverage reads a row per grid
and day instead of every task and screening of the city.

Each change is set-based: the changed tasks (or screening) are grouped by grid and day in
SQL and added to the kept rows by one `INSERT … SELECT … ON CONFLICT DO UPDATE` (PostgreSQL
and SQLite both have it). `live_counts` is the reference the kept counts must equal (the
tests compare them after a series of operations); `coverage_counts_rebuild` rewrites the
kept rows from it (command `grid_coverage_counts_rebuild`, after a load that bypassed the
services).

The enterprises screened at least once are kept per grid too (`GridEnterpriseCount`): an
enterprise's first screening (`FirstScreening`, written once) adds it to its grid, and a move
in the registry or a closure moves or takes it out (`screened_moved`, called by the grid's
registry watcher, `placement.registry_watch`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from yufang.enterprises.models import Enterprise
from yufang.grid.models import (
    EnterpriseClosure,
    FirstScreening,
    GridDayCount,
    GridEnterpriseCount,
    Screening,
    ScreeningFinding,
    ScreeningTask,
    TaskStatus,
)

FIELDS = ("due", "on_time", "open", "screenings", "far", "findings")
Key = tuple[int, dt.date]


def _local_day(path: str) -> Any:
    from yufang.grid.selectors.coverage import LocalDay

    return LocalDay(path)


def _on_time_q() -> Q:
    from yufang.grid.selectors.coverage import on_time_q

    return on_time_q()


def _task_groups(tasks: QuerySet[ScreeningTask]) -> QuerySet[Any]:
    return (
        tasks.exclude(status=TaskStatus.CANCELLED)
        .order_by()
        .values("grid_id", "due_on")
        .annotate(
            n_due=Count("pk"),
            n_on_time=Count("pk", filter=_on_time_q()),
            n_open=Count("pk", filter=Q(status=TaskStatus.OPEN)),
        )
        .values_list("grid_id", "due_on", "n_due", "n_on_time", "n_open")
    )


def _screening_groups(screenings: QuerySet[Screening]) -> QuerySet[Any]:
    return (
        screenings.order_by()
        .annotate(n_day=_local_day("done_at"))
        .values("grid_id", "n_day")
        .annotate(n=Count("pk"), n_far=Count("pk", filter=Q(far_from_enterprise=True)))
        .values_list("grid_id", "n_day", "n", "n_far")
    )


def _finding_groups(findings: QuerySet[ScreeningFinding]) -> QuerySet[Any]:
    return (
        findings.order_by()
        .annotate(n_grid=F("screening__grid_id"), n_day=_local_day("screening__done_at"))
        .values("n_grid", "n_day")
        .annotate(n=Count("pk"))
        .values_list("n_grid", "n_day", "n")
    )


# Identifiers only come from this module; the values are parameters.
_UPSERT = (
    "WITH s ({aliases}) AS ({select}) "
    "INSERT INTO {table} (grid_id, day, {fields}) "
    "SELECT s.g, s.d, {picks} FROM s WHERE 1 = 1 "
    "ON CONFLICT (grid_id, day) DO UPDATE SET {sums}"
)

_UPSERT_VALUES = (
    "INSERT INTO {table} (grid_id, day, {fields}) VALUES {values} "
    "ON CONFLICT (grid_id, day) DO UPDATE SET {sums}"
)


def _add(select: QuerySet[Any], columns: tuple[str, ...], signs: tuple[int, ...]) -> None:
    """Adds the grouped rows of `select` (grid, day, then one count per column of `columns`)
    to the kept counts, each count times its sign in `signs`, in one statement."""
    try:
        sql, params = select.query.sql_with_params()
    except EmptyResultSet:
        return
    table = connection.ops.quote_name(GridDayCount._meta.db_table)
    aliases = ", ".join(["g", "d", *(f"c{i}" for i in range(len(columns)))])
    # A CTE names the grouped query's columns the same way on both databases; `WHERE 1 = 1`
    # tells SQLite's parser that ON CONFLICT is not a join's ON.
    picks = ", ".join(f"%s * s.c{columns.index(f)}" if f in columns else "0" for f in FIELDS)
    statement = _UPSERT.format(
        aliases=aliases,
        select=sql,
        table=table,
        fields=", ".join(FIELDS),
        picks=picks,
        sums=", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns),
    )
    ordered = tuple(signs[columns.index(f)] for f in FIELDS if f in columns)
    with connection.cursor() as cursor:
        cursor.execute(statement, (*params, *ordered))


def tasks_counted(tasks: QuerySet[ScreeningTask], sign: int = 1) -> None:
    """Adds the tasks of `tasks` to the counts of their grid and due day (or, `sign` -1,
    takes them away: before they are cancelled or moved)."""
    _add(_task_groups(tasks), ("due", "on_time", "open"), (sign, sign, sign))


def new_tasks_counted(tasks: QuerySet[ScreeningTask]) -> None:
    """Adds tasks just generated: open, none screened, so without the join to the screenings
    that `on_time` needs (half a million tasks at a province's generation)."""
    _add(
        tasks.order_by()
        .values("grid_id", "due_on")
        .annotate(n_due=Count("pk"), n_open=Count("pk", filter=Q(status=TaskStatus.OPEN)))
        .values_list("grid_id", "due_on", "n_due", "n_open"),
        ("due", "open"),
        (1, 1),
    )


def screening_counted(screening: Screening) -> None:
    """A screening just recorded: its task, counted open until now, is done (on time or not)
    on its due day, and the screening counts on its own local day. One statement, from the
    records in hand: each screening of a phone's sync pays for it."""
    changes: dict[Key, dict[str, int]] = {}

    def change(key: Key) -> dict[str, int]:
        return changes.setdefault(key, dict.fromkeys(FIELDS, 0))

    day = timezone.localtime(screening.done_at).date()
    task = screening.task
    if task is not None:
        counted = change((task.grid_id, task.due_on))
        counted["open"] -= 1
        # As `on_time_q`: done by the end of the due day, local time.
        counted["on_time"] += int(day <= task.due_on)
    counted = change((screening.grid_id, day))
    counted["screenings"] += 1
    counted["far"] += int(screening.far_from_enterprise)
    rows = [(grid, d, *(c[f] for f in FIELDS)) for (grid, d), c in changes.items()]
    table = connection.ops.quote_name(GridDayCount._meta.db_table)
    statement = _UPSERT_VALUES.format(
        table=table,
        fields=", ".join(FIELDS),
        values=", ".join(["(" + ", ".join(["%s"] * (2 + len(FIELDS))) + ")"] * len(rows)),
        sums=", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in FIELDS),
    )
    ops = connection.ops
    params: list[Any] = [
        ops.adapt_datefield_value(v) if isinstance(v, dt.date) else v for r in rows for v in r
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def finding_counted(finding: ScreeningFinding) -> None:
    _add(_finding_groups(ScreeningFinding.objects.filter(pk=finding.pk)), ("findings",), (1,))


def live_counts(grid_ids: Any = None) -> dict[Key, dict[str, int]]:
    """The counts aggregated from the records themselves (the reference), by grid and day,
    without the days where every count is 0."""
    tasks = ScreeningTask.objects.all()
    screenings = Screening.objects.all()
    findings = ScreeningFinding.objects.all()
    if grid_ids is not None:
        tasks = tasks.filter(grid_id__in=grid_ids)
        screenings = screenings.filter(grid_id__in=grid_ids)
        findings = findings.filter(screening__grid_id__in=grid_ids)
    out: dict[Key, dict[str, int]] = {}

    def row(key: Key) -> dict[str, int]:
        return out.setdefault(key, dict.fromkeys(FIELDS, 0))

    for grid, day, due, on_time, open_ in _task_groups(tasks):
        row((grid, day)).update(due=due, on_time=on_time, open=open_)
    for grid, day, n, far in _screening_groups(screenings):
        row((grid, day)).update(screenings=n, far=far)
    for grid, day, n in _finding_groups(findings):
        row((grid, day))["findings"] = n
    return out


def kept_counts(grid_ids: Any = None) -> dict[Key, dict[str, int]]:
    qs = GridDayCount.objects.all()
    if grid_ids is not None:
        qs = qs.filter(grid_id__in=grid_ids)
    out: dict[Key, dict[str, int]] = {}
    for r in qs.values("grid_id", "day", *FIELDS):
        counts = {f: r[f] for f in FIELDS}
        if any(counts.values()):
            out[(r["grid_id"], r["day"])] = counts
    return out


def _day_counts_rebuild() -> None:
    GridDayCount.objects.all().delete()
    tasks_counted(ScreeningTask.objects.all())
    _add(_screening_groups(Screening.objects.all()), ("screenings", "far"), (1, 1))
    _add(_finding_groups(ScreeningFinding.objects.all()), ("findings",), (1,))


@transaction.atomic
def day_counts_rebuild() -> int:
    """Rewrites the counts kept per grid and day; returns how many grid-days were kept."""
    _day_counts_rebuild()
    return GridDayCount.objects.count()


# Enterprises screened at least once, per grid ------------------------------------------------

CHUNK = 5000


def enterprise_grids(enterprise_ids: list[int]) -> dict[int, tuple[int | None, bool]]:
    """enterprise → (its grid, whether `GridEnterpriseCount.screened` counts it there: in a
    grid, not closed, screened at least once), for the enterprises of `enterprise_ids`."""
    out: dict[int, tuple[int | None, bool]] = {}
    counted = ExpressionWrapper(
        Q(grid__isnull=False, grid_first_screening__isnull=False, grid_closure__isnull=True),
        output_field=BooleanField(),
    )
    for i in range(0, len(enterprise_ids), CHUNK):
        rows = (
            Enterprise.objects.filter(pk__in=enterprise_ids[i : i + CHUNK])
            .annotate(counted=counted)
            .values_list("pk", "grid_id", "counted")
        )
        out.update((pk, (grid, bool(c))) for pk, grid, c in rows)
    return out


def _screened_add(changes: Counter[int]) -> None:
    rows = [(grid, n) for grid, n in changes.items() if n]
    if not rows:
        return
    table = connection.ops.quote_name(GridEnterpriseCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (grid_id, screened) VALUES "  # noqa: S608 - names are ours
            + ", ".join(["(%s, %s)"] * len(rows))
            + f" ON CONFLICT (grid_id) DO UPDATE SET screened = {table}.screened"
            " + excluded.screened",
            [v for row in rows for v in row],
        )


def screened_moved(
    before: dict[int, tuple[int | None, bool]], after: dict[int, tuple[int | None, bool]]
) -> None:
    """Moves the enterprises screened between the grids' counts, from where `before` counted
    them to where `after` does (`enterprise_grids` read before and after a change)."""
    changes: Counter[int] = Counter()
    for enterprise, (grid, counted) in before.items():
        if counted and grid is not None and after.get(enterprise) != (grid, True):
            changes[grid] -= 1
    for enterprise, (grid, counted) in after.items():
        if counted and grid is not None and before.get(enterprise) != (grid, True):
            changes[grid] += 1
    _screened_add(changes)


def first_screening_counted(screening: Screening, enterprise: Enterprise) -> None:
    """Called with every screening recorded: the first of its enterprise is written as such
    and adds the enterprise to its grid's screened count. The enterprise is the key of
    `FirstScreening`, so of two first screenings at once only one counts."""
    table = connection.ops.quote_name(FirstScreening._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (enterprise_id, screening_id) VALUES (%s, %s) "  # noqa: S608
            "ON CONFLICT (enterprise_id) DO NOTHING",
            [enterprise.pk, screening.pk],
        )
        first = cursor.rowcount == 1
    if first and enterprise.grid_id is not None:
        _screened_add(Counter({enterprise.grid_id: 1}))


def live_screened_counts(grid_ids: Any = None) -> dict[int, int]:
    """Per grid, its enterprises (not closed) with a screening, from the records themselves:
    the reference `GridEnterpriseCount` must equal (grids with none left out)."""
    qs = Enterprise.objects.filter(grid__isnull=False, grid_closure__isnull=True).filter(
        Exists(Screening.objects.filter(enterprise=OuterRef("pk")))
    )
    if grid_ids is not None:
        qs = qs.filter(grid_id__in=grid_ids)
    return dict(qs.order_by().values("grid_id").annotate(n=Count("pk")).values_list("grid_id", "n"))


def kept_screened_counts(grid_ids: Any = None) -> dict[int, int]:
    qs = GridEnterpriseCount.objects.exclude(screened=0)
    if grid_ids is not None:
        qs = qs.filter(grid_id__in=grid_ids)
    return dict(qs.values_list("grid_id", "screened"))


@transaction.atomic
def screened_counts_rebuild() -> int:
    """Rewrites the first screenings and the screened counts from the screenings; returns
    how many grids have enterprises screened."""
    first = connection.ops.quote_name(FirstScreening._meta.db_table)
    counts = connection.ops.quote_name(GridEnterpriseCount._meta.db_table)
    screening = connection.ops.quote_name(Screening._meta.db_table)
    enterprise = connection.ops.quote_name(Enterprise._meta.db_table)
    closure = connection.ops.quote_name(EnterpriseClosure._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {counts}")  # noqa: S608 - names are ours
        cursor.execute(f"DELETE FROM {first}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {first} (enterprise_id, screening_id) "  # noqa: S608
            f"SELECT enterprise_id, MIN(id) FROM {screening} GROUP BY enterprise_id"
        )
        cursor.execute(
            f"INSERT INTO {counts} (grid_id, screened) "  # noqa: S608
            f"SELECT e.grid_id, COUNT(*) FROM {first} f "
            f"JOIN {enterprise} e ON e.id = f.enterprise_id "
            f"LEFT JOIN {closure} c ON c.enterprise_id = e.id "
            "WHERE e.grid_id IS NOT NULL AND c.enterprise_id IS NULL GROUP BY e.grid_id"
        )
    return GridEnterpriseCount.objects.count()


@transaction.atomic
def coverage_counts_rebuild() -> int:
    """Rewrites every kept count from the records (per grid and day, and the enterprises
    screened per grid); returns how many grid-days were kept."""
    _day_counts_rebuild()
    screened_counts_rebuild()
    return GridDayCount.objects.count()
