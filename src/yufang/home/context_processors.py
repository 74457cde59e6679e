from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from yufang.accounts.scoping import can_write
from yufang.home.navigation import NAV


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": [], "nav_more": [], "can_write": False, "unread_notifications": 0}
    items = []
    for item in NAV:
        if user.role not in item.roles:  # type: ignore[union-attr]
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue  # an area not built yet
        active = request.path == url if item.prefix == "/" else request.path.startswith(item.prefix)
        items.append({"label": item.label, "url": url, "active": active, "more": item.more})
    from yufang.notifications.selectors import unread_count

    return {
        "nav": [i for i in items if not i["more"]],
        "nav_more": [i for i in items if i["more"]],
        "can_write": can_write(user),
        "unread_notifications": unread_count(user),
    }
