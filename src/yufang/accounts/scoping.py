"""What each person may see and change. Every selector that returns records calls this.

A role binds to one scope: the province, a city or county (a region), a grid, an enterprise,
an institution or a department. `scope_queryset` turns a user and the paths from a model to
its city, county, grid, enterprise and institution into the one filter that applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from yufang.accounts.models import Role, User
from yufang.regions.models import Region

M = TypeVar("M", bound=Model)

READ_ONLY_ROLES = frozenset({Role.AUDITOR, Role.DEPARTMENT_LIAISON, Role.WORKER})
OFFICIAL_ROLES = frozenset({Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL})
PROVINCE_WIDE_ROLES = frozenset({Role.PROVINCE_OFFICIAL, Role.ADMIN})


@dataclass(frozen=True)
class ScopePaths:
    """Lookups from a model to the fields scoping filters on; None where it has no such link."""

    city: str | None = None
    county: str | None = None
    grid: str | None = None
    enterprise: str | None = None
    institution: str | None = None

    @classmethod
    def via_enterprise(
        cls, prefix: str = "enterprise", *, institution: str | None = None
    ) -> ScopePaths:
        return cls(
            city=f"{prefix}__city",
            county=f"{prefix}__county",
            grid=f"{prefix}__grid",
            enterprise=prefix,
            institution=institution,
        )


def _region_of(user: User) -> Region | None:
    if user.role == Role.DEPARTMENT_LIAISON and user.department_id:
        return user.department.region  # type: ignore[union-attr]
    return user.region


def _region_q(paths: ScopePaths, region: Region | None) -> Q | None:
    """None means no filter (the whole province); an impossible Q means nothing."""
    if region is None or region.level == Region.Level.PROVINCE:
        return None
    if region.level == Region.Level.CITY and paths.city:
        return Q(**{f"{paths.city}_id": region.pk})
    if region.level == Region.Level.COUNTY and paths.county:
        return Q(**{f"{paths.county}_id": region.pk})
    return Q(pk__in=[])


def scope_q(user: Any, paths: ScopePaths) -> Q | None:
    """The filter for what a user may read; None means everything."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    role = user.role
    if role in PROVINCE_WIDE_ROLES:
        return None
    if role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.AUDITOR, Role.DEPARTMENT_LIAISON):
        return _region_q(paths, _region_of(user))
    if role == Role.GRID_WORKER and paths.grid and user.grid_id:
        return Q(**{_id_lookup(paths.grid): user.grid_id})
    if role in (Role.SAFETY_MANAGER, Role.WORKER) and paths.enterprise and user.enterprise_id:
        return Q(**{_id_lookup(paths.enterprise): user.enterprise_id})
    if role == Role.INSTITUTION_STAFF and paths.institution and user.institution_id:
        return Q(**{_id_lookup(paths.institution): user.institution_id})
    return Q(pk__in=[])


def _id_lookup(path: str) -> str:
    return "pk" if path == "pk" else f"{path}_id"


def scope_queryset(user: Any, queryset: QuerySet[M], paths: ScopePaths) -> QuerySet[M]:
    q = scope_q(user, paths)
    return queryset if q is None else queryset.filter(q)


def can_write(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role not in READ_ONLY_ROLES


def require_write(user: Any) -> None:
    if not can_write(user):
        raise PermissionDenied(_("Your role may read but not change records."))


def require_role(user: Any, *roles: str) -> None:
    if not getattr(user, "is_authenticated", False) or user.role not in roles:
        raise PermissionDenied(_("Your role cannot do this."))


def regions_visible(user: Any) -> QuerySet[Region]:
    """Regions a user may pick or read: their own region and everything under it."""
    qs = Region.objects.all()
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.role in PROVINCE_WIDE_ROLES:
        return qs
    region = _region_of(user)
    if user.role == Role.GRID_WORKER and user.grid_id:
        grid = user.grid
        return qs.filter(pk__in=[grid.city_id, grid.county_id, grid.township_id])
    if user.role in (Role.SAFETY_MANAGER, Role.WORKER) and user.enterprise_id:
        e = user.enterprise
        return qs.filter(pk__in=[e.city_id, e.county_id, e.township_id])
    if region is None:
        return qs if user.role == Role.AUDITOR else qs.none()
    if region.level == Region.Level.PROVINCE:
        return qs
    if region.level == Region.Level.CITY:
        return qs.filter(Q(pk=region.pk) | Q(city_id=region.pk))
    if region.level == Region.Level.COUNTY:
        return qs.filter(Q(pk=region.pk) | Q(county_id=region.pk))
    return qs.filter(pk=region.pk)


def home_region(user: Any) -> Region | None:
    """The region a user's dashboards are about (None: not a regional role)."""
    if user.role in PROVINCE_WIDE_ROLES or (user.role == Role.AUDITOR and user.region is None):
        return Region.objects.filter(level=Region.Level.PROVINCE).first()
    if user.role in (
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.AUDITOR,
        Role.DEPARTMENT_LIAISON,
    ):
        return _region_of(user)
    return None


def may_write_anywhere(user: Any) -> bool:
    """Whether a user may create or change records placed anywhere in the province."""
    return can_write(user) and user.role in PROVINCE_WIDE_ROLES


def may_write_at(
    user: Any,
    *,
    city_id: int | None,
    county_id: int | None,
    grid_id: int | None,
    enterprise_id: int | None = None,
) -> bool:
    """Whether a user may create or change a record placed at this city/county/grid/enterprise."""
    if may_write_anywhere(user):
        return True
    if not can_write(user):
        return False
    role = user.role
    if role == Role.CITY_OFFICIAL:
        return city_id is not None and city_id == user.region_id
    if role == Role.COUNTY_OFFICIAL:
        return county_id is not None and county_id == user.region_id
    if role == Role.GRID_WORKER:
        return grid_id is not None and grid_id == user.grid_id
    if role == Role.SAFETY_MANAGER:
        return enterprise_id is not None and enterprise_id == user.enterprise_id
    return False


def may_change_enterprise(user: Any, enterprise: Any) -> bool:
    """`may_write_at` the place of an enterprise (anything with its city, county and grid ids
    and its pk: a model, or a plain row of one)."""
    return may_write_at(
        user,
        city_id=enterprise.city_id,
        county_id=enterprise.county_id,
        grid_id=enterprise.grid_id,
        enterprise_id=enterprise.pk,
    )
