"""Helpers for jobs that handle a whole file at once."""

from __future__ import annotations

import gc
import io
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from typing import Any, Protocol

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for the block.

    A province's case file makes millions of small tuples and lists, none in a cycle:
    reference counting frees them all the same, while the collector would walk every live
    object again and again as they pile up (a fifth of an import's time, measured).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Rows as the database takes them, or (PostgreSQL) already in COPY's binary format
# (`copy_data`).
Rows = Sequence[tuple[Any, ...]] | bytes


class RowsWriter(Protocol):
    def __call__(self, cursor: Any, rows: Rows) -> None: ...


def copy_data(model: type[Model], columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> bytes:
    """Rows in PostgreSQL's binary COPY format, typed as the model's columns (the values
    as the columns' Python types: dates, Decimals, booleans).

    Made in this thread, so that a writer in another only sends them: formatting holds
    Python's lock, sending does not. Binary, because the text format costs Python two to
    three times as much to make, for the same work on the server.
    """
    import psycopg

    types = [
        model._meta.get_field(column).db_type(connection).split("(")[0]  # type: ignore[union-attr]
        for column in columns
    ]
    buffer = io.BytesIO()
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        with psycopg.Copy(cursor, binary=True, writer=psycopg.copy.FileWriter(buffer)) as copy:
            copy.set_types(types)
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()
    return buffer.getvalue()


def rows_writer(table: str, columns: Sequence[str], *, suffix: str = "") -> RowsWriter:
    """How to add rows (values as the database takes them) to a table through a driver
    cursor of this connection: COPY on PostgreSQL, one executemany on SQLite; a model
    instance per row costs more than the database's work.

    Built in the connection's thread, the writer may run in another: Django's cursors
    belong to the thread that opened them, the driver's do not. `suffix` ends SQLite's
    INSERT (an ON CONFLICT clause); PostgreSQL's COPY takes none.
    """
    q = connection.ops.quote_name
    names = ", ".join(q(column) for column in columns)
    if connection.vendor == "postgresql":
        if suffix:
            raise ValueError("COPY takes no ON CONFLICT clause")
        copy_sql = f"COPY {table} ({names}) FROM STDIN"

        def copy_rows(cursor: Any, rows: Rows) -> None:
            if isinstance(rows, bytes):
                with cursor.copy(copy_sql + " (FORMAT BINARY)") as copy:
                    copy.write(rows)
                return
            with cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)

        return copy_rows
    insert_sql = (
        f"INSERT INTO {table} ({names}) VALUES ({', '.join(['?'] * len(columns))}) {suffix}"  # noqa: S608
    )

    def insert_rows(cursor: Any, rows: Rows) -> None:
        cursor.executemany(insert_sql, rows)

    return insert_rows


def rows_insert(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Add rows to a table now, in this thread (`rows_writer`)."""
    steps_run([(partial(rows_writer(table, columns), rows=rows), (), None)])


# A step of work for the database: SQL and its parameters, or a function of a driver cursor;
# and the number of rows done when it finishes, if it is worth reporting.
DatabaseStep = tuple[str | Callable[[Any], None], Sequence[Any], int | None]


def _steps_run(
    db: BaseDatabaseWrapper,
    steps: Sequence[DatabaseStep],
    progress: Callable[[int], None] | None = None,
) -> None:
    """Run steps through a driver cursor of `db`, in its transaction, in whatever thread
    calls (Django's cursors and connection objects belong to their thread, the driver's
    connection does not)."""
    placeholder = "?" if db.vendor == "sqlite" else "%s"
    with db.wrap_database_errors:
        cursor = db.connection.cursor()
        try:
            for step, params, done in steps:
                if callable(step):
                    step(cursor)
                else:
                    cursor.execute(step.replace("%s", placeholder), params)
                if done is not None and progress is not None:
                    progress(done)
        finally:
            cursor.close()


def steps_run(steps: Sequence[DatabaseStep]) -> None:
    """Run database steps now, in this thread."""
    connection.ensure_connection()
    _steps_run(connections[DEFAULT_DB_ALIAS], steps)


def while_database_runs(
    steps: Sequence[DatabaseStep],
    work: Callable[[], Any],
    progress: Callable[[int], None] | None = None,
    meanwhile: Callable[[], bool] | None = None,
) -> Any:
    """Run database steps from a second thread while `work` (pure Python) runs here, and
    return what `work` returns. Each statement runs inside the database driver, which lets
    go of Python's interpreter lock, so a job over a whole file uses both of a machine's
    cores.

    The steps' numbers, when given, are reported to `progress` as they finish. When `work`
    is done before the database, `meanwhile` is called again and again until the database
    is done too or it returns False: a small piece of work that would otherwise wait for
    later, done while this thread would wait.
    """
    connection.ensure_connection()
    db = connections[DEFAULT_DB_ALIAS]
    failed: list[BaseException] = []

    def execute() -> None:
        try:
            _steps_run(db, steps, progress)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
            failed.append(exc)

    worker = threading.Thread(target=execute, name="database-beside")
    worker.start()
    try:
        result = work()
        if meanwhile is not None:
            while worker.is_alive() and meanwhile():
                pass
    finally:
        worker.join()
    if failed:
        raise failed[0]
    return result
