"""The injuries domain's to-dos on the home page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping import (
    OFFICIAL_ROLES,
    scope_q,
)
from yufang.injuries.models import (
    InjuryCase,
)
from yufang.injuries.selectors.cases import (
    _enterprises_without_headcount,
    _years_with_cases_without_headcount,
)
from yufang.injuries.selectors.filters import CASE_PATHS


def injury_todos(user: Any) -> list[Any]:
    """Officials: enterprises with injury cases in a year without an insured headcount."""
    from yufang.support.todos import Todo

    if getattr(user, "role", None) not in OFFICIAL_ROLES:
        return []
    # Recent years only. The provider runs on every home page: the rollup's count of cases
    # without a headcount says which years to look at, usually none, instead of a scan of
    # every case of those years.
    since = timezone.localdate().year - 2
    years = [year for year in _years_with_cases_without_headcount(user) if year >= since]
    if not years:
        return []
    q = scope_q(user, CASE_PATHS)
    missing = len(
        set().union(
            *_enterprises_without_headcount(InjuryCase.objects.filter(q or Q()), years).values()
        )
    )
    if not missing:
        return []
    return [
        Todo(
            _("%(n)s enterprises have injury cases in a year without an insured headcount.")
            % {"n": missing},
            reverse("injuries:cases") + f"?missing_headcount=1&year_from={since}",
            "warning",
        )
    ]
