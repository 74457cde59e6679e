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
from yufang.regions.models import Grid, Region

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
    if role == Role.GRID_WORKER and paths.grid:
        return Q(**{f"{_id_lookup(paths.grid)}__in": worker_grid_ids(user)})
    if role in (Role.SAFETY_MANAGER, Role.WORKER) and paths.enterprise and user.enterprise_id:
        return Q(**{_id_lookup(paths.enterprise): user.enterprise_id})
    if role == Role.INSTITUTION_STAFF and paths.institution and user.institution_id:
        return Q(**{_id_lookup(paths.institution): user.institution_id})
    return Q(pk__in=[])


def worker_grid_ids(user: Any) -> QuerySet[Grid, Any]:
    """The grids a grid worker works: their account's grid and every grid they are assigned to
    now (the grid module's assignments, reached by the relation's name, not imported)."""
    return (
        Grid.objects.filter(
            Q(pk=user.grid_id)
            | Q(worker_assignments__worker_id=user.pk, worker_assignments__ended_on__isnull=True)
        )
        .values("pk")
        .distinct()
    )


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
    if user.role == Role.GRID_WORKER:
        grids = Grid.objects.filter(pk__in=worker_grid_ids(user))
        return qs.filter(
            Q(pk__in=grids.values("city_id"))
            | Q(pk__in=grids.values("county_id"))
            | Q(pk__in=grids.values("township_id"))
        )
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
        return grid_id is not None and worker_grid_ids(user).filter(pk=grid_id).exists()
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


# Which of an enterprise's fields each role may write (the keys of `enterprise_clean`'s input,
# the API's and the import columns'). Industry, risk class, region, size and headcounts set the
# premium and the injury rates: they are the HRSS bureau's data. Contact and location details
# are the enterprise's own, and a grid worker keeps them up to date for the grid's enterprises.
ENTERPRISE_CONTACT_FIELDS = frozenset(
    {"address", "contact_person", "contact_phone", "latitude", "longitude"}
)
ENTERPRISE_BUREAU_FIELDS = frozenset(
    {
        "credit_code",
        "credit_code_exception",
        "name",
        "county",
        "township",
        "grid",
        "industry",
        "size",
        "risk_class_override",
        "risk_class_override_reason",
        "is_key_industry",
        "headcount_year",
        "insured_headcount",
        "hours_worked",
    }
)
ENTERPRISE_FIELDS = ENTERPRISE_CONTACT_FIELDS | ENTERPRISE_BUREAU_FIELDS
# What a grid worker gives when registering an enterprise met in the grid: who and where it is
# and its industry; the class follows from the industry, the headcounts come from the bureau.
ENTERPRISE_REGISTRATION_FIELDS = ENTERPRISE_FIELDS - {
    "risk_class_override",
    "risk_class_override_reason",
    "is_key_industry",
    "headcount_year",
    "insured_headcount",
    "hours_worked",
}


def enterprise_fields_writable(user: Any, *, creating: bool = False) -> frozenset[str]:
    """The enterprise fields this user may set (creating) or change (an existing enterprise
    already in their scope: `may_change_enterprise` says which)."""
    if not can_write(user):
        return frozenset()
    if user.role in OFFICIAL_ROLES or user.role in PROVINCE_WIDE_ROLES:
        return ENTERPRISE_FIELDS
    if user.role == Role.GRID_WORKER:
        return ENTERPRISE_REGISTRATION_FIELDS if creating else ENTERPRISE_CONTACT_FIELDS
    if user.role == Role.SAFETY_MANAGER and not creating:
        return ENTERPRISE_CONTACT_FIELDS
    return frozenset()


def enterprise_work_q(user: Any) -> Q | None:
    """Enterprises a user may pick to work at (assess, report a hazard at, train, record a
    case for): those in their scope, and for institution staff the enterprises of their
    institution's city, where they are contracted to work. None means every enterprise."""
    city_id = institution_city_id(user) if getattr(user, "is_active", False) else None
    if city_id is not None:
        return Q(city_id=city_id)
    return scope_q(user, ScopePaths(city="city", county="county", grid="grid", enterprise="pk"))


# --- records about one person ---------------------------------------------------------------

# Roles that read a region's statistics, not the people behind them: a record about a person
# (an injured worker's case) shows them a masked name and no ID number.
STATISTICS_ONLY_ROLES = frozenset({Role.DEPARTMENT_LIAISON})


def personal_scope_q(user: Any, paths: ScopePaths, *, person_digest: str) -> Q | None:
    """The filter for records about one person, such as an injured worker's case: `scope_q`,
    except that a worker reads only the records about themself, wherever they happened.

    A user's own ID number is kept only by their trainee record (`Trainee.id_digest`, the same
    keyed digest the records carry at `person_digest`): a worker without one reads none.
    """
    if getattr(user, "is_authenticated", False) and user.is_active and user.role == Role.WORKER:
        own = User.objects.filter(pk=user.pk, trainee__id_digest__gt="").values(
            "trainee__id_digest"
        )
        return Q(**{f"{person_digest}__in": own})
    return scope_q(user, paths)


def sees_person_names(user: Any) -> bool:
    """Whether records about a person show them their name in full and their (masked) ID
    number; otherwise the name is masked and the ID number not shown."""
    return getattr(user, "role", None) not in STATISTICS_ONLY_ROLES


def scope_q_any(user: Any, *paths: ScopePaths) -> Q | None:
    """Records a user reaches by any of several paths (a record placed in one region may serve
    another's enterprises); None means everything."""
    found = Q(pk__in=[])
    for p in paths:
        q = scope_q(user, p)
        if q is None:
            return None
        found |= q
    return found


# Training is read by where it is held and by whom it serves: a hall session of a city's base
# trains the counties' and grids' enterprises, so a county official or grid worker follows the
# sessions their enterprises booked or attended, not only those held in their area.
TRAINING_SESSION_HELD = ScopePaths(
    city="city",
    county="county",
    grid="enterprise__grid",
    enterprise="enterprise",
    institution="institution",
)
TRAINING_ENROLLMENT_HELD = ScopePaths(
    city="session__city",
    county="session__county",
    grid="session__enterprise__grid",
    enterprise="session__enterprise",
    institution="session__institution",
)
TRAINING_ENROLLMENT_SERVED = (
    ScopePaths.via_enterprise("trainee__enterprise"),
    ScopePaths.via_enterprise("enterprise"),
)


def training_enrollments_q(user: Any) -> Q | None:
    """Enrollments a user reads: of sessions held in the scope, or of the scope's enterprises'
    people (employed there, or booked by one). A worker reads only their own."""
    own = own_records_q(user, "trainee__user")
    if own is not None:
        return own
    return scope_q_any(user, TRAINING_ENROLLMENT_HELD, *TRAINING_ENROLLMENT_SERVED)


def training_sessions_q(user: Any, enrollments: QuerySet[Any]) -> Q | None:
    """Sessions a user reads: held in the scope, or with enrollments of the scope's enterprises
    (`enrollments` is the enrollment model's queryset; the backbone does not import training).
    An enterprise's people also see the hall sessions of their city, to book them."""
    held = scope_q(user, TRAINING_SESSION_HELD)
    served = scope_q_any(user, *TRAINING_ENROLLMENT_SERVED)
    if held is None or served is None:
        return None
    q = held | Q(pk__in=enrollments.filter(served).values("session_id"))
    if getattr(user, "role", None) in (Role.SAFETY_MANAGER, Role.WORKER) and user.enterprise_id:
        q |= Q(kind="hall", city_id=user.enterprise.city_id)
    return q


def training_read_q(user: Any, *, session: str, enterprise: str) -> Q | None:
    """Other training records (feedback, attempts): reached through their session's place or
    their trainee's enterprise."""
    return scope_q_any(
        user,
        ScopePaths(
            city=f"{session}__city",
            county=f"{session}__county",
            institution=f"{session}__institution",
        ),
        ScopePaths.via_enterprise(enterprise),
    )


def may_manage_account(actor: Any, user: Any) -> bool:
    """An official (or administrator) manages the accounts of the roles they may open, inside
    their own scope: unlocks them, sets their passwords, (de)activates them."""
    from yufang.accounts.selectors import users_visible
    from yufang.accounts.services import CREATABLE_ROLES

    if not getattr(actor, "is_authenticated", False) or actor.pk == user.pk:
        return False
    if user.role not in CREATABLE_ROLES.get(actor.role, frozenset()):
        return False
    return users_visible(actor).filter(pk=user.pk).exists()


def require_manages_account(actor: Any, user: Any) -> None:
    if not may_manage_account(actor, user):
        raise PermissionDenied(_("You cannot change this account."))


# --- a worker's own records, and what a record about a person shows -----------------------


def own_records_q(user: Any, person_user: str) -> Q | None:
    """For a worker, the filter to the records about themself (`person_user` is the path to
    the person's account, e.g. "trainee__user"); None for every other role, whose records
    follow their scope. A worker's own training records go with them from one employer to the
    next, so they are found by the person, not the enterprise."""
    if getattr(user, "is_authenticated", False) and user.role == Role.WORKER:
        return Q(**{f"{person_user}_id": user.pk})
    return None


def person_phone_shown(user: Any, *, employer_id: int | None) -> str:
    """How a person's mobile number shows to this user: "full" to those who call them (the
    safety manager of their employer, the institution staff running their sessions, the
    person themself), "masked" (138****1234) to other roles that see people, "" (not shown)
    to those that read statistics (`STATISTICS_ONLY_ROLES`)."""
    role = getattr(user, "role", None)
    if not sees_person_names(user):
        return ""
    if role in (Role.WORKER, Role.INSTITUTION_STAFF):
        return "full"
    if role == Role.SAFETY_MANAGER and employer_id is not None:
        return "full" if employer_id == user.enterprise_id else "masked"
    return "masked"


# --- who owns shared training records ----------------------------------------------------

# The province owns the question bank shared by every exam; a region or institution adds its
# own questions and changes only those (`Question.region` / `Question.institution`).


def may_change_question(user: Any, *, region_id: int | None, institution_id: int | None) -> bool:
    """Whether a user may change (or retire) a question owned by this region or institution
    (both None: the province's shared bank)."""
    if not can_write(user):
        return False
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    if user.role == Role.INSTITUTION_STAFF:
        return institution_id is not None and institution_id == user.institution_id
    if user.role in OFFICIAL_ROLES:
        return region_id is not None and region_id == user.region_id and institution_id is None
    return False


def institution_city_id(user: Any) -> int | None:
    """The city an institution's staff work in (its bases, halls and sessions are there);
    None for other roles."""
    if getattr(user, "role", None) == Role.INSTITUTION_STAFF and user.institution_id:
        return int(user.institution.city_id)
    return None


# --- where institution staff work; who answers an escalation ----------------------------------


def may_work_at(user: Any, enterprise: Any, *, institution_id: int | None = None) -> bool:
    """Whether a user may work at an enterprise (assess it, report a finding there): where
    they may change records (`may_change_enterprise`). Institution staff work on what is
    assigned to their institution (`institution_id`), and on unassigned work anywhere in
    their institution's city (`institution_city_id`)."""
    if getattr(user, "role", None) == Role.INSTITUTION_STAFF:
        city_id = institution_city_id(user) if user.is_active else None
        if city_id is None:
            return False
        if institution_id is not None:
            return bool(institution_id == user.institution_id)
        return bool(enterprise.city_id == city_id)
    return may_change_enterprise(user, enterprise)


def may_answer_escalation(user: Any, escalation: Any) -> bool:
    """An escalation is answered by the officials it is addressed to (those of its region)
    and by province-wide roles; others may read it."""
    if not can_write(user):
        return False
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    return user.role in (Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL) and bool(
        user.region_id == escalation.region_id
    )
