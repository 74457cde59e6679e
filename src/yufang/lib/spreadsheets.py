"""Reading and writing the spreadsheets people actually send: CSV (UTF-8 or GBK) and XLSX.

The file's content decides its type, never its extension.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from openpyxl import Workbook, load_workbook

XLSX_MAGIC = b"PK\x03\x04"
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class SpreadsheetError(ValueError):
    """The file cannot be read as a table; the message says why, for the user."""


@dataclass
class Table:
    headers: list[str]
    # (row number as the user sees it in their spreadsheet, cells by header)
    rows: list[tuple[int, dict[str, str]]]
    encoding: str = ""


@dataclass(frozen=True)
class SheetLimits:
    """How big a table may be: data rows (not counting blank ones), columns, characters in
    a cell. A file over a limit is refused while it is read, at the row that passes it."""

    rows: int
    columns: int = 100
    cell: int = 1000


def sniff_kind(data: bytes) -> str:
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if b"\x00" in data[:4096]:
        return "binary"
    return "csv"


def read_table(
    data: bytes,
    *,
    max_rows: int | None = None,
    limits: SheetLimits | None = None,
    progress: Callable[[int], None] | None = None,
) -> Table:
    """Parse CSV or XLSX bytes into a header row and the non-empty rows after it; a file
    over `limits` is refused as soon as the reading passes one. `progress` is told the rows
    read every 10,000 rows."""
    if limits is None and max_rows is not None:
        limits = SheetLimits(rows=max_rows, columns=10_000, cell=1_000_000)
    encoding, headers, raw_rows, close = _open(data, limits)
    width = len(headers)
    blank = [""] * width
    try:
        # A short row reads blank in the columns it lacks.
        rows = [
            (
                number,
                dict(
                    zip(
                        headers,
                        cells if len(cells) >= width else cells + blank[len(cells) :],
                        strict=False,
                    )
                ),
            )
            for number, cells in _reported(
                _checked(headers, raw_rows, limits, text_cells=encoding != ""), progress
            )
        ]
    finally:
        close()
    return Table(headers=headers, rows=rows, encoding=encoding)


def _reported(
    rows: Iterator[tuple[int, list[str]]], progress: Callable[[int], None] | None
) -> Iterator[tuple[int, list[str]]]:
    if progress is None:
        return rows

    def counted() -> Iterator[tuple[int, list[str]]]:
        for count, row in enumerate(rows, start=1):
            if count % 10_000 == 0:
                progress(count)
            yield row

    return counted()


def table_shape(data: bytes, limits: SheetLimits) -> tuple[int, list[str]]:
    """(data rows, headers) of a file, counted without building the table: the cheap check
    of the limits before a file is taken in."""
    _encoding, headers, raw_rows, close = _open(data, limits)
    try:
        count = sum(1 for _ in _checked(headers, raw_rows, limits, text_cells=_encoding != ""))
    finally:
        close()
    return count, headers


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _too_many_columns(count: int, limit: int, row: int) -> SpreadsheetError:
    from django.utils.translation import gettext as _

    return SpreadsheetError(
        _("Row %(row)s has %(count)s columns; at most %(max)s columns are allowed.")
        % {"row": row, "count": count, "max": limit}
    )


def _checked(
    headers: list[str],
    raw_rows: Iterable[tuple[int, Sequence[Any]]],
    limits: SheetLimits | None,
    *,
    text_cells: bool = False,
) -> Iterator[tuple[int, list[str]]]:
    """The non-empty rows as cleaned cells, each held to the limits."""
    from django.utils.translation import gettext as _

    max_rows = limits.rows if limits else None
    max_columns = limits.columns if limits else None
    max_cell = limits.cell if limits else None
    count = 0
    for number, raw in raw_rows:
        if max_columns is not None and len(raw) > max_columns:
            # Trailing blank cells (a spreadsheet's formatting) are not columns.
            raw = list(raw)
            while len(raw) > max_columns and _clean(raw[-1]) == "":
                raw.pop()
            if len(raw) > max_columns:
                raise _too_many_columns(len(raw), max_columns, number)
        # A CSV's cells are text already: only stripped (the common case, made quick).
        cells = list(map(str.strip, raw)) if text_cells else [_clean(v) for v in raw]
        if not any(cells):
            continue
        count += 1
        if max_rows is not None and count > max_rows:
            raise SpreadsheetError(
                _(
                    "The file has more than %(max)s rows of data (row %(row)s is past the "
                    "limit); at most %(max)s rows are allowed for this kind of import."
                )
                % {"max": max_rows, "row": number}
            )
        if max_cell is not None and max(map(len, cells)) > max_cell:
            index = next(i for i, c in enumerate(cells) if len(c) > max_cell)
            raise SpreadsheetError(
                _(
                    "Row %(row)s, column “%(column)s”: the cell has %(count)s characters; at "
                    "most %(max)s are allowed."
                )
                % {
                    "row": number,
                    "column": headers[index] if index < len(headers) else index + 1,
                    "count": len(cells[index]),
                    "max": max_cell,
                }
            )
        yield number, cells


def _check_headers(headers: list[str], limits: SheetLimits | None) -> list[str]:
    from django.utils.translation import gettext as _

    while headers and not headers[-1]:
        headers.pop()
    if limits is not None:
        if len(headers) > limits.columns:
            raise SpreadsheetError(
                _(
                    "The first row has more than %(max)s columns; at most %(max)s columns are "
                    "allowed for this kind of import."
                )
                % {"max": limits.columns}
            )
        for i, h in enumerate(headers):
            if len(h) > limits.cell:
                raise SpreadsheetError(
                    _(
                        "Row 1, column %(column)s: the header has %(count)s characters; at "
                        "most %(max)s are allowed."
                    )
                    % {"column": i + 1, "count": len(h), "max": limits.cell}
                )
    if not headers:
        raise SpreadsheetError(_("The first row must hold the column names."))
    return headers


def _open(
    data: bytes, limits: SheetLimits | None
) -> tuple[str, list[str], Iterator[tuple[int, Sequence[Any]]], Any]:
    """(encoding, headers, the rows after the header with their numbers, a closer)."""
    from django.utils.translation import gettext as _

    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    kind = sniff_kind(data)
    if kind == "xlsx":
        return _open_xlsx(data, limits)
    if kind == "csv":
        return _open_csv(data, limits)
    raise SpreadsheetError(_("The file is neither CSV nor XLSX (its content was checked)."))


def _open_csv(
    data: bytes, limits: SheetLimits | None
) -> tuple[str, list[str], Iterator[tuple[int, Sequence[Any]]], Any]:
    from django.utils.translation import gettext as _

    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SpreadsheetError(_("The CSV file is neither UTF-8 nor GBK encoded."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        headers = _check_headers([_clean(h) for h in next(reader)], limits)
    except StopIteration as exc:
        raise SpreadsheetError(_("The file is empty.")) from exc
    except csv.Error as exc:
        raise SpreadsheetError(
            _("The CSV file cannot be read (a cell too long, or a quotation mark left open).")
        ) from exc

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            yield from enumerate(reader, start=2)
        except csv.Error as exc:
            raise SpreadsheetError(
                _("The CSV file cannot be read (a cell too long, or a quotation mark left open).")
            ) from exc

    return ("utf-8" if encoding == "utf-8-sig" else "gbk"), headers, rows(), lambda: None


def _open_xlsx(
    data: bytes, limits: SheetLimits | None
) -> tuple[str, list[str], Iterator[tuple[int, Sequence[Any]]], Any]:
    from django.utils.translation import gettext as _

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(_("The XLSX file is damaged or not a workbook.")) from exc
    sheet = workbook.worksheets[0]
    # Read-only: the rows are read from the file one by one, and never past the columns
    # allowed (one more, to tell that there are too many).
    values = sheet.iter_rows(
        values_only=True, max_col=limits.columns + 1 if limits is not None else None
    )
    try:
        headers = _check_headers([_clean(h) for h in next(values)], limits)
    except StopIteration as exc:
        workbook.close()
        raise SpreadsheetError(_("The file is empty.")) from exc
    except SpreadsheetError:
        workbook.close()
        raise
    return "", headers, enumerate(values, start=2), workbook.close


def _excel_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, int | float | str | dt.date):
        return value
    return str(value)


def write_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "data"
) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([_excel_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    # The BOM makes Excel on Chinese Windows open UTF-8 correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
