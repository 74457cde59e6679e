"""The navigation bar: the programme's areas, each shown to the roles that work in it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yufang.accounts.models import Role

R = Role
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
    NavItem(_("Home"), "home:index", tuple(R), "/"),
    NavItem(
        _("Enterprises"), "enterprises:enterprises", (*OFFICIALS, R.GRID_WORKER), "/enterprises/"
    ),
    NavItem(_("My enterprise"), "enterprises:mine", (R.SAFETY_MANAGER,), "/enterprises/"),
    NavItem(_("Injury cases"), "injuries:dashboard", OFFICIALS, "/injuries/"),
    NavItem(
        pgettext_lazy("navigation", "Hazards"),
        "hazards:index",
        (*OFFICIALS, R.GRID_WORKER, R.SAFETY_MANAGER, R.INSTITUTION_STAFF),
        "/hazards/",
    ),
    NavItem(_("Training"), "training:index", tuple(R), "/training/"),
    # The programme modules' areas; an item shows once its module names the page.
    NavItem(_("Today's tasks"), "field:today", (R.GRID_WORKER,), "/field/"),
    NavItem(
        _("Screening"),
        "grid:index",
        (R.PROVINCE_OFFICIAL, R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.ADMIN, R.AUDITOR),
        "/grid/",
    ),
    NavItem(_("Self-service"), "portal:home", (R.SAFETY_MANAGER,), "/portal/"),
    NavItem(
        _("Enterprise business"),
        "portal:desk",
        (R.PROVINCE_OFFICIAL, R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.ADMIN, R.AUDITOR),
        "/portal/",
    ),
    NavItem(
        _("Injury recognition"),
        "recognition:index",
        (R.PROVINCE_OFFICIAL, R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.ADMIN, R.AUDITOR),
        "/recognition/",
    ),
    NavItem(
        _("Prevention fee"),
        "funds:index",
        (*OFFICIALS, R.INSTITUTION_STAFF),
        "/funds/",
    ),
    NavItem(
        pgettext_lazy("navigation", "Publicity"),
        "outreach:index",
        (*OFFICIALS, R.INSTITUTION_STAFF, R.GRID_WORKER),
        "/outreach/",
    ),
    NavItem(_("Joint meeting"), "council:index", OFFICIALS, "/council/"),
    NavItem(
        _("Regions and grids"), "regions:index", (*OFFICIALS, R.GRID_WORKER), "/regions/", more=True
    ),
    NavItem(_("Industries"), "industries:industries", (*OFFICIALS,), "/industries/", more=True),
    NavItem(
        _("Imports"),
        "imports:jobs",
        (R.PROVINCE_OFFICIAL, R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.ADMIN, R.GRID_WORKER),
        "/imports/",
        more=True,
    ),
    NavItem(
        _("People"),
        "accounts:users",
        (R.PROVINCE_OFFICIAL, R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.ADMIN, R.AUDITOR),
        "/accounts/users/",
        more=True,
    ),
    NavItem(
        _("Audit log"),
        "audit:entries",
        (R.AUDITOR, R.ADMIN, R.PROVINCE_OFFICIAL),
        "/audit/",
        more=True,
    ),
]
