"""What the training reads share: who counts as staff, the enterprise paths."""

from __future__ import annotations

from typing import Any

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    ScopePaths,
)

ENTERPRISE_PATHS = ScopePaths(city="city", county="county", grid="grid", enterprise="pk")
STAFF_ROLES = frozenset(
    {
        Role.PROVINCE_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.INSTITUTION_STAFF,
        Role.ADMIN,
        Role.AUDITOR,
    }
)


def _none(user: Any) -> bool:
    return not getattr(user, "is_authenticated", False) or not user.is_active
