"""Who may run training placed where (an institution, a city, a county)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    PROVINCE_WIDE_ROLES,
    can_write,
    institution_city_id,
)
from yufang.training.models import (
    TrainingSession,
)


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


def _require_run(
    user: Any, *, institution_id: int | None, city_id: int | None, county_id: int | None = None
) -> None:
    if not may_run(user, institution_id=institution_id, city_id=city_id, county_id=county_id):
        raise PermissionDenied(_("Your role cannot run training here."))


def may_run_session(user: Any, session: TrainingSession) -> bool:
    return may_run(
        user,
        institution_id=session.institution_id,
        city_id=session.city_id,
        county_id=session.county_id,
    )
