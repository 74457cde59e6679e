"""Small helpers shared by HTML views: file downloads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone

from yufang.lib.spreadsheets import write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_response(
    name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, kind: str = "xlsx"
) -> HttpResponse:
    """An XLSX (default) or CSV download named `<name>-<date>`; Chinese names survive."""
    stamp = timezone.localdate().isoformat()
    if kind == "csv":
        body, content_type, ext = write_csv(headers, rows), "text/csv; charset=utf-8", "csv"
    else:
        body, content_type, ext = write_xlsx(headers, rows, title=name), XLSX, "xlsx"
    response = HttpResponse(body, content_type=content_type)
    filename = f"{name}-{stamp}.{ext}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
