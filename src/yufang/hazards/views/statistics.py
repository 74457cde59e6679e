"""Hazard statistics pages: generating a period and reading it."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.hazards import may_generate_statistics
from yufang.hazards import selectors, services
from yufang.hazards.models import (
    PeriodKind,
)
from yufang.hazards.views.common import (
    _render,
)
from yufang.lib.errors import InvalidInput
from yufang.support.bounds import bounded_int, bounded_year
from yufang.support.http import spreadsheet_response

STAT_HEADERS = [
    "统计期",
    "市",
    "县区",
    "企业",
    "统一社会信用代码",
    "新增一般隐患",
    "新增重大隐患",
    "销号一般隐患",
    "销号重大隐患",
    "期末未销号",
    "期末逾期",
]


@login_required
def statistics_view(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    may_generate = may_generate_statistics(request.user)
    if request.method == "POST":
        if not may_generate:
            raise PermissionDenied(_("Officials generate statistics."))
        p = request.POST
        kind = p.get("kind", "")
        try:
            year = bounded_year(p.get("year"))
            if year is None:
                raise InvalidInput(_("Give the year."), "year")
            quarter = bounded_int(p.get("quarter"), low=1, high=4)
            if kind not in PeriodKind.values:
                raise InvalidInput(_("Choose quarterly or annual."), "kind")
            services.statistics_generate(kind=kind, year=year, quarter=quarter)
            start, _end = services.period_bounds(kind, year, quarter)
        except InvalidInput as exc:
            errors = exc.errors
        else:
            return redirect("hazards:statistics_period", kind=kind, start=start.isoformat())
    return _render(
        request,
        "hazards/statistics.html",
        {
            "periods": selectors.statistics_periods(),
            "errors": errors,
            "may_generate": may_generate,
            "year": timezone.localdate().year,
        },
    )


@login_required
def statistics_period(request: HttpRequest, kind: str, start: str) -> HttpResponse:
    try:
        period_start = dt.date.fromisoformat(start)
    except ValueError as exc:
        raise Http404 from exc
    if kind not in PeriodKind.values:
        raise Http404
    rows = selectors.statistics_rows(request.user, kind=kind, period_start=period_start)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("hazard statistics"),
            STAT_HEADERS,
            (
                [
                    f"{r.period_start}~{r.period_end}",
                    r.city.name,
                    r.county.name,
                    r.enterprise.name,
                    r.enterprise.credit_code,
                    r.found_ordinary,
                    r.found_major,
                    r.closed_ordinary,
                    r.closed_major,
                    r.open_at_end,
                    r.overdue_at_end,
                ]
                for r in rows.order_by("county__code", "enterprise__name")
            ),
        )
    first = rows.first()
    page = Paginator(rows.order_by("county__code", "enterprise__name"), 50).get_page(
        request.GET.get("page")
    )
    return _render(
        request,
        "hazards/statistics_period.html",
        {
            "kind": kind,
            "kind_label": PeriodKind(kind).label,
            "period_start": period_start,
            "period_end": first.period_end if first else None,
            "due": services.statistics_due(kind, first.period_end) if first else None,
            "regions": selectors.statistics_by_region(rows),
            "page_obj": page,
        },
    )
