"""The fee's dashboard with its exports, the ledger, and the public disclosure pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_ratelimit.decorators import ratelimit

from yufang.funds import selectors, services
from yufang.funds.labels import OUTPUT_LABELS
from yufang.funds.views.common import render_page, require_reader, year_of
from yufang.support.bounds import FIRST_YEAR, LAST_YEAR
from yufang.support.http import spreadsheet_response
from yufang.support.ratelimits import client_address

# Public pages: a reader browses a handful a minute; a scraper is stopped.
PUBLIC_RATE = "60/m"


def _export(request: HttpRequest, data: dict[str, Any]) -> HttpResponse | None:
    what = request.GET.get("export", "")
    year = data["year"]
    if what == "regions":
        return spreadsheet_response(
            _("prevention fee by region") + f"-{year}",
            [
                _("Pooling region"),
                pgettext("prevention fee", "Cap"),
                _("Budget"),
                _("Publicity"),
                _("Training"),
                pgettext("prevention fee", "Committed"),
                _("Paid"),
                _("Publicity paid"),
                _("Training paid"),
            ],
            [
                [
                    r["name"],
                    r["cap"],
                    r["total"],
                    r["publicity"],
                    r["training"],
                    r["committed"],
                    r["paid"],
                    r["publicity_paid"],
                    r["training_paid"],
                ]
                for r in data["regions"]
            ],
        )
    if what == "months":
        return spreadsheet_response(
            _("prevention fee paid by month") + f"-{year}",
            [_("Month"), _("Paid"), _("Paid to date")],
            [[f"{year}-{m['month']:02d}", m["paid"], m["cumulative"]] for m in data["months"]],
        )
    if what == "status":
        return spreadsheet_response(
            _("prevention projects by status") + f"-{year}",
            [_("Status"), _("Projects")],
            [[s["label"], s["count"]] for s in data["by_status"]],
        )
    if what == "institutions":
        return spreadsheet_response(
            _("service institutions' results") + f"-{year}",
            [
                _("Service institution"),
                _("Contracts"),
                _("Contract value"),
                _("Paid"),
                str(OUTPUT_LABELS["person_times"]),
                str(OUTPUT_LABELS["hazards_closed"]),
                str(OUTPUT_LABELS["enterprises_assessed"]),
                _("Cost per person-time"),
            ],
            [
                [
                    r["institution"].name,
                    r["contracts"],
                    r["value"],
                    r["paid"],
                    r["person_times"],
                    r["hazards_closed"],
                    r["enterprises_assessed"],
                    r["cost_per_person_time"],
                ]
                for r in data["institutions"]
            ],
        )
    return None


def _charts(data: dict[str, Any]) -> dict[str, Any]:
    regions = data["regions"]
    names = [r["name"] for r in regions]
    return {
        "regions_option": {
            "tooltip": {"trigger": "axis"},
            "legend": {
                "data": [
                    pgettext("prevention fee", "Cap"),
                    _("Budget"),
                    pgettext("prevention fee", "Committed"),
                    _("Paid"),
                ]
            },
            "xAxis": {"type": "category", "data": names},
            "yAxis": {"type": "value", "name": _("yuan")},
            "series": [
                {
                    "name": pgettext("prevention fee", "Cap"),
                    "type": "bar",
                    "data": [float(r["cap"]) for r in regions],
                },
                {"name": _("Budget"), "type": "bar", "data": [float(r["total"]) for r in regions]},
                {
                    "name": pgettext("prevention fee", "Committed"),
                    "type": "bar",
                    "data": [float(r["committed"]) for r in regions],
                },
                {"name": _("Paid"), "type": "bar", "data": [float(r["paid"]) for r in regions]},
            ],
        },
        "months_option": {
            "tooltip": {"trigger": "axis"},
            "legend": {"data": [_("Paid"), _("Paid to date")]},
            "xAxis": {"type": "category", "data": [f"{m['month']}" for m in data["months"]]},
            "yAxis": {"type": "value", "name": _("yuan")},
            "series": [
                {
                    "name": _("Paid"),
                    "type": "bar",
                    "data": [float(m["paid"]) for m in data["months"]],
                },
                {
                    "name": _("Paid to date"),
                    "type": "line",
                    "data": [float(m["cumulative"]) for m in data["months"]],
                },
            ],
        },
        "status_option": {
            "tooltip": {"trigger": "item"},
            "series": [
                {
                    "type": "pie",
                    "radius": "65%",
                    "data": [
                        {"name": str(s["label"]), "value": s["count"]} for s in data["by_status"]
                    ],
                },
            ],
        },
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    year = year_of(request)
    data = selectors.dashboard(request.user, year=year)
    exported = _export(request, data)
    if exported is not None:
        return exported
    return render_page(
        request,
        "funds/dashboard.html",
        {**data, **_charts(data), "years": selectors.years_of(request.user)},
    )


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    require_reader(request)
    user = request.user
    entries = selectors.ledger_visible(user).order_by("-id")
    year = year_of(request)
    entries = entries.filter(budget__year=year)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("prevention fee ledger") + f"-{year}",
            [
                "#",
                _("Time"),
                _("Pooling region"),
                _("Kind"),
                _("Use"),
                _("Amount"),
                _("Project"),
                pgettext("prevention fee", "By"),
                _("Reason"),
                "SHA-256",
            ],
            [
                [
                    e.pk,
                    e.at.isoformat(),
                    e.budget.pooling_region.name,
                    e.get_kind_display(),
                    e.get_use_display(),
                    e.amount,
                    e.project.title if e.project else "",
                    e.actor_name,
                    e.reason,
                    e.entry_hash,
                ]
                for e in entries
            ],
        )
    broken = services.ledger_verify() if request.GET.get("verify") else None
    return render_page(
        request,
        "funds/ledger.html",
        {
            "entries": entries[:500],
            "year": year,
            "years": selectors.years_of(user),
            "verified": bool(request.GET.get("verify")),
            "broken": broken,
        },
    )


@ratelimit(key=client_address, rate=PUBLIC_RATE, block=True)
def disclosures(request: HttpRequest) -> HttpResponse:
    """The published uses of the fee, by region and year (public)."""
    return render(
        request, "funds/disclosures.html", {"budgets": selectors.disclosures_published()[:200]}
    )


@ratelimit(key=client_address, rate=PUBLIC_RATE, block=True)
def disclosure(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A region's published use of the fee for a year (public, no personal data)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    data = selectors.disclosure(code, year)
    return render(
        request,
        "funds/disclosure.html",
        {**data, "output_labels": OUTPUT_LABELS, "list_url": reverse("funds:disclosures")},
    )
