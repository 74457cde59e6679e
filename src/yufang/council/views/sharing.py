"""The shared data of a department's remit (read-only) and the yearly data exchange."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping import home_region
from yufang.accounts.scoping.council import may_exchange_data
from yufang.council import selectors, services
from yufang.council.selectors.exchange import EXCHANGE_HEADERS, exchange_rows
from yufang.council.selectors.shared import shared_data
from yufang.council.views.common import render_page
from yufang.lib.errors import InvalidInput
from yufang.support.bounds import bounded_year
from yufang.support.http import spreadsheet_response


@login_required
def shared(request: HttpRequest) -> HttpResponse:
    selectors.require_reader(request.user)
    year = bounded_year(request.GET.get("year")) or timezone.localdate().year
    return render_page(
        request,
        "council/shared.html",
        {
            "tab": "shared",
            "data": shared_data(request.user, year=year),
            "region": home_region(request.user),
        },
    )


@login_required
def exchange(request: HttpRequest) -> HttpResponse:
    """The exchange table of the user's region and a year; its export; the import."""
    selectors.require_reader(request.user)
    region = home_region(request.user)
    if region is None:
        raise PermissionDenied(_("Your role has no region to exchange data for."))
    today = timezone.localdate()
    year = bounded_year(request.GET.get("year")) or today.year - 1
    errors: dict[str, str] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            count = services.exchange_import(
                actor=request.user, region=region, data=upload.read() if upload else b""
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("%(n)s figures imported.") % {"n": count})
            return redirect(f"{request.path}?year={year}")
    rows = exchange_rows(request.user, region, year)
    if request.GET.get("export") in ("xlsx", "csv"):
        return spreadsheet_response(
            f"数据交换-{region.name}-{year}", EXCHANGE_HEADERS, rows, kind=request.GET["export"]
        )
    return render_page(
        request,
        "council/exchange.html",
        {
            "tab": "exchange",
            "region": region,
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "headers": EXCHANGE_HEADERS,
            "rows": rows,
            "may_import": may_exchange_data(request.user, region_id=region.pk),
            "errors": errors,
        },
    )
