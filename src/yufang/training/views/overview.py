"""The training overview."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.training import selectors as sel
from yufang.training.views.common import (
    PLANNERS,
    RUNNERS,
)


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    user = request.user
    year = timezone.localdate().year
    card = sel.training_card(user, year=year)
    months = sel.training_statistics(user, year=year, dimension="month")
    return render(
        request,
        "training/index.html",
        {
            "card": card,
            "upcoming": sel.session_list(user, sel.SessionFilter(upcoming=True))[:8],
            "chart": sel.months_chart(months, title=_("person-times")),
            "months": months,
            "total": sel.statistics_total(months),
            "definition": sel.PERSON_TIMES_DEFINITION,
            "trainee": sel.trainee_for_user(user),
            "is_runner": user.role in RUNNERS,
            "is_planner": user.role in PLANNERS,
        },
    )
