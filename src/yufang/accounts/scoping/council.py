"""Who may see and do what in the council module. The rules live here, with the rest of the
platform's scope rules; they name the module's records by their fields, never import them.

A joint meeting belongs to a region. Officials read the joint meetings of their region and the
regions under it, and run the one of their own region; the auditor reads; a department liaison
reads the joint meeting its department sits on, and of the tasks only its department's, and
it alone reports progress on them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yufang.accounts.models import Role
from yufang.accounts.scoping import PROVINCE_WIDE_ROLES, can_write, regions_visible

COUNCIL_OFFICIALS = frozenset({Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL})
# Roles that open the joint meeting's pages at all; others are refused (403).
COUNCIL_READERS = COUNCIL_OFFICIALS | {Role.ADMIN, Role.AUDITOR, Role.DEPARTMENT_LIAISON}


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def council_reader(user: Any) -> bool:
    return _active(user) and user.role in COUNCIL_READERS


def joint_meeting_q(user: Any, prefix: str = "") -> Q | None:
    """Joint meetings a user reads (`prefix` leads from a record to its joint meeting, e.g.
    "meeting__joint_meeting__"); None means every one."""
    if not council_reader(user):
        return Q(pk__in=[])
    if user.role in PROVINCE_WIDE_ROLES or (user.role == Role.AUDITOR and user.region_id is None):
        return None
    if user.role == Role.DEPARTMENT_LIAISON:
        return Q(**{f"{prefix}memberships__department_id": user.department_id})
    return _regions_read_q(user, prefix)


def _regions_read_q(user: Any, prefix: str) -> Q:
    """Their region and those under it; a county official also reads its city's joint
    meeting, which the county's departments work under."""
    q = Q(**{f"{prefix}region__in": regions_visible(user)})
    region = user.region
    if user.role == Role.COUNTY_OFFICIAL and region is not None and region.city_id:
        q |= Q(**{f"{prefix}region_id": region.city_id})
    return q


def council_task_q(user: Any, prefix: str = "") -> Q | None:
    """Tasks a user reads (`prefix` leads from a record to its task): a liaison only its own
    department's; others those of the joint meetings they read."""
    if _active(user) and user.role == Role.DEPARTMENT_LIAISON:
        return Q(**{f"{prefix}department_id": user.department_id})
    return joint_meeting_q(user, f"{prefix}resolution__meeting__joint_meeting__")


def region_records_q(user: Any, prefix: str = "") -> Q | None:
    """Records placed at a region (work plans, exchanged figures, yearly reports): those of
    the regions a user reads; a liaison those of its department's region."""
    if not council_reader(user):
        return Q(pk__in=[])
    if user.role in PROVINCE_WIDE_ROLES or (user.role == Role.AUDITOR and user.region_id is None):
        return None
    if user.role == Role.DEPARTMENT_LIAISON:
        return Q(**{f"{prefix}region_id": user.department.region_id})
    return _regions_read_q(user, prefix)


def may_run_joint_meeting(user: Any, *, region_id: int) -> bool:
    """Officials run their own region's joint meeting (members, meetings, resolutions, tasks,
    the work plan and the yearly report); the province official and the administrator any."""
    if not (_active(user) and can_write(user)):
        return False
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    return user.role in COUNCIL_OFFICIALS and bool(user.region_id == region_id)


def may_report_progress(user: Any, *, department_id: int) -> bool:
    """Only a liaison of the department a task is assigned to reports its progress."""
    return (
        _active(user)
        and user.role == Role.DEPARTMENT_LIAISON
        and bool(user.department_id == department_id)
    )


# What each member department's liaison reads of the platform's data (its remit), by the
# department's code. Finance reads the fee's use once the funds module offers it.
SHARED_REMITS: dict[str, tuple[str, ...]] = {
    "emergency": ("hazards", "escalations"),
    "health": ("disease_hazards", "over_limit"),
    "finance": ("fee",),
    "hrss": ("hazards", "escalations", "disease_hazards", "over_limit", "fee"),
}


def shared_remit(user: Any) -> tuple[str, ...]:
    """The shared views a user may open: a liaison those of its department's remit;
    officials, the auditor and the administrator all of them; others none."""
    if not council_reader(user):
        return ()
    if user.role == Role.DEPARTMENT_LIAISON:
        return SHARED_REMITS.get(user.department.code, ())
    return SHARED_REMITS["hrss"]


def may_exchange_data(user: Any, *, region_id: int) -> bool:
    """The yearly data exchange is imported by the region's officials (HRSS) and by the
    liaisons of the health and emergency-management departments of that region."""
    if may_run_joint_meeting(user, region_id=region_id):
        return True
    return (
        _active(user)
        and user.role == Role.DEPARTMENT_LIAISON
        and user.department.code in ("health", "emergency")
        and bool(user.department.region_id == region_id)
    )
