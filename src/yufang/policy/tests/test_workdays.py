"""Counting a limit in working days: weekends rest, the recorded public holidays rest, a
recorded make-up Saturday works; the day the limit starts from is not counted. The dates are
the tests' own, not any year's official holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from yufang.policy import workdays
from yufang.policy.tests.overrides import set_parameter

MON = dt.date(2030, 9, 30)
HOLIDAY = {MON + dt.timedelta(days=n) for n in range(1, 8)}  # Tue 1 – Mon 7 October
MAKE_UP_SATURDAY = dt.date(2030, 10, 12)


def test_a_plain_week_skips_the_weekend() -> None:
    assert workdays.add_working_days(MON, 5, rest_days=set(), working_days=set()) == dt.date(
        2030, 10, 7
    )


def test_ten_working_days_across_a_holiday_and_a_make_up_saturday() -> None:
    due = workdays.add_working_days(MON, 10, rest_days=HOLIDAY, working_days={MAKE_UP_SATURDAY})
    # 8, 9, 10, 11 October, Saturday 12 (make-up), then 14 to 18.
    assert due == dt.date(2030, 10, 18)
    without_make_up = workdays.add_working_days(MON, 10, rest_days=HOLIDAY, working_days=set())
    assert without_make_up == dt.date(2030, 10, 21)


def test_limits_count_calendar_days_unless_a_region_counts_working_days(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    on = dt.date(2030, 1, 1)
    plain = workdays.limit_rule("decision_letter_delivery_days", on=on, regions=("370211",))
    assert plain == workdays.LimitRule(days=20, counting=workdays.CALENDAR)
    set_parameter(
        monkeypatch,
        "limit_day_counting",
        {"decision_letter_delivery_days": {"370211": 10, "370200": 12, "*": 15}},
        since=on,
    )
    rule = workdays.limit_rule
    assert rule("decision_letter_delivery_days", on=on, regions=("370211", "370200")).days == 10
    assert rule("decision_letter_delivery_days", on=on, regions=("370212", "370200")).days == 12
    assert rule("decision_letter_delivery_days", on=on, regions=("370102", "370100")).days == 15
    assert rule("decision_days", on=on, regions=("370211",)).counting == workdays.CALENDAR
    assert workdays.has_regional_rule("decision_letter_delivery_days", on=on)
    # Before the rule's date the limit counted calendar days.
    before = rule("decision_letter_delivery_days", on=dt.date(2029, 12, 31), regions=("370211",))
    assert before.counting == workdays.CALENDAR
