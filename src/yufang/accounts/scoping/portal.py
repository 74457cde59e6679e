"""Who may see and do what in the portal module. The rules live here, with the rest of the
platform's scope rules; they name the module's records by their fields, never import them.

An enterprise's requests to the bureau (changes of the bureau's data, roster changes) and its
floating premium rates are read by its safety manager and by the bureau's side: officials of
its region, the province-wide roles and the auditor. The safety manager submits for its own
enterprise; officials in scope (county up) and the administrator decide; the auditor reads.
Other roles have no business here (403).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import ScopePaths, may_change_enterprise, require_role, scope_q

PORTAL_ENTERPRISE_ROLES = frozenset({Role.SAFETY_MANAGER})
PORTAL_DECIDERS = frozenset(
    {Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN}
)
PORTAL_BUREAU_READERS = PORTAL_DECIDERS | {Role.AUDITOR}
PORTAL_READERS = PORTAL_BUREAU_READERS | PORTAL_ENTERPRISE_ROLES
_VIA_ENTERPRISE = ScopePaths.via_enterprise("enterprise")


def require_portal_reader(user: Any) -> None:
    require_role(user, *PORTAL_READERS)


def require_portal_bureau(user: Any) -> None:
    require_role(user, *PORTAL_BUREAU_READERS)


def portal_records_q(user: Any) -> Q | None:
    """Requests, roster changes, insured people and rates a user reads (anything with an
    `enterprise`); None means all. Raises PermissionDenied for a role with no business."""
    require_portal_reader(user)
    if user.role == Role.SAFETY_MANAGER and not user.enterprise_id:
        return Q(pk__in=[])
    return scope_q(user, _VIA_ENTERPRISE)


def portal_runs_q(user: Any) -> Q | None:
    """Floating-rate runs of a region: the province-wide roles read all; a city or county
    official (and a regional auditor) those of their region and the regions above it that
    contain it are not theirs, so only their own region and those below."""
    require_portal_bureau(user)
    if user.role in (Role.PROVINCE_OFFICIAL, Role.ADMIN) or user.region_id is None:
        return None
    return (
        Q(region_id=user.region_id)
        | Q(region__city_id=user.region_id)
        | Q(region__county_id=user.region_id)
    )


def may_submit_for(user: Any, enterprise: Any) -> bool:
    """Only the enterprise's own safety manager asks the bureau in its name."""
    return (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.SAFETY_MANAGER
        and user.enterprise_id is not None
        and user.enterprise_id == enterprise.pk
    )


def require_submit_for(user: Any, enterprise: Any) -> None:
    if not may_submit_for(user, enterprise):
        raise PermissionDenied(_("Only the enterprise's own safety manager submits this."))


def may_decide_for(user: Any, enterprise: Any) -> bool:
    """Officials (county up) of the enterprise's region and the administrator decide."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role in PORTAL_DECIDERS
        and may_change_enterprise(user, enterprise)
    )


def require_decide_for(user: Any, enterprise: Any) -> None:
    if not may_decide_for(user, enterprise):
        raise PermissionDenied(_("Only the bureau's officials decide on this."))


def may_run_rates(user: Any, region: Any) -> bool:
    """Officials run the floating rate for their region (or one inside it); the
    province-wide roles anywhere; the auditor never."""
    if not getattr(user, "is_authenticated", False) or user.role not in PORTAL_DECIDERS:
        return False
    if user.role in (Role.PROVINCE_OFFICIAL, Role.ADMIN):
        return True
    return user.region_id is not None and user.region_id in (
        region.pk,
        region.city_id,
        region.county_id,
    )
