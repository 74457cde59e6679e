"""Which service institutions a person may pick: for an account, an assessment, a training
base. An institution serves the city it is registered in, so an official picks among those of
their own city (a county official: the county's city); the province-wide roles pick any; an
institution's staff only their own institution; anyone else none."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from yufang.accounts.models import Role
from yufang.accounts.scoping import PROVINCE_WIDE_ROLES, can_write
from yufang.organisations.models import Institution
from yufang.regions.models import Region


def institutions_pickable(user: Any) -> QuerySet[Institution]:
    qs = Institution.objects.select_related("city").order_by("name")
    if not can_write(user):
        return qs.none()
    if user.role in PROVINCE_WIDE_ROLES:
        return qs
    if user.role == Role.INSTITUTION_STAFF:
        return qs.filter(pk=user.institution_id or 0)
    if user.role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL) and user.region_id:
        region = user.region
        city_id = region.pk if region.level == Region.Level.CITY else region.city_id
        return qs.filter(city_id=city_id or 0)
    return qs.none()


def may_pick_institution(user: Any, institution_id: int | None) -> bool:
    if not institution_id:
        return False
    return institutions_pickable(user).filter(pk=institution_id).exists()


def institution_refused() -> str:
    """The form error for an institution the user may not pick (or none picked)."""
    from django.utils.translation import gettext as _

    return _("Choose an institution serving your region.")
