from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping import regions_visible, require_role
from yufang.regions.models import Region
from yufang.regions.selectors import city_map, county_map, grid_list, pilot_city_codes
from yufang.regions.services import pilot_year_set
from yufang.support.http import spreadsheet_response


@login_required
def index(request: AuthedRequest) -> HttpResponse:
    year_raw = request.GET.get("year", "")
    year = int(year_raw) if year_raw.isdigit() else timezone.localdate().year
    visible = regions_visible(request.user)
    cities = visible.filter(level=Region.Level.CITY).order_by("code")
    counties = visible.filter(level=Region.Level.COUNTY).select_related("city").order_by("code")
    return render(
        request,
        "regions/index.html",
        {
            "cities": cities,
            "counties": counties,
            "pilots": pilot_city_codes(year),
            "year": year,
            "years": range(2017, timezone.localdate().year + 2),
            "may_set_pilots": request.user.role in (Role.PROVINCE_OFFICIAL, Role.ADMIN),
        },
    )


@login_required
@require_POST
def pilot(request: AuthedRequest, code: str) -> HttpResponse:
    require_role(request.user, Role.PROVINCE_OFFICIAL, Role.ADMIN)
    city = get_object_or_404(Region, code=code, level=Region.Level.CITY)
    year_raw = request.POST.get("year", "")
    if not year_raw.isdigit():
        messages.error(request, _("Not a valid year: %(value)s") % {"value": year_raw})
        return redirect("regions:index")
    year = int(year_raw)
    pilot_year_set(
        actor=request.user, city=city, year=year, is_pilot=request.POST.get("is_pilot") == "1"
    )
    messages.success(request, _("Saved."))
    return redirect(f"{reverse('regions:index')}?year={year}")


@login_required
def map_view(request: AuthedRequest, level: str) -> JsonResponse:
    if level == "cities":
        return JsonResponse(city_map())
    return JsonResponse(county_map(request.GET.get("city") or None))


@login_required
def grids(request: AuthedRequest) -> HttpResponse:
    params = {k: request.GET.get(k, "").strip() for k in ("city", "county", "township", "q")}
    qs = grid_list(request.user, **params)
    if request.GET.get("export") in ("xlsx", "csv"):
        return spreadsheet_response(
            _("grids"),
            [_("code"), _("name"), _("township"), _("county"), _("city"), _("enterprises")],
            (
                [
                    g.code,
                    g.name,
                    g.township.name,
                    g.county.name,
                    g.city.name,
                    getattr(g, "enterprise_count", 0),
                ]
                for g in qs
            ),  # type: ignore[attr-defined]
            kind=request.GET["export"],
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    cities = regions_visible(request.user).filter(level=Region.Level.CITY)
    return render(
        request, "regions/grids.html", {"page_obj": page, "params": params, "cities": cities}
    )
