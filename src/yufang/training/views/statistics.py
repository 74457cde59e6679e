"""Statistics and feedback."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yufang.accounts.http import AuthedRequest
from yufang.support.bounds import bounded_year
from yufang.support.http import spreadsheet_response
from yufang.training import selectors as sel


@login_required
def statistics(request: AuthedRequest) -> HttpResponse:
    user = request.user
    year = bounded_year(request.GET.get("year")) or timezone.localdate().year
    dimension = request.GET.get("by", "city")
    if dimension not in sel.STAT_DIMENSIONS:
        dimension = "city"
    rows = sel.training_statistics(user, year=year, dimension=dimension)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("training statistics"),
            [
                dimension,
                _("sessions"),
                _("person-times"),
                _("enterprises reached"),
                _("exam attempts"),
                _("passed"),
                _("pass rate (%)"),
            ],
            (
                [
                    r["label"],
                    r["sessions"],
                    r["person_times"],
                    r["enterprises"],
                    r["attempts"],
                    r["passed"],
                    r["pass_rate"],
                ]
                for r in rows
            ),
        )
    return render(
        request,
        "training/statistics.html",
        {
            "rows": rows,
            "year": year,
            "by": dimension,
            "dimensions": [
                ("city", _("city")),
                ("base", _("training base")),
                ("topic", pgettext("training", "topic")),
                ("month", _("month")),
            ],
            "card": sel.training_card(user, year=year),
            "total": sel.statistics_total(rows),
            "definition": sel.PERSON_TIMES_DEFINITION,
            "chart": sel.months_chart(rows, title=_("person-times")),
            "scores": sel.feedback_scores(user),
            "years": range(timezone.localdate().year, timezone.localdate().year - 6, -1),
        },
    )
