from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import ApiToken, Role, User
from yufang.audit.models import AuditEntry
from yufang.audit.services import (
    audit_create,
    audit_event,
    audit_event_unbound,
    audit_update,
    snapshot,
)
from yufang.lib.errors import InvalidInput
from yufang.support.http import client_address


class LoginError(InvalidInput):
    pass


class LoginLocked(LoginError):
    """Too many failures for the account or the source address: refused without a check."""


def login_account_name(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The account a typed name reaches (username or phone), so that failures count against
    the account whichever name was typed; an unknown name counts as typed."""
    typed = str((credentials or {}).get("username") or "").strip()
    if not typed and request is not None:
        typed = str(request.POST.get("username", "")).strip()
    if not typed:
        return ""
    account = (
        User.objects.filter(Q(username=typed) | Q(phone=typed)).values_list("username", flat=True)
    ).first()
    return account or typed


def login_client_address(request: HttpRequest) -> str | None:
    """The client's address, as the rate limits count it (django-axes calls this)."""
    return client_address(request) or None


def login_lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """The login page and the token endpoint say the lockout themselves (login_check raises
    LoginLocked): keep their answer."""
    if original_response is not None:
        return original_response
    return HttpResponse(_("Too many failed sign-ins."), status=429)


def _lockout_message() -> str:
    minutes = settings.LOGIN_LOCKOUT_MINUTES
    return _("Too many failed sign-ins. Try again in %(minutes)s minutes.") % {"minutes": minutes}


def login_check(request: HttpRequest | None, *, username: str, password: str) -> User:
    """Check a username (or phone) and password. django-axes counts the failures and refuses
    a locked account or address; sign-ins to one account are checked one at a time, so that
    a burst of simultaneous guesses cannot all be checked before the lock takes effect."""
    username = username.strip()
    with transaction.atomic():
        # The row lock makes each attempt wait for the one before it to record its failure
        # (SQLite's immediate transactions serialise all of them).
        list(
            User.objects.select_for_update()
            .filter(Q(username=username) | Q(phone=username))
            .values_list("pk", flat=True)
        )
        user = authenticate(request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise LoginLocked(_lockout_message())
    if user is None:
        raise LoginError(_("The username or phone number and password do not match."))
    return user  # type: ignore[return-value]


def login_unlock(*, actor: User, user: User) -> None:
    """An official lifts the lockout of an account they manage (and its failures)."""
    from axes.utils import reset

    from yufang.accounts.scoping import require_manages_account

    require_manages_account(actor, user)
    with transaction.atomic():
        reset(username=user.username)
        audit_event(actor, user, AuditEntry.Action.UNLOCK, reason=_("sign-in lockout lifted"))


def login_lockout_record(*, request: HttpRequest | None, username: str) -> None:
    """A lockout goes into the audit log (django-axes' user_locked_out signal)."""
    user = User.objects.filter(username=username).first()
    address = login_client_address(request) if request is not None else None
    reason = _("locked after %(limit)s failed sign-ins from %(address)s") % {
        "limit": settings.LOGIN_FAILURE_LIMIT,
        "address": address or "?",
    }
    if user is not None:
        audit_event(None, user, AuditEntry.Action.LOCKOUT, reason=reason)
    else:
        audit_event_unbound(
            AuditEntry.Action.LOCKOUT, model="accounts.User", object_repr=username, reason=reason
        )


def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(key),
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS),
    )
    return key, token


def api_token_revoke(*, key: str) -> None:
    ApiToken.objects.filter(digest=ApiToken.digest_of(key)).delete()


def api_token_user(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=ApiToken.digest_of(key), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


class UserInvalid(InvalidInput):
    pass


# Which roles each role may create accounts for (inside its own scope).
CREATABLE_ROLES: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(Role),
    Role.PROVINCE_OFFICIAL: frozenset(Role) - {Role.ADMIN},
    Role.CITY_OFFICIAL: frozenset(
        {
            Role.COUNTY_OFFICIAL,
            Role.GRID_WORKER,
            Role.SAFETY_MANAGER,
            Role.WORKER,
            Role.DEPARTMENT_LIAISON,
        }
    ),
    Role.COUNTY_OFFICIAL: frozenset({Role.GRID_WORKER, Role.SAFETY_MANAGER, Role.WORKER}),
}
PHONE_PATTERN = re.compile(r"^1\d{10}$")


def _scope_for(
    actor: Any, role: str, scope: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Resolve the scope codes a form or API sends into the records the role binds to,
    refusing anything outside the actor's own scope."""
    from yufang.accounts.scoping import regions_visible
    from yufang.accounts.scoping.institutions import institution_refused, institutions_pickable
    from yufang.enterprises.selectors import enterprises_visible
    from yufang.organisations.models import Department
    from yufang.regions.models import Region
    from yufang.regions.selectors import grids_visible
    from yufang.support.bounds import bounded_id

    errors: dict[str, str] = {}
    bound: dict[str, Any] = {}
    region_code = scope.get("region", "").strip()
    if role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL) or (role == Role.AUDITOR and region_code):
        levels: dict[str, int] = {
            Role.CITY_OFFICIAL: Region.Level.CITY,
            Role.COUNTY_OFFICIAL: Region.Level.COUNTY,
        }
        level = levels.get(role)
        region = regions_visible(actor).filter(code=region_code).first()
        if region is None or (level is not None and region.level != level):
            errors["region"] = _("Give a region code in your scope at the level this role needs.")
        bound["region"] = region
    elif role == Role.GRID_WORKER:
        bound["grid"] = grids_visible(actor).filter(code=scope.get("grid", "").strip()).first()
        if bound["grid"] is None:
            errors["grid"] = _("Give the code of a grid in your scope.")
    elif role in (Role.SAFETY_MANAGER, Role.WORKER):
        code = scope.get("enterprise", "").strip().upper()
        bound["enterprise"] = (
            enterprises_visible(actor).filter(credit_code=code).first() if code else None
        )
        if bound["enterprise"] is None and (role == Role.SAFETY_MANAGER or code):
            errors["enterprise"] = _("Give the credit code of an enterprise in your scope.")
    elif role == Role.INSTITUTION_STAFF:
        bound["institution"] = (
            institutions_pickable(actor)
            .filter(pk=bounded_id(scope.get("institution")) or 0)
            .first()
        )
        if bound["institution"] is None:
            errors["institution"] = institution_refused()
    elif role == Role.DEPARTMENT_LIAISON:
        department = Department.objects.filter(pk=scope.get("department") or 0).first()
        if (
            department is None
            or not regions_visible(actor).filter(pk=department.region_id).exists()
        ):
            errors["department"] = _("Choose a member department in your scope.")
        bound["department"] = department
    return bound, errors


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    phone: str = "",
    scope: dict[str, str] | None = None,
) -> User:
    """An official or administrator opens an account for a role inside their own scope."""
    allowed = CREATABLE_ROLES.get(getattr(actor, "role", ""), frozenset())
    if not allowed:
        raise PermissionDenied(_("Your role cannot open accounts."))
    errors: dict[str, str] = {}
    if role not in allowed:
        errors["role"] = _("You cannot open accounts for this role.")
    username = username.strip()
    if not username:
        errors["username"] = _("The username is required.")
    elif User.objects.filter(username=username).exists():
        errors["username"] = _("This username is taken.")
    phone = phone.strip()
    if phone and not PHONE_PATTERN.match(phone):
        errors["phone"] = _("A mobile phone number has 11 digits and starts with 1.")
    elif phone and User.objects.filter(phone=phone).exists():
        errors["phone"] = _("This phone number belongs to another account.")
    try:
        validate_password(password, User(username=username, full_name=full_name))
    except ValidationError as exc:
        errors["password"] = " ".join(str(m) for m in exc.messages)
    bound, scope_errors = (
        _scope_for(actor, role, scope or {}) if not errors.get("role") else ({}, {})
    )
    errors.update(scope_errors)
    if errors:
        raise UserInvalid(errors)
    user = User(
        username=username,
        role=Role(role),
        full_name=full_name.strip(),
        phone=phone or None,
        **bound,
    )
    user.set_password(password)
    user.is_staff = user.is_superuser = role == Role.ADMIN
    user.save()
    audit_create(actor, user)
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: User, is_active: bool) -> User:
    from yufang.accounts.selectors import users_visible

    if (
        getattr(actor, "role", "") not in CREATABLE_ROLES
        or not users_visible(actor).filter(pk=user.pk).exists()
    ):
        raise PermissionDenied(_("You cannot change this account."))
    if user.pk == actor.pk:
        raise UserInvalid(_("You cannot deactivate your own account."), "is_active")
    before = snapshot(user)
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    audit_update(actor, user, before)
    return user


def _password_checked(password: str, user: User, field: str) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise UserInvalid(" ".join(str(m) for m in exc.messages), field) from exc


@transaction.atomic
def user_password_set(*, actor: User, user: User, password: str) -> None:
    """An official sets a new password for an account they manage (someone who forgot
    theirs): its tokens are revoked, its lockout lifted, and the log says who did it."""
    from axes.utils import reset

    from yufang.accounts.scoping import require_manages_account

    require_manages_account(actor, user)
    _password_checked(password, user, "password")
    user.set_password(password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user).delete()
    reset(username=user.username)
    audit_event(actor, user, AuditEntry.Action.PASSWORD, reason=_("set by an official"))


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> None:
    """Someone changes their own password, giving the current one."""
    if not user.check_password(old_password):
        raise UserInvalid(_("The current password is not right."), "old_password")
    _password_checked(new_password, user, "new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_event(user, user, AuditEntry.Action.PASSWORD, reason=_("changed by its owner"))


def login_locked_usernames(usernames: list[str]) -> set[str]:
    """Which of these accounts are locked out now."""
    from axes.models import AccessAttempt

    since = timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return set(
        AccessAttempt.objects.filter(
            username__in=usernames,
            failures_since_start__gte=settings.LOGIN_FAILURE_LIMIT,
            attempt_time__gte=since,
        ).values_list("username", flat=True)
    )
