"""Targeting and key people."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.support.bounds import bounded_year
from yufang.support.http import spreadsheet_response
from yufang.support.topics import Topic
from yufang.training import selectors as sel
from yufang.training.models import (
    KeyRole,
)
from yufang.training.views.common import (
    PLANNERS,
    _page,
)


@login_required
def targeting(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.role not in (*PLANNERS, Role.AUDITOR, Role.INSTITUTION_STAFF, Role.GRID_WORKER):
        raise PermissionDenied(_("Targeting is for officials."))
    year = bounded_year(request.GET.get("year")) or timezone.localdate().year
    targets = sel.training_targets(user, year=year)
    hours = sel.key_people_hours(user, role=request.GET.get("key_role", ""))
    today = timezone.localdate()
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("training targets"),
            [
                pgettext("training", "enterprise"),
                _("credit code"),
                _("city"),
                _("county"),
                _("open hazard topics"),
                _("priority rank"),
            ],
            (
                [
                    t.enterprise.name,
                    t.enterprise.credit_code,
                    t.enterprise.city.name,
                    t.enterprise.county.name,
                    "、".join(str(Topic(x).label) for x in t.topics),
                    t.priority_rank or "",
                ]
                for t in targets
            ),
        )
    topics = sorted({x for t in targets for x in t.topics})
    return render(
        request,
        "training/targeting.html",
        {
            "year": year,
            "targets": _page(request, targets),
            "recommendations": sel.recommendations_for(user, topics),
            "topic_labels": [Topic(t).label for t in topics],
            "hours": [(h, h.meets_rule(today)) for h in hours[:200]],
            "coverage": sel.key_people_coverage(hours, on=today),
            "today": today,
            "roles": [c for c in KeyRole.choices if c[0] != KeyRole.OTHER],
            "key_role": request.GET.get("key_role", ""),
        },
    )
