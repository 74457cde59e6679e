"""The nightly check of the fee's ledger: a broken chain is told to the province."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from yufang.accounts.models import Role, User
from yufang.funds.services.ledger import Break, ledger_verify


def ledger_check() -> Break | None:
    """Verifies the chain; on a break, notifies the province officials and administrators
    (in-app and by e-mail) naming the first broken entry."""
    from yufang.notifications.services import notify

    broken = ledger_verify()
    if broken is None:
        return None
    recipients = list(
        User.objects.filter(is_active=True, role__in=[Role.PROVINCE_OFFICIAL, Role.ADMIN])
    )
    notify(
        recipients=recipients,
        title=_("The prevention fee's ledger is broken at entry #%(n)s") % {"n": broken.entry_id},
        body=_("An entry no longer matches its hash or its link: check who changed it."),
        url=reverse("funds:ledger") + "?verify=1",
        by_email=True,
    )
    return broken
