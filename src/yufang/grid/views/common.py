"""What the grid pages share: reading the coverage window and the area, reporting a
service's refusal on the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.grid.selectors.coverage import Window
from yufang.lib.errors import InvalidInput

WINDOW_DAYS = (30, 90, 365)


def window_of(request: HttpRequest) -> tuple[Window, int]:
    """The window from `from`/`to` (both dates) or `days` (30, 90 or 365; default 90)."""
    today = timezone.localdate()
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    if start and end and start <= end and (end - start).days <= 3660:
        return Window(start, end), (end - start).days + 1
    raw = request.GET.get("days", "")
    days = int(raw) if raw.isdigit() and int(raw) in WINDOW_DAYS else 90
    return Window.last_days(today, days), days


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((raw or "").strip()[:10])
    except ValueError:
        return None


def int_or_none(raw: Any) -> int | None:
    raw = str(raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 12 else None


def field_labels() -> dict[str, str]:
    return {
        "worker": _("Grid worker"),
        "grid_role": _("Grid role"),
        "task_ids": _("Tasks"),
        "ended_on": _("Ended on"),
        "grid": _("Grid"),
        "enterprise": _("Enterprise"),
        "items": _("Prevention items"),
        "name": _("Name"),
        "target": _("Enterprises"),
        "industry_codes": _("Industries"),
        "starts_on": _("Starts on"),
        "ends_on": _("Ends on"),
        "county": _("County"),
        "method": _("Placed"),
        "valid_from": _("In force from"),
        "reason": _("Reason"),
    }


def report(request: HttpRequest, error: InvalidInput) -> None:
    labels = field_labels()
    for name, message in error.errors.items():
        label = labels.get(name, "")
        messages.error(request, f"{label}: {message}" if label else str(message))
