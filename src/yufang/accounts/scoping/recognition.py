"""Who may see and do what in the recognition module. The rules live here, with the rest of the
platform's scope rules; they name the module's records by their fields, never import them.

Accident reports and recognition applications belong to an enterprise: its safety manager
reports, applies and answers the bureau; the HRSS officials of its county and city (and the
province) check, accept and decide; the auditor reads. Other roles have no business with them
(403). The worker or a relative applies through the public page with a verified phone.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    OFFICIAL_ROLES,
    PROVINCE_WIDE_ROLES,
    ScopePaths,
    can_write,
    may_change_enterprise,
    scope_q,
)

RECOGNITION_PATHS = ScopePaths.via_enterprise("enterprise")
# The bureau: officials of the enterprise's county and city, and province-wide roles.
RECOGNITION_HANDLERS = frozenset(OFFICIAL_ROLES | PROVINCE_WIDE_ROLES)
RECOGNITION_READERS = RECOGNITION_HANDLERS | {Role.AUDITOR, Role.SAFETY_MANAGER}


def recognition_role(user: Any) -> str:
    """ "bureau", "enterprise", "auditor", or "" for a role with no business here."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ""
    if user.role in RECOGNITION_HANDLERS:
        return "bureau"
    if user.role == Role.SAFETY_MANAGER and user.enterprise_id:
        return "enterprise"
    if user.role == Role.AUDITOR:
        return "auditor"
    return ""


def require_recognition_reader(user: Any) -> None:
    if not recognition_role(user):
        raise PermissionDenied(
            _("Accident reports and injury recognition are not part of your role.")
        )


def recognition_q(user: Any) -> Q | None:
    """The accident reports and applications a user reads (None: all)."""
    if not recognition_role(user):
        return Q(pk__in=[])
    return scope_q(user, RECOGNITION_PATHS)


def recognition_records(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    q = recognition_q(user)
    return queryset if q is None else queryset.filter(q)


def may_handle_recognition(user: Any, enterprise: Any) -> bool:
    """Whether a user acts for the bureau on this enterprise's applications: checks, asks for
    materials, accepts, suspends, decides."""
    return (
        can_write(user)
        and getattr(user, "role", None) in RECOGNITION_HANDLERS
        and may_change_enterprise(user, enterprise)
    )


def may_act_for_enterprise(user: Any, enterprise: Any) -> bool:
    """Whether a user reports accidents and applies as this employer: its safety manager, or
    the bureau registering what the enterprise handed in at the counter."""
    if not can_write(user):
        return False
    if user.role == Role.SAFETY_MANAGER:
        return bool(user.enterprise_id == enterprise.pk)
    return may_handle_recognition(user, enterprise)


def applicant_phone_shown(user: Any) -> str:
    """How an applicant's phone shows: in full to the bureau that calls them, masked to the
    enterprise and the auditor."""
    return "full" if recognition_role(user) == "bureau" else "masked"
