"""Who may see and do what in the grid module. The rules live here, with the rest of the
platform's scope rules; they name the module's records by their fields, never import them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    OFFICIAL_ROLES,
    PROVINCE_WIDE_ROLES,
    ScopePaths,
    can_write,
    may_write_at,
    scope_queryset,
)

# Officials read coverage, the county's view and the duty lists; the auditor reads them too.
GRID_OFFICIAL_READERS = frozenset({*OFFICIAL_ROLES, *PROVINCE_WIDE_ROLES, Role.AUDITOR})
# A grid worker also reads their own tasks, screenings and duty list.
GRID_READERS = GRID_OFFICIAL_READERS | {Role.GRID_WORKER}

# Tasks, screenings and assignments are placed by their grid.
BY_GRID = ScopePaths(city="grid__city", county="grid__county", grid="grid")
GRIDS = ScopePaths(city="city", county="county", grid="pk")
# Duty lists belong to a county.
DUTY_LISTS = ScopePaths(city="county__city", county="county")


def require_grid_reader(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or user.role not in GRID_READERS:
        raise PermissionDenied(_("Your role has no business with grid screening."))


def require_grid_official(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or user.role not in GRID_OFFICIAL_READERS:
        raise PermissionDenied(_("Only officials read grid coverage."))


def require_grid_planner(user: Any) -> None:
    """Officials (and administrators) who may write: plan, publish duty lists, exchange."""
    if not can_write(user) or user.role not in (*OFFICIAL_ROLES, *PROVINCE_WIDE_ROLES):
        raise PermissionDenied(_("Only officials plan grid screening."))


def by_grid(user: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    """Records placed by their `grid` that the user may read (none for other roles)."""
    if not getattr(user, "is_authenticated", False) or user.role not in GRID_READERS:
        return qs.none()
    return scope_queryset(user, qs, BY_GRID)


def grids_read(user: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    if not getattr(user, "is_authenticated", False) or user.role not in GRID_READERS:
        return qs.none()
    return scope_queryset(user, qs, GRIDS)


def duty_lists_read(user: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    """Duty lists of the user's region; a grid worker reads those of their grids' counties."""
    if not getattr(user, "is_authenticated", False) or user.role not in GRID_READERS:
        return qs.none()
    if user.role == Role.GRID_WORKER:
        from yufang.accounts.scoping import worker_grid_ids
        from yufang.regions.models import Grid

        counties = Grid.objects.filter(pk__in=worker_grid_ids(user)).values("county_id")
        return qs.filter(county_id__in=counties)
    return scope_queryset(user, qs, DUTY_LISTS)


def may_manage_grid(user: Any, grid: Model) -> bool:
    """County officials manage their county's grids (workers, enterprises, tasks); city and
    province officials and administrators may too. Grid workers and the auditor may not."""
    if not can_write(user) or user.role not in (*OFFICIAL_ROLES, *PROVINCE_WIDE_ROLES):
        return False
    return may_write_at(
        user,
        city_id=grid.city_id,  # type: ignore[attr-defined]
        county_id=grid.county_id,  # type: ignore[attr-defined]
        grid_id=None,
    )


def may_edit_duty_list(user: Any, county: Model) -> bool:
    """A duty list is edited by the county's officials (and the city's, province's, admin)."""
    if not can_write(user) or user.role not in (*OFFICIAL_ROLES, *PROVINCE_WIDE_ROLES):
        return False
    return may_write_at(
        user,
        city_id=county.city_id,  # type: ignore[attr-defined]
        county_id=county.pk,
        grid_id=None,
    )


def may_plan_campaign(user: Any, region: Model | None) -> bool:
    """A campaign covers the planner's region or part of it; the whole province only for
    province-wide roles."""
    if not can_write(user) or user.role not in (*OFFICIAL_ROLES, *PROVINCE_WIDE_ROLES):
        return False
    if region is None:
        return user.role in PROVINCE_WIDE_ROLES
    level = region.level  # type: ignore[attr-defined]
    if level == 1:
        return user.role in PROVINCE_WIDE_ROLES
    if level == 2:
        return may_write_at(user, city_id=region.pk, county_id=None, grid_id=None)
    return may_write_at(
        user,
        city_id=region.city_id,  # type: ignore[attr-defined]
        county_id=region.pk if level == 3 else region.county_id,  # type: ignore[attr-defined]
        grid_id=None,
    )


def may_screen(user: Any, task: Model) -> bool:
    """A grid worker records a screening for a task of a grid they work."""
    if not can_write(user) or user.role != Role.GRID_WORKER:
        return False
    return may_write_at(user, city_id=None, county_id=None, grid_id=task.grid_id)  # type: ignore[attr-defined]
