from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import ApiToken, LoginFailure, Role, User
from yufang.audit.services import audit_create
from yufang.lib.errors import InvalidInput


class LoginError(InvalidInput):
    pass


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR")


def login_locked_until(username: str) -> dt.datetime | None:
    """When the lockout for a username ends, or None if it is not locked."""
    window = dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    since = timezone.now() - window
    failures = list(
        LoginFailure.objects.filter(username=username, at__gte=since)
        .order_by("-at")
        .values_list("at", flat=True)[: settings.LOGIN_FAILURE_LIMIT]
    )
    if len(failures) < settings.LOGIN_FAILURE_LIMIT:
        return None
    return failures[0] + window


def login_check(request: HttpRequest | None, *, username: str, password: str) -> User:
    """Check a username (or phone) and password, counting failures toward a lockout."""
    username = username.strip()
    locked_until = login_locked_until(username)
    if locked_until is not None:
        minutes = max(1, int((locked_until - timezone.now()).total_seconds() // 60) + 1)
        raise LoginError(
            _("Too many failed sign-ins. Try again in %(minutes)s minutes.") % {"minutes": minutes}
        )
    user = authenticate(request, username=username, password=password)
    if user is None:
        LoginFailure.objects.create(username=username, ip_address=_client_ip(request))
        raise LoginError(_("The username or phone number and password do not match."))
    LoginFailure.objects.filter(username=username).delete()
    return user  # type: ignore[return-value]


def api_token_issue(*, user: User) -> tuple[str, ApiToken]:
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=ApiToken.digest_of(key),
        expires_at=timezone.now() + dt.timedelta(days=settings.API_TOKEN_DAYS),
    )
    return key, token


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


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    phone: str | None = None,
    **scope: Any,
) -> User:
    user = User(
        username=username, role=Role(role), full_name=full_name, phone=phone or None, **scope
    )
    user.set_password(password)
    user.is_staff = role == Role.ADMIN
    user.is_superuser = role == Role.ADMIN
    user.full_clean()
    user.save()
    audit_create(actor, user)
    return user
