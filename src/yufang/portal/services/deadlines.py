"""The new worker's registration deadline (R2 Art. 58: within `roster_add_days` of the start of
employment). A worker the enterprise recorded or planned to add (an add on its roster changes,
the start of employment its effective date) whose registration the bureau has not approved is
warned of in the enterprise's inbox from `roster_add_warning_days` before the deadline, and
flagged late after it. The daily run tells the enterprise's safety managers once per stage
(`RosterDeadlineNotice`), by inbox, e-mail and SMS."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from yufang.portal.models import DeadlineStage, RosterChange, RosterDeadlineNotice
from yufang.portal.selectors import Unregistered, unregistered_adds
from yufang.portal.services.notices import notify_enterprise


def _title(stage: str, count: int, first: dt.date) -> str:
    if stage == DeadlineStage.LATE:
        return _(
            "%(n)s new workers were not registered for work-injury insurance within the "
            "deadline (the first on %(date)s)"
        ) % {"n": count, "date": first.isoformat()}
    return _("Register %(n)s new workers for work-injury insurance: the deadline is %(date)s") % {
        "n": count,
        "date": first.isoformat(),
    }


@transaction.atomic
def roster_deadline_warnings_send(*, today: dt.date) -> int:
    """Tells each enterprise of its workers whose registration deadline is near or passed,
    once per worker and stage; returns how many workers it told of. Running it again the same
    day (or the next) tells nobody twice."""
    pending = unregistered_adds(RosterChange.objects.all(), today)
    due = [u for u in pending if u.stage]
    told = set(
        RosterDeadlineNotice.objects.filter(
            roster_change_id__in=[u.change.pk for u in due]
        ).values_list("roster_change_id", "stage")
    )
    # A worker first seen late is told it is late, not that it is near.
    fresh = [u for u in due if (u.change.pk, u.stage) not in told]
    if not fresh:
        return 0
    # The unique constraint is the last word: a concurrent run's rows are skipped here.
    RosterDeadlineNotice.objects.bulk_create(
        [
            RosterDeadlineNotice(roster_change=u.change, stage=u.stage, deadline=u.deadline)
            for u in fresh
        ],
        ignore_conflicts=True,
    )
    grouped: dict[tuple[int, str], list[Unregistered]] = defaultdict(list)
    for u in fresh:
        grouped[(u.change.enterprise_id, u.stage)].append(u)
    for (_enterprise_id, stage), rows in grouped.items():
        enterprise: Any = rows[0].change.enterprise
        notify_enterprise(
            enterprise,
            title=_title(stage, len(rows), rows[0].deadline),
            body="\n".join(
                f"{u.change.person_name} {u.change.id_masked}: "
                + _("started %(start)s, register by %(deadline)s")
                % {"start": u.change.effective_on.isoformat(), "deadline": u.deadline.isoformat()}
                for u in rows[:50]
            ),
            url=reverse("portal:roster"),
        )
    return len(fresh)
