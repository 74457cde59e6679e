"""What the fee's pages share: who may open them, reading a year, errors for the reader."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping.funds import fee_reader
from yufang.funds import selectors
from yufang.support.bounds import bounded_year


def require_reader(request: HttpRequest) -> None:
    if not fee_reader(request.user):
        raise PermissionDenied(_("Your role has no business with the prevention fee."))


def year_of(request: HttpRequest) -> int:
    return bounded_year(request.GET.get("year")) or selectors.current_year()


def field_labels() -> dict[str, str]:
    return {
        "contribution_income": _("Prior-year contribution income (yuan)"),
        "publicity": _("Publicity (yuan)"),
        "training": _("Training (yuan)"),
        "note": _("Note"),
        "ratio": _("Approved ratio (%)"),
        "reason": _("Reason"),
        "title": _("Title"),
        "purpose": _("Purpose"),
        "use": _("Use"),
        "proposer": _("Proposer"),
        "cost_basis": _("Cost basis"),
        "starts_on": _("Starts on"),
        "ends_on": _("Ends on"),
        "years": _("Years of the run"),
        "budget": _("Budget"),
        "status": _("Status"),
        "method": _("Method"),
        "held_on": _("Date"),
        "bidders": _("Bidders"),
        "bidder_count": _("Number of bidders"),
        "winner": _("Winner"),
        "price": _("Price (yuan)"),
        "number": _("Contract number"),
        "signed_on": _("Signed on"),
        "milestones": _("Milestones"),
        "evidence": _("Acceptance evidence"),
        "amount": _("Amount (yuan)"),
        "paid_on": _("Paid on"),
        "voucher": _("Voucher number"),
        "qualifications": _("Qualifications"),
        "qualified_until": _("Qualified until"),
        "key_area": _("Key area"),
        "description": _("Description"),
        "target_industries": _("Target industries"),
        "target_enterprises": _("Target enterprises"),
        "year": _("Year"),
    }


def labelled(errors: dict[str, str]) -> list[tuple[str, str]]:
    """Errors named by what the form calls each field: "宣传（元）", not "publicity"."""
    labels = field_labels()
    shown = []
    for field, message in errors.items():
        base = field.split(".")[-1] if "." in field else field
        if field.startswith("years."):
            base = {"amount": "amount", "year": "year"}.get(base, "years")
        label = labels.get(base, "") or labels.get(field.split(".")[0], "")
        shown.append((label, message))
    return shown


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    if "errors" in context:
        context["shown_errors"] = labelled(context["errors"])
    context.setdefault(
        "is_staff_of_institution", getattr(request.user, "role", "") == Role.INSTITUTION_STAFF
    )
    return render(request, template, context, status=status)
