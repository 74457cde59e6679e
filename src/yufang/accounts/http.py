from __future__ import annotations

from django.http import HttpRequest

from yufang.accounts.models import User


class AuthedRequest(HttpRequest):
    """A request behind @login_required: `user` is a real account, for the type checker."""

    user: User  # type: ignore[assignment]
