"""The navigation bar: the programme's areas, each shown to the roles that work in it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from yufang.accounts.models import Role
from yufang.accounts.scoping.policy import CALENDAR_READERS

R = Role


def _nav(label: str) -> Promise:
    """A navigation label: short, and its own entry in the catalogue (home/locale), so a
    module's longer page title for the same English words does not change the bar."""
    return pgettext_lazy("navigation", label)


OFFICIALS = (
    R.PROVINCE_OFFICIAL,
    R.CITY_OFFICIAL,
    R.COUNTY_OFFICIAL,
    R.ADMIN,
    R.AUDITOR,
    R.DEPARTMENT_LIAISON,
)


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[str, ...]
    # URL prefix that marks the item active.
    prefix: str
    # Reference data and administration go under "More", so the programme's areas stay in view.
    more: bool = False


NAV: list[NavItem] = [
    NavItem(_nav("Home"), "home:index", tuple(R), "/"),
    NavItem(
        _nav("Enterprises"), "enterprises:enterprises", (*OFFICIALS, R.GRID_WORKER), "/enterprises/"
    ),
    NavItem(_nav("My enterprise"), "enterprises:mine", (R.SAFETY_MANAGER,), "/enterprises/"),
    NavItem(_nav("Injury cases"), "injuries:dashboard", OFFICIALS, "/injuries/"),
    NavItem(
        _nav("Hazards"),
        "hazards:index",
        (*OFFICIALS, R.GRID_WORKER, R.SAFETY_MANAGER, R.INSTITUTION_STAFF),
        "/hazards/",
    ),
    NavItem(_nav("Training"), "training:index", tuple(R), "/training/"),
    # The programme modules' areas; an item shows once its module names the page.
    NavItem(_nav("Today's tasks"), "field:today", (R.GRID_WORKER,), "/field/"),
    NavItem(
        _nav("Screening"),
        "grid:index",
        (R.PROVINCE_OFFICIAL, R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.ADMIN, R.AUDITOR),
        "/grid/",
    ),
    NavItem(_nav("Self-service"), "portal:home", (R.SAFETY_MANAGER,), "/portal/"),
    NavItem(
        _nav("Enterprise business"),
        "portal:desk",
        (R.PROVINCE_OFFICIAL, R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.ADMIN, R.AUDITOR),
        "/portal/",
    ),
    NavItem(
        _nav("Injury recognition"),
        "recognition:index",
        (R.PROVINCE_OFFICIAL, R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.ADMIN, R.AUDITOR),
        "/recognition/",
    ),
    NavItem(
        _nav("Prevention fee"),
        "funds:index",
        (*OFFICIALS, R.INSTITUTION_STAFF),
        "/funds/",
    ),
    NavItem(
        _nav("Publicity"),
        "outreach:index",
        (*OFFICIALS, R.INSTITUTION_STAFF, R.GRID_WORKER),
        "/outreach/",
    ),
    NavItem(_nav("Joint meeting"), "council:index", OFFICIALS, "/council/"),
    NavItem(
        _nav("Regions and grids"),
        "regions:index",
        (*OFFICIALS, R.GRID_WORKER),
        "/regions/",
        more=True,
    ),
    NavItem(_nav("Industries"), "industries:industries", (*OFFICIALS,), "/industries/", more=True),
    NavItem(
        _nav("Imports"),
        "imports:jobs",
        (R.PROVINCE_OFFICIAL, R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.ADMIN, R.GRID_WORKER),
        "/imports/",
        more=True,
    ),
    NavItem(
        _nav("People"),
        "accounts:users",
        (R.PROVINCE_OFFICIAL, R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.ADMIN, R.AUDITOR),
        "/accounts/users/",
        more=True,
    ),
    NavItem(
        _nav("Working-day calendar"),
        "policy:days",
        tuple(CALENDAR_READERS),
        "/policy/",
        more=True,
    ),
    NavItem(
        _nav("Audit log"),
        "audit:entries",
        (R.AUDITOR, R.ADMIN, R.PROVINCE_OFFICIAL),
        "/audit/",
        more=True,
    ),
]
