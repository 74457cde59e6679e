"""Rate limits for public pages and API operations, with django-ratelimit.

`@ratelimit(key=client_address, rate="30/m", block=True)` on a view or an API operation: a
blocked request answers 429 with a message in the user's language (`rate_limited` for pages;
the API's handler for `Ratelimited`). Counts live in the default cache: Redis in production, so
every server process counts together.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from yufang.support.http import client_address as _address


def client_address(group: str, request: HttpRequest) -> str:
    """django-ratelimit's key: the real client address behind the trusted proxies."""
    return _address(request)


def rate_limited(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """The page a blocked request gets (settings.RATELIMIT_VIEW)."""
    message = _("Too many requests from your address. Please wait a minute and try again.")
    return render(request, "rate_limited.html", {"message": message}, status=429)
