"""Who may see and do what in the outreach module. The rules live here, with the rest of the
platform's scope rules; they name the module's records by their fields, never import them.

Publicity campaigns and their activities are placed in a city (and a county, when a county
runs them); prize quizzes and contests belong to the province or to a city. The public takes
part through the public pages, which need no account; these rules are for the accounts that
run, record, judge, moderate and read the programme.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    PROVINCE_WIDE_ROLES,
    _region_of,
    can_write,
    institution_city_id,
)
from yufang.regions.models import Region

NOTHING = Q(pk__in=[])
# Who runs publicity: officials, and the grid workers and institution staff who carry it into
# enterprises, sites and schools.
OUTREACH_ROLES = frozenset(
    {
        Role.PROVINCE_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.GRID_WORKER,
        Role.INSTITUTION_STAFF,
        Role.AUDITOR,
        Role.ADMIN,
    }
)
# Who reads the engagement figures (no personal data in them).
STATISTICS_ROLES = frozenset(
    {
        Role.PROVINCE_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.AUDITOR,
        Role.ADMIN,
    }
)


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.is_active)


def outreach_city_id(user: Any) -> int | None:
    """The city a user's publicity work is in (None: the whole province, or no city)."""
    if not _active(user) or user.role in PROVINCE_WIDE_ROLES:
        return None
    if user.role == Role.GRID_WORKER and user.grid_id:
        return int(user.grid.city_id)
    if user.role == Role.INSTITUTION_STAFF:
        return institution_city_id(user)
    region = _region_of(user)
    if region is None or region.level == Region.Level.PROVINCE:
        return None
    if region.level == Region.Level.CITY:
        return int(region.pk)
    return int(region.city_id) if region.city_id else None


def _province_wide(user: Any) -> bool:
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    region = _region_of(user)
    return user.role in (Role.AUDITOR, Role.PROVINCE_OFFICIAL) and (
        region is None or region.level == Region.Level.PROVINCE
    )


def publicity_campaigns_q(user: Any) -> Q | None:
    """Campaigns a user reads: a county official their county's and their city's city-wide
    ones; the other publicity roles their city's. None means all."""
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return NOTHING
    if _province_wide(user):
        return None
    city_id = outreach_city_id(user)
    if city_id is None:
        return NOTHING
    if user.role == Role.COUNTY_OFFICIAL or (
        user.role == Role.AUDITOR and user.region and user.region.level == Region.Level.COUNTY
    ):
        return Q(city_id=city_id) & (Q(county__isnull=True) | Q(county_id=user.region_id))
    return Q(city_id=city_id)


def outreach_activities_q(user: Any) -> Q | None:
    """Activities a user reads: officials and auditors those in their region; grid workers and
    institution staff those of their city's campaigns (they carry them out together)."""
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return NOTHING
    if _province_wide(user):
        return None
    city_id = outreach_city_id(user)
    if city_id is None:
        return NOTHING
    region = _region_of(user)
    if (
        region is not None
        and region.level == Region.Level.COUNTY
        and user.role
        in (
            Role.COUNTY_OFFICIAL,
            Role.AUDITOR,
        )
    ):
        return Q(county_id=region.pk)
    return Q(city_id=city_id)


def may_plan_campaign(user: Any, *, city_id: int | None, county_id: int | None) -> bool:
    """Officials plan campaigns in their own region (a county official only their county's)."""
    if not can_write(user):
        return False
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    if user.role == Role.CITY_OFFICIAL:
        return city_id is not None and city_id == user.region_id
    if user.role == Role.COUNTY_OFFICIAL:
        return county_id is not None and county_id == user.region_id
    return False


def may_record_activity(user: Any, *, city_id: int, county_id: int | None) -> bool:
    """Officials in their region, grid workers and institution staff in their city record the
    activities they carried out."""
    if not can_write(user):
        return False
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    if user.role == Role.COUNTY_OFFICIAL:
        return county_id is not None and county_id == user.region_id
    if user.role in (Role.CITY_OFFICIAL, Role.GRID_WORKER, Role.INSTITUTION_STAFF):
        return outreach_city_id(user) == city_id
    return False


# --- prize quizzes and contests ---------------------------------------------------------------


def programmes_q(user: Any) -> Q | None:
    """Quizzes and contests (field `region`: the province or a city) a publicity role reads on
    the running side: the province's and their city's. None means all."""
    if not _active(user) or user.role not in OUTREACH_ROLES:
        return NOTHING
    if _province_wide(user):
        return None
    city_id = outreach_city_id(user)
    if city_id is None:
        return NOTHING
    return Q(region__level=Region.Level.PROVINCE) | Q(region_id=city_id)


def may_run_programme(user: Any, *, region: Any) -> bool:
    """The province's officials run province-wide quizzes and contests, a city official the
    city's: set them up, moderate what the public sends, draw prizes, publish results."""
    if not can_write(user) or region is None:
        return False
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    return user.role == Role.CITY_OFFICIAL and region.pk == user.region_id


def require_runs_programme(user: Any, *, region: Any) -> None:
    if not may_run_programme(user, region=region):
        raise PermissionDenied(_("Only the officials running this programme may do this."))


def judged_entries_q(user: Any) -> Q:
    """Contest entries a user judges: those of the contests whose panel names them (a judge is
    an ordinary account named on the panel, whatever their role)."""
    if not _active(user) or user.role == Role.AUDITOR:
        return NOTHING
    return Q(contest__panel__user_id=user.pk)


def may_read_engagement(user: Any) -> bool:
    return _active(user) and user.role in STATISTICS_ROLES


def engagement_city_q(user: Any, city_field: str = "city") -> Q | None:
    """The engagement figures a user reads: the province's for province-wide roles, their
    city's (or county's) otherwise."""
    if not may_read_engagement(user):
        return NOTHING
    if _province_wide(user):
        return None
    city_id = outreach_city_id(user)
    return Q(**{f"{city_field}_id": city_id}) if city_id else NOTHING
