"""What a dashboard is about: its year, its city or county, the region whose targets it shows."""

from __future__ import annotations

from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping import (
    home_region,
)
from yufang.enterprises.models import InsuredHeadcount
from yufang.injuries.models import (
    InjuryCase,
    InjuryRollup,
    RollupDimension,
)
from yufang.injuries.selectors.filters import REGIONAL_ROLES
from yufang.regions.models import Region


def latest_year(user: Any) -> int:
    """The latest year with recorded cases: the year dashboards open on and the last year of
    trends and targets. A later year with headcounts but no cases yet (recognition takes
    months) would otherwise show a false fall to zero."""
    found = (
        InjuryRollup.objects.filter(level="city", dimension=RollupDimension.ALL, cases__gt=0)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    if found is None:
        found = InjuryCase.objects.aggregate(y=Max("accident_date__year"))["y"]
    if found is None:
        found = InsuredHeadcount.objects.aggregate(y=Max("year"))["y"]
    return int(found or timezone.localdate().year - 1)


def dashboard_focus(
    user: Any, *, city_code: str = "", county_code: str = ""
) -> tuple[Region | None, Region | None]:
    """The city and county a dashboard is about: the ones asked for if the user may see
    them (404 otherwise), else the user's own city or county; (None, None) = the province."""
    from django.http import Http404

    from yufang.accounts.scoping import regions_visible

    visible = regions_visible(user)
    county = None
    if county_code:
        county = visible.filter(code=county_code, level=Region.Level.COUNTY).first()
        if county is None:
            raise Http404(_("No such county in your region."))
    city = None
    if city_code:
        city = visible.filter(code=city_code, level=Region.Level.CITY).first()
        if city is None:
            raise Http404(_("No such city in your region."))
    if county is not None:
        city = county.city
    if city is None and county is None:
        region = home_region(user)
        if region is not None and region.level == Region.Level.CITY:
            city = region
        elif region is not None and region.level == Region.Level.COUNTY:
            county, city = region, region.city
    return city, county


def dashboard_target_region(
    user: Any, *, city: Region | None, county: Region | None
) -> Region | None:
    """Targets are set for the province and each city; a county view shows none."""
    if getattr(user, "role", None) not in REGIONAL_ROLES or county is not None:
        return None
    return city or Region.objects.filter(level=Region.Level.PROVINCE).first()
