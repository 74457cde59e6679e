"""Who the portal tells: the enterprise's safety managers, and the officials of its region."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yufang.accounts.models import Role, User
from yufang.notifications.services import notify


def enterprise_people(enterprise: Any) -> list[Any]:
    return list(
        User.objects.filter(enterprise=enterprise, role=Role.SAFETY_MANAGER, is_active=True)
    )


def bureau_people(enterprise: Any) -> list[Any]:
    """The officials whose region holds the enterprise (its county's and its city's)."""
    return list(
        User.objects.filter(
            Q(role=Role.CITY_OFFICIAL, region_id=enterprise.city_id)
            | Q(role=Role.COUNTY_OFFICIAL, region_id=enterprise.county_id),
            is_active=True,
        )
    )


def notify_enterprise(enterprise: Any, *, title: str, body: str = "", url: str = "") -> None:
    """A decision reaches the enterprise in its inbox, by e-mail and by SMS."""
    notify(
        recipients=enterprise_people(enterprise),
        title=title,
        body=body,
        url=url,
        by_email=True,
        by_sms=True,
    )


def notify_bureau(enterprise: Any, *, title: str, body: str = "", url: str = "") -> None:
    notify(recipients=bureau_people(enterprise), title=title, body=body, url=url, by_email=True)
