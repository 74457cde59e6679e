from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from yufang.accounts.http import AuthedRequest
from yufang.accounts.selectors import users_visible
from yufang.accounts.services import (
    api_token_issue,
    api_token_revoke,
    login_check,
    login_unlock,
    user_password_change,
    user_password_set,
)

router = Router(tags=["auth"])


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=128)


class TokenOut(Schema):
    token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth token type, not a secret
    expires_at: dt.datetime


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    role: str
    region: str | None = None
    grid: str | None = None
    enterprise_id: int | None = None
    institution_id: int | None = None
    department_id: int | None = None


@router.post("/token", auth=None, response=TokenOut)
def token_create(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """Exchange a username (or phone number) and password for a bearer token."""
    user = login_check(request, username=payload.username, password=payload.password)
    key, token = api_token_issue(user=user)
    return TokenOut(token=key, expires_at=token.expires_at)


@router.delete("/token", response={204: None})
def token_revoke(request: AuthedRequest) -> Status:
    """Revoke the bearer token used for this request (sign a client out)."""
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        api_token_revoke(key=header[7:].strip())
    return Status(204, None)


class PasswordChangeIn(Schema):
    old_password: str = Field(max_length=128)
    new_password: str = Field(max_length=128)


class PasswordSetIn(Schema):
    password: str = Field(max_length=128)


@router.post("/password", response={204: None})
def password_change(request: AuthedRequest, payload: PasswordChangeIn) -> Status:
    """Change your own password (the current one is asked)."""
    user_password_change(
        user=request.user, old_password=payload.old_password, new_password=payload.new_password
    )
    return Status(204, None)


@router.post("/users/{user_id}/password", response={204: None})
def user_password(request: AuthedRequest, user_id: int, payload: PasswordSetIn) -> Status:
    """An official sets a new password for an account they manage; its tokens are revoked."""
    user = get_object_or_404(users_visible(request.user), pk=user_id)
    user_password_set(actor=request.user, user=user, password=payload.password)
    return Status(204, None)


@router.post("/users/{user_id}/unlock", response={204: None})
def user_unlock(request: AuthedRequest, user_id: int) -> Status:
    """An official lifts the sign-in lockout of an account they manage."""
    user = get_object_or_404(users_visible(request.user), pk=user_id)
    login_unlock(actor=request.user, user=user)
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request: AuthedRequest) -> MeOut:
    user = request.user
    return MeOut(
        id=user.pk,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        region=user.region.code if user.region else None,
        grid=user.grid.code if user.grid else None,
        enterprise_id=user.enterprise_id,
        institution_id=user.institution_id,
        department_id=user.department_id,
    )
