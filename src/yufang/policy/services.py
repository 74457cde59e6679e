"""Writes of the working-day calendar: a day recorded or removed one at a time, or a year's
days from a spreadsheet (the whole file checked before anything is written). Each day keeps
who recorded it and when, and each change is in the audit log.

Who may keep or read the calendar is a scope rule (`accounts/scoping/policy.py`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yufang.accounts.scoping.policy import require_calendar_keeper
from yufang.audit.services import audit_create, audit_create_many, audit_delete
from yufang.lib.errors import InvalidInput
from yufang.lib.spreadsheets import SheetLimits, SpreadsheetError, read_table
from yufang.policy.models import CalendarDay, DayKind
from yufang.policy.workdays import SATURDAY
from yufang.support.bounds import FIRST_YEAR, LAST_YEAR

NAME_MAX = 60
# A year has about thirty such days; a file of more is not a holiday notice.
IMPORT_LIMITS = SheetLimits(rows=400, columns=10, cell=200)


KIND_WORDS = {
    DayKind.REST_DAY: ("rest_day", "休息日", "放假", "节假日", "假日", "rest day", "holiday"),
    DayKind.WORKING_DAY: ("working_day", "调休上班", "上班", "补班", "工作日", "working day"),
}
HEADERS = {
    "day": ("date", "day", "日期"),
    "kind": ("kind", "类别", "类型"),
    "name": ("name", "名称", "节日"),
}


class CalendarInvalid(InvalidInput):
    """A calendar day that cannot be recorded."""


def kind_of(raw: str) -> str | None:
    word = (raw or "").strip().lower()
    for kind, words in KIND_WORDS.items():
        if word in words:
            return str(kind)
    return None


def _errors(day: dt.date | None, kind: str, name: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if day is None:
        errors["day"] = _("Enter a date as YYYY-MM-DD.")
    elif not FIRST_YEAR <= day.year <= LAST_YEAR:
        errors["day"] = _("The year lies outside %(first)s–%(last)s.") % {
            "first": FIRST_YEAR,
            "last": LAST_YEAR,
        }
    if kind not in DayKind.values:
        errors["kind"] = _("Choose a public holiday or a make-up working day.")
    elif day is not None and "day" not in errors and kind == DayKind.WORKING_DAY:
        if day.weekday() < SATURDAY:
            errors["day"] = _("%(date)s is a weekday, a working day already.") % {
                "date": day.isoformat()
            }
    if len((name or "").strip()) > NAME_MAX:
        errors["name"] = _("This text is longer than %(n)s characters.") % {"n": NAME_MAX}
    if day is not None and "day" not in errors and CalendarDay.objects.filter(day=day).exists():
        errors["day"] = _("%(date)s is already in the calendar.") % {"date": day.isoformat()}
    return errors


def calendar_day_add(*, actor: Any, day: dt.date | None, kind: str, name: str = "") -> CalendarDay:
    require_calendar_keeper(actor)
    errors = _errors(day, kind, name)
    if errors:
        raise CalendarInvalid(errors)
    assert day is not None  # noqa: S101 - checked in _errors
    with transaction.atomic():
        recorded = CalendarDay.objects.create(
            day=day, kind=kind, name=(name or "").strip(), recorded_by=actor
        )
        audit_create(actor, recorded)
    return recorded


def calendar_day_remove(*, actor: Any, day: CalendarDay) -> None:
    require_calendar_keeper(actor)
    with transaction.atomic():
        audit_delete(actor, day)
        day.delete()


def _column(headers: list[str], field: str) -> str | None:
    for h in headers:
        if h.strip().lower() in HEADERS[field]:
            return h
    return None


def calendar_import(*, actor: Any, data: bytes) -> list[CalendarDay]:
    """Records the days of a CSV or XLSX file with the columns 日期 (date), 类别 (kind: 放假 or
    调休上班) and 名称 (name). Any bad row refuses the whole file, each error naming its row."""
    require_calendar_keeper(actor)
    try:
        table = read_table(data, limits=IMPORT_LIMITS)
    except SpreadsheetError as exc:
        raise CalendarInvalid(str(exc), "file") from exc
    day_col, kind_col, name_col = (_column(table.headers, f) for f in ("day", "kind", "name"))
    if day_col is None or kind_col is None:
        raise CalendarInvalid(
            _("The file needs the columns 日期 (date) and 类别 (kind); 名称 (name) is optional."),
            "file",
        )
    if not table.rows:
        raise CalendarInvalid(_("The file has no rows."), "file")
    errors: dict[str, str] = {}
    wanted: list[tuple[dt.date, str, str]] = []
    seen: set[dt.date] = set()
    for number, cells in table.rows:
        raw_day = cells.get(day_col, "").strip()
        try:
            day: dt.date | None = dt.date.fromisoformat(raw_day[:10].replace("/", "-"))
        except ValueError:
            day = None
        kind = kind_of(cells.get(kind_col, "")) or ""
        name = cells.get(name_col, "") if name_col else ""
        row_errors = _errors(day, kind, name)
        if day is not None and day in seen:
            row_errors["day"] = _("%(date)s is listed twice.") % {"date": day.isoformat()}
        if row_errors:
            errors[f"row_{number}"] = _("Row %(n)s: %(problems)s") % {
                "n": number,
                "problems": "；".join(row_errors.values()),
            }
            continue
        assert day is not None  # noqa: S101 - checked in _errors
        seen.add(day)
        wanted.append((day, kind, name.strip()))
    if errors:
        raise CalendarInvalid(errors)
    with transaction.atomic():
        recorded = [
            CalendarDay.objects.create(day=d, kind=k, name=n, recorded_by=actor)
            for d, k, n in wanted
        ]
        audit_create_many(actor, recorded)
    return recorded
