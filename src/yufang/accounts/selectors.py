from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from yufang.accounts.models import Role, User
from yufang.accounts.scoping import PROVINCE_WIDE_ROLES


def users_visible(user: Any) -> QuerySet[User]:
    """People a user may list: province-wide roles see all; a city or county official sees the
    accounts bound to their region, its grids and its enterprises."""
    qs = User.objects.select_related("region", "grid", "enterprise", "institution", "department")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.role in PROVINCE_WIDE_ROLES or (user.role == Role.AUDITOR and user.region_id is None):
        return qs
    if user.role == Role.CITY_OFFICIAL:
        r = user.region_id
        return qs.filter(
            Q(region_id=r) | Q(region__city_id=r) | Q(grid__city_id=r) | Q(enterprise__city_id=r)
        )
    if user.role == Role.COUNTY_OFFICIAL:
        r = user.region_id
        return qs.filter(Q(region_id=r) | Q(grid__county_id=r) | Q(enterprise__county_id=r))
    return qs.filter(pk=user.pk)


def user_list(user: Any, *, q: str = "", role: str = "") -> QuerySet[User]:
    qs = users_visible(user)
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if role:
        qs = qs.filter(role=role)
    return qs.order_by("role", "username")
