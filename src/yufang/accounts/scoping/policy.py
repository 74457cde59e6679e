"""Who keeps and who reads the working-day calendar (`policy`): the province's officials keep
it, as the State Council's holiday notice is one for the whole country; every official who
reads a time limit, and the auditor, may read it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yufang.accounts.models import Role

CALENDAR_KEEPERS = frozenset({Role.PROVINCE_OFFICIAL, Role.ADMIN})
CALENDAR_READERS = CALENDAR_KEEPERS | {Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.AUDITOR}


def may_keep_calendar(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in CALENDAR_KEEPERS


def may_read_calendar(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in CALENDAR_READERS


def require_calendar_keeper(user: Any) -> None:
    if not may_keep_calendar(user):
        raise PermissionDenied(_("Only the province's officials keep the working-day calendar."))


def require_calendar_reader(user: Any) -> None:
    if not may_read_calendar(user):
        raise PermissionDenied(_("The working-day calendar is not part of your role."))
