"""Who may see and do what in the funds module. The rules live here, with the rest of the
platform's scope rules; they name the module's records by their fields, never import them.

The prevention fee is the pooling region's money (the city in Shandong): the city's officials
plan and spend it, the county's officials and the member departments' liaisons read their
city's, the province reads every city's and consents to raising a cap. A service institution's
staff read their own contracts, their projects and what the platform counted for them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yufang.accounts.models import Role
from yufang.accounts.scoping import PROVINCE_WIDE_ROLES, can_write
from yufang.regions.models import Region

# Roles with business on the fee's pages: everyone else gets 403.
FEE_READERS = frozenset(
    {
        Role.PROVINCE_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.DEPARTMENT_LIAISON,
        Role.AUDITOR,
        Role.ADMIN,
        Role.INSTITUTION_STAFF,
    }
)


def fee_reader(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in FEE_READERS


def fee_city_id(user: Any) -> int | None:
    """The pooling region (city) whose fee a regional role reads; None for the province-wide
    roles (every city) and for roles bound to no region."""
    region: Region | None
    if user.role == Role.DEPARTMENT_LIAISON and user.department_id:
        region = user.department.region
    else:
        region = user.region
    if region is None or region.level == Region.Level.PROVINCE:
        return None
    if region.level == Region.Level.CITY:
        return int(region.pk)
    return int(region.city_id) if region.city_id else None


def _everything(user: Any) -> bool:
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    if user.role in (Role.AUDITOR, Role.DEPARTMENT_LIAISON):
        return fee_city_id(user) is None and (
            user.role == Role.AUDITOR or _is_province_department(user)
        )
    return False


def _is_province_department(user: Any) -> bool:
    return bool(user.department_id and user.department.region.level == Region.Level.PROVINCE)


def fee_q(user: Any, *, region: str, institution: str | None = None) -> Q | None:
    """Fee records a user reads: `region` is the path to the record's pooling region,
    `institution` to the institution it pays (None: a record no institution reads, such as a
    budget). None means everything; an impossible Q nothing."""
    nothing = Q(pk__in=[])
    if not fee_reader(user) or not user.is_active:
        return nothing
    if _everything(user):
        return None
    if user.role == Role.INSTITUTION_STAFF:
        if institution is None or not user.institution_id:
            return nothing
        return Q(**{f"{institution}_id": user.institution_id})
    city_id = fee_city_id(user)
    if city_id is None:
        return nothing
    return Q(**{f"{region}_id": city_id})


def may_manage_fee(user: Any, *, pooling_region_id: int) -> bool:
    """Sets the budget, reviews projects, records procurement, contracts, acceptance and
    payments: the pooling region's (city's) officials, and the province-wide writers."""
    if not can_write(user):
        return False
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    return user.role == Role.CITY_OFFICIAL and user.region_id == pooling_region_id


def may_approve_raise(user: Any) -> bool:
    """The provincial consent to raise a city's cap is recorded by the province."""
    return can_write(user) and user.role in PROVINCE_WIDE_ROLES


def may_publish_disclosure(user: Any, *, pooling_region_id: int) -> bool:
    """The fee's use is published by the province, or by the city for its own."""
    return may_manage_fee(user, pooling_region_id=pooling_region_id)


def may_manage_registry(user: Any, *, city_id: int) -> bool:
    """The institutions' registry (qualifications) is kept by the officials of the
    institution's city and the province."""
    return may_manage_fee(user, pooling_region_id=city_id)
