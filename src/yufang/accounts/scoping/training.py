"""Who may do what in training: run it (bases, halls, sessions) where it is placed, create
courses, plan campaigns, publish materials. The services check these; the pages ask them first,
so a role with no business is refused before its input is read."""

from __future__ import annotations

from typing import Any

from yufang.accounts.models import Role
from yufang.accounts.scoping import PROVINCE_WIDE_ROLES, can_write, institution_city_id

# Who runs training somewhere: officials (county up), the province-wide writers, institutions.
TRAINING_RUNNERS = frozenset(
    {*PROVINCE_WIDE_ROLES, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.INSTITUTION_STAFF}
)
CAMPAIGN_PLANNERS = frozenset({*PROVINCE_WIDE_ROLES, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL})


def may_run(
    user: Any,
    *,
    institution_id: int | None,
    city_id: int | None,
    county_id: int | None = None,
) -> bool:
    """Whether a user may run training placed here: the operating institution's staff,
    officials of the region, the province."""
    if not can_write(user):
        return False
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    if user.role == Role.CITY_OFFICIAL:
        return city_id is not None and city_id == user.region_id
    if user.role == Role.COUNTY_OFFICIAL:
        return county_id is not None and county_id == user.region_id
    if user.role == Role.INSTITUTION_STAFF:
        # An institution works in its own city: its bases, halls and sessions are there.
        return (
            institution_id is not None
            and institution_id == user.institution_id
            and (city_id is None or city_id == institution_city_id(user))
        )
    return False


def may_run_training(user: Any) -> bool:
    """Whether the role runs training anywhere (where exactly: `may_run`)."""
    return getattr(user, "role", None) in TRAINING_RUNNERS and can_write(user)


def may_create_courses(user: Any) -> bool:
    return may_run_training(user)


def may_publish_materials(user: Any) -> bool:
    return may_run_training(user)


def may_plan_campaigns(user: Any) -> bool:
    """Whether the role plans campaigns at all (for a region: its own, or the province)."""
    return getattr(user, "role", None) in CAMPAIGN_PLANNERS and can_write(user)
