"""Who may do what in risk assessment and hazards: the role sets the hazard services check and
the pages' `may_*` flags, so the page never offers what the service would refuse."""

from __future__ import annotations

from typing import Any

from yufang.accounts.models import Role
from yufang.regions.models import Region

# Who inspects: assigns, verifies and closes hazards, carries out assessments, issues notices.
INSPECTORS = frozenset(
    {
        Role.PROVINCE_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.INSTITUTION_STAFF,
        Role.ADMIN,
    }
)
# Who reports hazards and starts assessments: the inspectors and the grid workers.
REPORTERS = INSPECTORS | {Role.GRID_WORKER}
CHECKLIST_EDITORS = frozenset({Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.ADMIN})
NOTICE_ISSUER_EDITORS = frozenset({Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.ADMIN})
STATISTICS_GENERATORS = frozenset(
    {Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN}
)


def _role(user: Any) -> str:
    return str(getattr(user, "role", "") or "")


def may_report_hazards(user: Any) -> bool:
    return _role(user) in REPORTERS


def may_inspect(user: Any) -> bool:
    return _role(user) in INSPECTORS


def may_edit_checklists(user: Any) -> bool:
    return _role(user) in CHECKLIST_EDITORS


def may_configure_notice_issuers(user: Any) -> bool:
    return _role(user) in NOTICE_ISSUER_EDITORS


def may_generate_statistics(user: Any) -> bool:
    return _role(user) in STATISTICS_GENERATORS


def assessment_actions(user: Any, *, is_draft: bool, has_open_hazards: bool) -> dict[str, bool]:
    """What the assessment page offers: fill and cancel a draft (reporters), issue a
    rectification notice for its open hazards (inspectors)."""
    return {
        "may_fill": is_draft and may_report_hazards(user),
        "may_cancel": is_draft and may_report_hazards(user),
        "may_notice": has_open_hazards and may_inspect(user),
    }


def may_configure_issuer(user: Any, region: Region) -> bool:
    """Who sets a region's notice issuer (and reads its seal): province officials and the
    administrator every city and county; a city official their city and its counties."""
    role = getattr(user, "role", None)
    if role not in NOTICE_ISSUER_EDITORS or region.level not in (
        Region.Level.CITY,
        Region.Level.COUNTY,
    ):
        return False
    if role == Role.CITY_OFFICIAL:
        return region.pk == user.region_id or region.city_id == user.region_id
    return True
