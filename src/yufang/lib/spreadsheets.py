"""Reading and writing the spreadsheets people actually send: CSV (UTF-8 or GBK) and XLSX.

The file's content decides its type, never its extension.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterable, Sequence
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


def sniff_kind(data: bytes) -> str:
    if data.startswith(XLSX_MAGIC):
        return "xlsx"
    if b"\x00" in data[:4096]:
        return "binary"
    return "csv"


def read_table(data: bytes, *, max_rows: int | None = None) -> Table:
    """Parse CSV or XLSX bytes into a header row and the non-empty rows after it."""
    from django.utils.translation import gettext as _

    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    kind = sniff_kind(data)
    if kind == "xlsx":
        table = _read_xlsx(data)
    elif kind == "csv":
        table = _read_csv(data)
    else:
        raise SpreadsheetError(_("The file is neither CSV nor XLSX (its content was checked)."))
    if not table.headers or not any(table.headers):
        raise SpreadsheetError(_("The first row must hold the column names."))
    if max_rows is not None and len(table.rows) > max_rows:
        raise SpreadsheetError(
            _("The file has %(rows)s rows; at most %(max)s are allowed.")
            % {"rows": len(table.rows), "max": max_rows}
        )
    return table


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


def _rows_from(headers: list[str], raw_rows: Iterable[tuple[int, Sequence[Any]]]) -> Table:
    rows = []
    for number, raw in raw_rows:
        cells = [_clean(v) for v in raw]
        if not any(cells):
            continue
        rows.append(
            (number, {h: (cells[i] if i < len(cells) else "") for i, h in enumerate(headers)})
        )
    return Table(headers=headers, rows=rows)


def _read_csv(data: bytes) -> Table:
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
        headers = [_clean(h) for h in next(reader)]
    except StopIteration as exc:
        raise SpreadsheetError(_("The file is empty.")) from exc
    table = _rows_from(headers, ((i, row) for i, row in enumerate(reader, start=2)))
    table.encoding = "utf-8" if encoding == "utf-8-sig" else "gbk"
    return table


def _read_xlsx(data: bytes) -> Table:
    from django.utils.translation import gettext as _

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(_("The XLSX file is damaged or not a workbook.")) from exc
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        headers = [_clean(h) for h in next(values)]
    except StopIteration as exc:
        raise SpreadsheetError(_("The file is empty.")) from exc
    while headers and not headers[-1]:
        headers.pop()
    table = _rows_from(headers, ((i, row) for i, row in enumerate(values, start=2)))
    workbook.close()
    return table


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
