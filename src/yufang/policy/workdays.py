"""Time limits in calendar days or working days.

The national texts count "日", calendar days; some local rules count working days (工作日),
such as Shanghai's 10 working days to deliver a recognition decision. The dated parameter
`limit_day_counting` says which limit counts working days where, and how many; everything
else counts the limit's own parameter in calendar days.

A working day is Monday to Friday unless the calendar (`models.CalendarDay`) records it as
a public holiday, and a Saturday or Sunday the calendar records as a make-up working day
(调休). The day a limit starts from is not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from yufang import policy

CALENDAR = "calendar"
WORKING = "working"
PROVINCE_WIDE = "*"
SATURDAY = 5
# How much of the calendar a working-day limit reads: n working days never span more than
# twice n calendar days plus the longest holiday (Spring Festival's week and its weekends).
_WINDOW_EXTRA_DAYS = 40


@dataclass(frozen=True)
class LimitRule:
    days: int
    counting: str  # CALENDAR or WORKING


def is_working_day(day: dt.date, *, rest_days: set[dt.date], working_days: set[dt.date]) -> bool:
    if day in working_days:
        return True
    if day in rest_days:
        return False
    return day.weekday() < SATURDAY


def add_working_days(
    start: dt.date, days: int, *, rest_days: set[dt.date], working_days: set[dt.date]
) -> dt.date:
    """The `days`-th working day after `start`."""
    day = start
    counted = 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, rest_days=rest_days, working_days=working_days):
            counted += 1
    return day


def limit_rule(name: str, *, on: dt.date, regions: Sequence[str] = ()) -> LimitRule:
    """How a limit counts in the most specific of `regions` (codes, county first) that has a
    rule of its own, or province-wide, or else in calendar days by its own parameter."""
    overrides = (policy.value("limit_day_counting", on=on) or {}).get(name) or {}
    for code in [*regions, PROVINCE_WIDE]:
        if code in overrides:
            return LimitRule(days=int(overrides[code]), counting=WORKING)
    return LimitRule(days=int(policy.value(name, on=on)), counting=CALENDAR)


def regional_rule_names(*, on: dt.date) -> list[str]:
    """The limits some region counts in working days on a date."""
    return [n for n, rules in (policy.value("limit_day_counting", on=on) or {}).items() if rules]


def has_regional_rule(name: str, *, on: dt.date) -> bool:
    return name in regional_rule_names(on=on)


def calendar_exceptions(start: dt.date, end: dt.date) -> tuple[set[dt.date], set[dt.date]]:
    """The recorded rest days and make-up working days between two dates (inclusive)."""
    from yufang.policy.models import CalendarDay, DayKind

    rest: set[dt.date] = set()
    work: set[dt.date] = set()
    for day, kind in CalendarDay.objects.filter(day__range=(start, end)).values_list("day", "kind"):
        (work if kind == DayKind.WORKING_DAY else rest).add(day)
    return rest, work


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start`, by the recorded calendar."""
    rest, work = calendar_exceptions(
        start, start + dt.timedelta(days=2 * days + _WINDOW_EXTRA_DAYS)
    )
    return add_working_days(start, days, rest_days=rest, working_days=work)


def due_date(name: str, start: dt.date, *, regions: Iterable[str] = ()) -> dt.date:
    """The last day of the limit `name` counted from `start` in the given regions."""
    rule = limit_rule(name, on=start, regions=tuple(regions))
    if rule.counting == WORKING:
        return working_days_after(start, rule.days)
    return start + dt.timedelta(days=rule.days)
