"""Who may do what with the working-day calendar, for the authorization matrix
(`accounts/tests/test_authorization_matrix.py`). The calendar is the province's, not any
region's: a record has no inside or outside, and both sides' days read plainly."""

from __future__ import annotations

import datetime as dt
from typing import Any

from yufang.accounts.tests.access_base import Op, Page, rule

RULES = {
    # Reading: the officials of every level (their limits count by it), the auditor, admin.
    "calendar_read": rule(
        "403/403",
        province="ok/ok",
        city="ok/ok",
        county="ok/ok",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # Keeping it: the province's official and the administrator only.
    "calendar_keep": rule("403/403", province="ok/ok", admin="ok/ok"),
}

PAGES = {
    "policy:days": Page(None, "calendar_read"),
    "policy:day_new": Page(None, "post_only", "calendar_keep"),
    "policy:days_import": Page(None, "post_only", "calendar_keep"),
    "policy:day_delete": Page("calendar_day", "post_only", "calendar_keep"),
}

_P = "/api/v1/policy"
OPERATIONS = {
    ("GET", f"{_P}/calendar-days"): Op("calendar_read"),
    ("POST", f"{_P}/calendar-days"): Op("calendar_keep"),
    ("POST", f"{_P}/calendar-days/import"): Op("calendar_keep"),
    ("DELETE", f"{_P}/calendar-days/{{day_id}}"): Op("calendar_keep", kind="calendar_day_api"),
    ("GET", f"{_P}/working-days"): Op("calendar_read"),
}

API_PARAM_KINDS = {"day_id": "calendar_day_api"}


def build_records(world: Any, records: Any) -> None:
    """Two days on each side: one the page removes, one the API removes (a day removed is
    gone for the next call)."""
    from yufang.policy.models import CalendarDay

    base = dt.date(2030, 5, 1)
    for offset, (side, kind) in enumerate(
        (
            (records.inside, "calendar_day"),
            (records.outside, "calendar_day"),
            (records.inside, "calendar_day_api"),
            (records.outside, "calendar_day_api"),
        )
    ):
        day = CalendarDay.objects.create(
            day=base + dt.timedelta(days=offset), kind="rest_day", name="测试假日"
        )
        side[kind] = day.pk
