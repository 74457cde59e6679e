from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping import (
    enterprise_fields_writable,
    may_change_enterprise,
    regions_visible,
)
from yufang.audit.selectors import audit_entries
from yufang.enterprises.forms import EnterpriseForm, headcount_input
from yufang.enterprises.models import Enterprise, EnterpriseSize
from yufang.enterprises.panels import enterprise_panels
from yufang.enterprises.selectors import (
    EXPORT_COLUMNS,
    PICK_LIMIT,
    EnterpriseFilter,
    enterprise_export_rows,
    enterprise_get,
    enterprise_list,
    enterprise_search,
    enterprises_to_pick,
    grid_workers_of,
    headcounts_of,
    history_fields,
)
from yufang.enterprises.services import (
    EnterpriseInvalid,
    enterprise_create,
    enterprise_update,
    headcount_set,
)
from yufang.regions.models import Region
from yufang.regions.selectors import grids_visible
from yufang.support.http import spreadsheet_response


@login_required
def enterprises(request: AuthedRequest) -> HttpResponse:
    filters = EnterpriseFilter.from_params(request.GET)
    qs = enterprise_list(request.user, filters)
    export = request.GET.get("export")
    if export in ("xlsx", "csv"):
        return spreadsheet_response(
            _("enterprises"),
            [label for _name, label in EXPORT_COLUMNS],
            enterprise_export_rows(qs),
            kind=export,
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    visible = regions_visible(request.user)
    return render(
        request,
        "enterprises/list.html",
        {
            "page_obj": page,
            "filters": filters,
            "cities": visible.filter(level=Region.Level.CITY),
            "counties": visible.filter(
                level=Region.Level.COUNTY, **({"city__code": filters.city} if filters.city else {})
            ),
            "sizes": EnterpriseSize.choices,
            "risk_classes": range(1, 9),
            "may_create": bool(enterprise_fields_writable(request.user, creating=True)),
        },
    )


@login_required
def mine(request: AuthedRequest) -> HttpResponse:
    if not getattr(request.user, "enterprise_id", None):
        raise PermissionDenied(_("Your account is not bound to an enterprise."))
    return redirect("enterprises:enterprise", pk=request.user.enterprise_id)


@login_required
def enterprise(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = enterprise_get(request.user, pk)
    writable = (
        enterprise_fields_writable(request.user)
        if may_change_enterprise(request.user, enterprise)
        else frozenset()
    )
    errors: dict[str, str] = {}
    if request.method == "POST" and request.POST.get("action") == "headcount":
        given, errors = headcount_input(request.POST)
        if given is not None:
            try:
                headcount_set(
                    actor=request.user,
                    enterprise=enterprise,
                    year=given.year,
                    insured_headcount=given.insured_headcount,
                    hours_worked=given.hours_worked,
                )
            except EnterpriseInvalid as exc:
                errors = exc.errors
            else:
                messages.success(request, _("Saved."))
                return redirect("enterprises:enterprise", pk=pk)
    return render(
        request,
        "enterprises/detail.html",
        {
            "enterprise": enterprise,
            "headcounts": headcounts_of(enterprise),
            "may_edit": bool(writable),
            "may_set_headcount": "insured_headcount" in writable,
            "errors": errors,
            "history": [
                (entry, history_fields(entry.changes or {}))
                for entry in audit_entries(
                    request.user, model="enterprises.Enterprise", object_id=str(pk)
                )[:20]
            ],
            "grid_workers": grid_workers_of(enterprise),
            "panels": enterprise_panels(request.user, enterprise),
        },
    )


def _choices(
    request: AuthedRequest, county: str, township: str
) -> dict[str, list[tuple[str, str]]]:
    visible = regions_visible(request.user)
    return {
        "counties": [
            (r.code, f"{r.city.name if r.city else ''} {r.name}")
            for r in visible.filter(level=Region.Level.COUNTY).select_related("city")
        ],
        "townships": [
            (r.code, r.name)
            for r in visible.filter(level=Region.Level.TOWNSHIP, county__code=county)
        ]
        if county
        else [],
        "grids": [
            (g.code, g.name) for g in grids_visible(request.user).filter(township__code=township)
        ]
        if township
        else [],
    }


def _read_only(enterprise: Enterprise, form: EnterpriseForm) -> list[tuple[str, str]]:
    """The enterprise's fields the user sees but may not change, as label and value."""
    shown = {
        "name": (_("Name"), enterprise.name),
        "credit_code": (_("Unified social credit code"), enterprise.credit_code),
        "county": (
            _("Region"),
            " ".join(
                r.name for r in (enterprise.city, enterprise.county, enterprise.township) if r
            ),
        ),
        "grid": (_("Grid"), enterprise.grid.name if enterprise.grid else "—"),
        "industry": (
            _("Industry"),
            f"{enterprise.industry.full_code} {enterprise.industry.name}",
        ),
        "risk_class_override": (_("Insurance risk class"), str(enterprise.risk_class or "—")),
        "size": (_("Size"), str(enterprise.get_size_display())),
    }
    return [value for key, value in shown.items() if key not in form.fields]


def _form_page(request: AuthedRequest, enterprise: Enterprise | None) -> HttpResponse:
    data: Any = request.POST if request.method == "POST" else None
    initial = EnterpriseForm.initial_from(enterprise) if enterprise else {}
    source = data or initial
    form = EnterpriseForm(
        data,
        initial=initial,
        writable=enterprise_fields_writable(request.user, creating=enterprise is None),
        **_choices(request, source.get("county", ""), source.get("township", "")),
    )
    if enterprise is not None and "industry" in form.fields:
        # The code field names the industry it holds, so nobody reads a bare code.
        form.fields[
            "industry"
        ].help_text = f"{enterprise.industry.full_code} {enterprise.industry.name}"
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in form.fields}
        try:
            if enterprise is None:
                saved = enterprise_create(actor=request.user, data=values)
            else:
                saved = enterprise_update(actor=request.user, enterprise=enterprise, data=values)
        except EnterpriseInvalid as exc:
            errors = exc.errors
            for field, message in exc.errors.items():
                if field in form.fields:
                    form.add_error(field, message)
        else:
            messages.success(request, _("Saved."))
            return redirect("enterprises:enterprise", pk=saved.pk)
    return render(
        request,
        "enterprises/form.html",
        {
            "form": form,
            "enterprise": enterprise,
            "errors": errors,
            "read_only": _read_only(enterprise, form) if enterprise else [],
        },
    )


@login_required
def enterprise_new(request: AuthedRequest) -> HttpResponse:
    if not enterprise_fields_writable(request.user, creating=True):
        raise PermissionDenied(_("Your role cannot register enterprises."))
    return _form_page(request, None)


@login_required
def enterprise_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    enterprise = enterprise_get(request.user, pk)
    if not may_change_enterprise(request.user, enterprise) or not enterprise_fields_writable(
        request.user
    ):
        raise PermissionDenied(_("You may not change this enterprise."))
    return _form_page(request, enterprise)


@login_required
def options(request: AuthedRequest, kind: str) -> HttpResponse:
    """<option> lists for the dependent selects (HTMX): townships of a county, grids of a township."""
    choices = _choices(request, request.GET.get("county", ""), request.GET.get("township", ""))
    items = choices["townships"] if kind == "townships" else choices["grids"]
    return render(request, "enterprises/_options.html", {"items": items})


@login_required
def pick(request: AuthedRequest) -> HttpResponse:
    """Matches for the enterprise picker (HTMX): names and credit codes of the enterprises
    the user may choose. The box sends its text as `q` or `<field>_search`."""
    text = str(
        request.GET.get("q")
        or next((v for k, v in request.GET.items() if k.endswith("_search")), "")
    )
    results = enterprise_search(enterprises_to_pick(request.user), text).select_related("county")[
        :PICK_LIMIT
    ]
    return render(request, "enterprises/_pick_results.html", {"results": results, "text": text})
