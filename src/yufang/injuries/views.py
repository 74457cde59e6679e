from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from yufang.accounts.scoping import regions_visible, sees_person_names
from yufang.audit.selectors import audit_entries
from yufang.enterprises.forms import EnterprisePickForm, headcount_input
from yufang.enterprises.models import EnterpriseSize
from yufang.enterprises.services import EnterpriseInvalid
from yufang.injuries.forms import CaseForm
from yufang.injuries.models import AccidentCategory, CaseKind
from yufang.injuries.selectors import (
    GROUPS,
    REGIONAL_ROLES,
    CaseFilter,
    RateFilter,
    RateRow,
    case_export_headers,
    case_export_rows,
    case_get,
    case_list,
    dashboard_focus,
    dashboard_target_region,
    headcounts_visible,
    latest_year,
    pilot_comparison,
    priority_list,
    priority_rows,
    priority_scores,
    rate_export_headers,
    rate_export_rows,
    rate_rows,
    rates_need_a_region,
    target_progress,
    targets_overview,
)
from yufang.injuries.services import (
    CASE_WRITERS,
    CaseInvalid,
    case_create,
    case_delete,
    case_reveal_id_number,
    case_update,
    exposure_set,
    may_reveal_id_number,
    priority_ranking_refresh,
)
from yufang.regions.models import Region
from yufang.support.bounds import bounded_year
from yufang.support.http import spreadsheet_response

# An insured headcount fits its column (and any enterprise) well below this.


def _r(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def _export(
    request: HttpRequest, name: str, rows: list[RateRow], filters: RateFilter, *, by: str
) -> HttpResponse | None:
    kind = request.GET.get("export")
    if kind not in ("xlsx", "csv"):
        return None
    return spreadsheet_response(
        name, rate_export_headers(), rate_export_rows(rows, filters, by=by), kind=kind
    )


def _dashboard_url(**params: Any) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{reverse('injuries:dashboard')}?{urlencode(clean)}"


def _map_option(rows: list[RateRow], *, map_name: str, link: Any) -> dict[str, Any]:
    values = [r.injury_rate.value for r in rows if r.injury_rate.value is not None]
    return {
        "tooltip": {"trigger": "item"},
        "visualMap": {
            "min": 0,
            "max": round(max(values, default=1.0), 2) or 1,
            "left": "left",
            "bottom": 10,
            "calculable": True,
            "text": [_("higher rate"), _("lower rate")],
            "inRange": {"color": ["#fff4e5", "#d63939"]},
        },
        "series": [
            {
                "name": _("injury rate (‰)"),
                "type": "map",
                "map": map_name,
                "roam": False,
                "label": {"show": True, "fontSize": 10},
                "data": [
                    {"name": r.label, "value": _r(r.injury_rate.value), "url": link(r)}
                    for r in rows
                ],
            }
        ],
    }


def _trend_option(rows: list[RateRow], targets: list[Any]) -> dict[str, Any]:
    years: list[int] = [r.year for r in rows if r.year is not None]
    series: list[dict[str, Any]] = [
        {
            "name": _("injury rate (‰)"),
            "type": "line",
            "data": [{"value": _r(r.injury_rate.value), "url": r.url} for r in rows],
        },
        {
            "name": _("95% CI low"),
            "type": "line",
            "lineStyle": {"type": "dotted", "opacity": 0.5},
            "symbol": "none",
            "data": [_r(r.injury_rate.low) for r in rows],
        },
        {
            "name": _("95% CI high"),
            "type": "line",
            "lineStyle": {"type": "dotted", "opacity": 0.5},
            "symbol": "none",
            "data": [_r(r.injury_rate.high) for r in rows],
        },
    ]
    for t in targets:
        if t.baseline_rate is None:
            continue
        # The target path: a straight line from the baseline to the target year.
        path = dict(zip(t.years, t.expected, strict=True))
        all_years = sorted(set(years) | set(t.years))
        years = all_years
        series.append(
            {
                "name": _("target path %(plan)s (key industries)") % {"plan": t.plan},
                "type": "line",
                "lineStyle": {"type": "dashed"},
                "data": [_r(path.get(y)) for y in all_years],
            }
        )
        series.append(
            {
                "name": _("key industries (‰)"),
                "type": "line",
                "data": [_r(dict(zip(t.years, t.rates, strict=True)).get(y)) for y in all_years],
            }
        )
    by_year = {r.year: r for r in rows}
    series[0]["data"] = [
        {"value": _r(by_year[y].injury_rate.value), "url": by_year[y].url} if y in by_year else None
        for y in years
    ]
    for s in series[1:3]:
        key = "low" if s is series[1] else "high"
        s["data"] = [
            _r(getattr(by_year[y].injury_rate, key)) if y in by_year else None for y in years
        ]
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"type": "scroll", "top": 0},
        "grid": {"left": 40, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [str(y) for y in years]},
        "yAxis": {"type": "value", "name": "‰"},
        "series": series,
    }


def _bar_option(rows: list[RateRow], *, name: str, value: str = "rate") -> dict[str, Any]:
    rows = sorted(rows, key=lambda r: r.cases if value == "cases" else (r.injury_rate.value or 0))
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 160, "right": 30, "top": 10, "bottom": 30},
        "xAxis": {"type": "value"},
        "yAxis": {"type": "category", "data": [r.label[:16] for r in rows]},
        "series": [
            {
                "name": name,
                "type": "bar",
                "data": [
                    {
                        "value": r.cases if value == "cases" else _r(r.injury_rate.value),
                        "url": r.url,
                    }
                    for r in rows
                ],
            }
        ],
    }


def _pilot_option(comparison: dict[str, Any], url: str) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 40, "right": 20, "top": 40, "bottom": 30},
        "xAxis": {"type": "category", "data": [str(y) for y in comparison["years"]]},
        "yAxis": {"type": "value", "name": "‰"},
        "series": [
            {
                "name": _("pilot cities"),
                "type": "line",
                "data": [
                    {"value": _r(p["injury_rate"]["value"]), "url": f"{url}?year={p['year']}"}
                    for p in comparison["pilot"]
                ],
            },
            {
                "name": _("other cities"),
                "type": "line",
                "data": [
                    {"value": _r(p["injury_rate"]["value"]), "url": f"{url}?year={p['year']}"}
                    for p in comparison["other"]
                ],
            },
        ],
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    city, county = dashboard_focus(
        user, city_code=request.GET.get("city", ""), county_code=request.GET.get("county", "")
    )
    year = bounded_year(request.GET.get("year")) or latest_year(user)
    base = RateFilter(
        city=city.code if city else "",
        county=county.code if county else "",
        year_to=max(year, latest_year(user)),
    )
    this_year = dataclasses.replace(base, year_from=year, year_to=year)
    total = rate_rows(user, by="total", filters=this_year)
    trend = rate_rows(user, by="year", filters=base)
    regional = getattr(user, "role", None) in REGIONAL_ROLES
    if county is not None or not regional:
        area_by, area_rows = "enterprise", []
    elif city is not None:
        area_by = "county"
        area_rows = rate_rows(user, by="county", filters=this_year)
    else:
        area_by = "city"
        area_rows = rate_rows(user, by="city", filters=this_year)
    map_option = None
    map_url = map_name = ""
    if area_by == "city":
        map_url, map_name = reverse("regions:map", args=["cities"]), "shandong-cities"
        map_option = _map_option(
            area_rows, map_name=map_name, link=lambda r: _dashboard_url(city=r.key, year=year)
        )
    elif area_by == "county" and city is not None:
        map_url = reverse("regions:map", args=["counties"]) + f"?city={city.code}"
        map_name = f"counties-{city.code}"
        map_option = _map_option(
            area_rows, map_name=map_name, link=lambda r: _dashboard_url(county=r.key, year=year)
        )
    target_region = dashboard_target_region(user, city=city, county=county)
    targets = target_progress(user, region=target_region) if target_region else []
    industries = rate_rows(user, by="industry", filters=this_year)
    categories = rate_rows(user, by="category", filters=this_year)
    priority_ranking_refresh(year=year)
    priority = priority_list(user, year=year, filters=base, limit=20)
    pilot = pilot_comparison(user) if regional and city is None and county is None else None
    rates_url = reverse("injuries:rates")
    context = {
        "city": city,
        "county": county,
        "year": year,
        "years": [r.year for r in trend],
        "total": total[0] if total else RateRow(key="", label="", year=year),
        "trend": trend,
        "area_by": area_by,
        "area_rows": sorted(area_rows, key=lambda r: -(r.injury_rate.value or 0)),
        "map_option": map_option,
        "map_url": map_url,
        "map_name": map_name,
        "trend_option": _trend_option(trend, targets),
        "industry_option": _bar_option(industries, name=_("injury rate (‰)")),
        "category_option": _bar_option(
            categories, name=pgettext("injury cases", "cases"), value="cases"
        ),
        "targets": targets,
        "priority": priority,
        "pilot": pilot,
        "pilot_option": _pilot_option(pilot, reverse("injuries:targets")) if pilot else None,
        "enterprise_rows": sorted(
            rate_rows(user, by="enterprise", filters=this_year),
            key=lambda r: -(r.injury_rate.value or 0),
        )[:50]
        if area_by == "enterprise"
        else [],
        "filter_query": urlencode(base.params()),
        "year_query": urlencode(this_year.params()),
        "rates_url": rates_url,
    }
    return render(request, "injuries/dashboard.html", context)


@login_required
def rates(request: HttpRequest) -> HttpResponse:
    filters = RateFilter.from_params(request.GET)
    by = request.GET.get("by", "year")
    by = by if by in GROUPS else "year"
    level_text = request.GET.get("industry_level", "1")
    level = int(level_text) if level_text in ("1", "2", "3", "4") else 1
    per_year = request.GET.get("per_year") in ("1", "true", "on")
    narrow = rates_need_a_region(request.user, by, filters)
    rows = (
        []
        if narrow
        else rate_rows(
            request.user, by=by, filters=filters, per_year=per_year, industry_level=level
        )
    )
    exported = None if narrow else _export(request, _("injury rates"), rows, filters, by=by)
    if exported is not None:
        return exported
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    visible = regions_visible(request.user)
    return render(
        request,
        "injuries/rates.html",
        {
            "page_obj": page,
            "narrow": narrow,
            "filters": filters,
            "by": by,
            "groups": GROUPS,
            "industry_level": level,
            "per_year": per_year,
            "cities": visible.filter(level=Region.Level.CITY),
            "counties": visible.filter(level=Region.Level.COUNTY).select_related("city"),
            "sizes": EnterpriseSize.choices,
            "risk_classes": range(1, 9),
        },
    )


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    user = request.user
    progress = targets_overview(user)
    comparison = pilot_comparison(user)
    if request.GET.get("export") in ("xlsx", "csv"):
        headers = [
            _("Region"),
            _("Plan"),
            _("Baseline year"),
            _("Target year"),
            _("Target change (%)"),
            _("Baseline rate (‰)"),
            _("Target rate (‰)"),
            _("Latest year"),
            _("Latest rate (‰)"),
            _("Change so far (%)"),
            _("Status"),
        ]
        rows = [
            [
                t.region_name,
                t.plan,
                t.baseline_year,
                t.target_year,
                t.change_percent,
                _r(t.baseline_rate),
                _r(t.target_rate),
                t.latest_year,
                _r(t.latest_rate),
                _r(t.change_so_far, 1),
                t.status_label,
            ]
            for t in progress
        ]
        return spreadsheet_response(_("injury targets"), headers, rows, kind=request.GET["export"])
    return render(
        request,
        "injuries/targets.html",
        {
            "progress": progress,
            "pilot": comparison,
            "pilot_option": _pilot_option(comparison, reverse("injuries:cases")),
        },
    )


@login_required
def priority(request: HttpRequest) -> HttpResponse:
    filters = RateFilter.from_params(request.GET)
    year = bounded_year(request.GET.get("year"))
    order = "excess" if request.GET.get("order") == "excess" else "smoothed"
    priority_ranking_refresh(year=year or latest_year(request.user))
    scores = priority_scores(request.user, year=year, filters=filters, order=order)
    kind = request.GET.get("export")
    if kind in ("xlsx", "csv"):
        headers = [
            _("Rank"),
            _("Enterprise"),
            _("Credit code"),
            _("County"),
            _("Industry"),
            _("Cases"),
            _("Insured person-years"),
            _("Observed rate (‰)"),
            _("Industry rate (‰)"),
            _("Smoothed rate (‰)"),
            _("95% CI low"),
            _("95% CI high"),
            _("Weight of own data (%)"),
            _("Expected cases"),
            _("Excess cases"),
        ]
        data = [
            [
                r.rank,
                r.name,
                r.credit_code,
                r.county,
                r.industry,
                r.cases,
                r.person_years,
                _r(r.observed_rate),
                _r(r.industry_rate),
                _r(r.smoothed_rate),
                _r(r.smoothed_low),
                _r(r.smoothed_high),
                None if r.own_weight is None else round(r.own_weight * 100, 1),
                _r(r.expected_cases, 2),
                _r(r.excess_cases, 2),
            ]
            for r in priority_rows(scores.iterator(chunk_size=2000))
        ]
        return spreadsheet_response(_("prevention priority"), headers, data, kind=kind)
    page = Paginator(scores, 50).get_page(request.GET.get("page"))
    ranking = page.object_list[0].ranking if page.object_list else None
    return render(
        request,
        "injuries/priority.html",
        {
            "page_obj": page,
            "rows": priority_rows(page.object_list, first_rank=page.start_index()),
            "ranking": ranking,
            "order": order,
            "year": year,
            "filters": filters,
        },
    )


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    filters = CaseFilter.from_params(request.GET)
    qs = case_list(request.user, filters)
    kind = request.GET.get("export")
    if kind in ("xlsx", "csv"):
        names = sees_person_names(request.user)
        return spreadsheet_response(
            _("injury cases"),
            case_export_headers(names=names),
            case_export_rows(qs, names=names),
            kind=kind,
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    visible = regions_visible(request.user)
    return render(
        request,
        "injuries/cases.html",
        {
            "page_obj": page,
            "filters": filters,
            "cities": visible.filter(level=Region.Level.CITY),
            "kinds": CaseKind.choices,
            "categories": AccidentCategory.choices,
            "may_create": getattr(request.user, "role", None) in CASE_WRITERS,
            "shows_names": sees_person_names(request.user),
        },
    )


_BOUNDED_CASE_FIELDS = (
    "case_number",
    "person_name",
    "id_number",
    "occupational_disease",
    "lost_workdays",
)


def _form_data(request: HttpRequest, form: CaseForm) -> dict[str, Any]:
    """The case as posted, its enterprise as the picker chose it; a `CaseInvalid` naming the
    enterprise when the picker could not (the rest is checked when that is fixed)."""
    data: dict[str, Any] = {k: request.POST.get(k, "") for k in CaseForm.base_fields}
    data["is_death"] = request.POST.get("is_death") in ("on", "1", "true")
    form.is_valid()
    if "enterprise" in form.errors:
        raise CaseInvalid(" ".join(str(e) for e in form.errors["enterprise"]), "enterprise")
    # Text longer than its column, or a number beyond it, is refused here by the form's
    # bounds; the rest of the checks are the service's.
    beyond = {
        name: " ".join(str(e) for e in form.errors[name])
        for name in _BOUNDED_CASE_FIELDS
        if name in form.errors
        and (name != "lost_workdays" or str(data.get(name, "")).strip().isdigit())
    }
    if beyond:
        raise CaseInvalid(beyond)
    data["enterprise"] = form.cleaned_data["enterprise"]
    return data


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", None) not in CASE_WRITERS:
        raise PermissionDenied(_("Only HRSS officials record injury cases."))
    errors: dict[str, str] = {}
    initial = {
        "enterprise": request.GET.get("enterprise") or request.GET.get("enterprise_code", "")
    }
    form = CaseForm(initial=initial, user=request.user)
    if request.method == "POST":
        form = CaseForm(request.POST, user=request.user)
        try:
            case = case_create(actor=request.user, data=_form_data(request, form))
        except CaseInvalid as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Case recorded."))
            return redirect("injuries:case", pk=case.pk)
    return render(request, "injuries/case_form.html", {"form": form, "errors": errors})


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get(request.user, pk)
    if getattr(request.user, "role", None) not in CASE_WRITERS:
        raise PermissionDenied(_("Only HRSS officials record injury cases."))
    errors: dict[str, str] = {}
    form = CaseForm(
        initial={
            "case_number": case.case_number,
            "enterprise": case.enterprise_id,
            "person_name": case.person_name,
            "accident_date": case.accident_date,
            "recognition_date": case.recognition_date,
            "kind": case.kind,
            "occupational_disease": case.occupational_disease,
            "is_death": case.is_death,
            "disability_grade": case.disability_grade or "",
            "lost_workdays": case.lost_workdays,
            "accident_category": case.accident_category,
            "body_part": case.body_part,
            "payout": case.payout,
        },
        user=request.user,
    )
    if request.method == "POST":
        form = CaseForm(request.POST, user=request.user)
        try:
            case_update(actor=request.user, case=case, data=_form_data(request, form))
        except CaseInvalid as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Saved."))
            return redirect("injuries:case", pk=pk)
    return render(
        request, "injuries/case_form.html", {"form": form, "errors": errors, "case": case}
    )


@login_required
def case(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get(request.user, pk)
    return render(
        request,
        "injuries/case_detail.html",
        {
            "case": case,
            "may_edit": getattr(request.user, "role", None) in CASE_WRITERS,
            "may_reveal": may_reveal_id_number(request.user, case),
            "shows_names": sees_person_names(request.user),
            "history": audit_entries(request.user, model="injuries.InjuryCase", object_id=str(pk))[
                :20
            ],
        },
    )


@login_required
@require_POST
def case_reveal(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get(request.user, pk)
    number = case_reveal_id_number(actor=request.user, case=case)
    return render(
        request,
        "injuries/case_detail.html",
        {
            "case": case,
            "revealed": number,
            "may_edit": getattr(request.user, "role", None) in CASE_WRITERS,
            "may_reveal": True,
            "shows_names": True,
            "history": audit_entries(request.user, model="injuries.InjuryCase", object_id=str(pk))[
                :20
            ],
        },
    )


@login_required
@require_POST
def case_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get(request.user, pk)
    case_delete(actor=request.user, case=case, reason=request.POST.get("reason", ""))
    messages.success(request, _("Case deleted."))
    return redirect("injuries:cases")


@login_required
def headcounts(request: HttpRequest) -> HttpResponse:
    filters = RateFilter.from_params(request.GET)
    errors: dict[str, str] = {}
    pick = EnterprisePickForm(request.POST or None, user=request.user)
    if request.method == "POST":
        errors = _headcount_post(request, pick)
        if not errors:
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('injuries:headcounts')}?{request.GET.urlencode()}")
    qs = headcounts_visible(request.user, filters)
    kind = request.GET.get("export")
    if kind in ("xlsx", "csv"):
        return spreadsheet_response(
            _("insured headcounts"),
            [
                _("Enterprise"),
                _("Credit code"),
                _("County"),
                _("Year"),
                _("Insured headcount"),
                _("Hours worked"),
            ],
            (
                [
                    h.enterprise.name,
                    h.enterprise.credit_code,
                    h.enterprise.county.name,
                    h.year,
                    h.insured_headcount,
                    h.hours_worked,
                ]
                for h in qs.iterator(chunk_size=2000)
            ),
            kind=kind,
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    visible = regions_visible(request.user)
    return render(
        request,
        "injuries/headcounts.html",
        {
            "page_obj": page,
            "filters": filters,
            "errors": errors,
            "pick": pick,
            "cities": visible.filter(level=Region.Level.CITY),
            "may_edit": getattr(request.user, "role", None) in CASE_WRITERS,
        },
    )


def _headcount_post(request: HttpRequest, pick: EnterprisePickForm) -> dict[str, str]:

    errors: dict[str, str] = {}
    enterprise = pick.cleaned_data["enterprise"] if pick.is_valid() else None
    if enterprise is None:
        errors["enterprise"] = " ".join(str(e) for e in pick.errors.get("enterprise", []))
    given, input_errors = headcount_input(request.POST)
    errors.update(input_errors)
    if errors or enterprise is None or given is None:
        return errors
    try:
        exposure_set(
            actor=request.user,
            enterprise=enterprise,
            year=given.year,
            insured_headcount=given.insured_headcount,
            hours_worked=given.hours_worked,
        )
    except EnterpriseInvalid as exc:
        return exc.errors
    return {}
