from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping import require_role
from yufang.industries.models import Industry
from yufang.industries.selectors import (
    industry_search,
    is_key_industry,
    risk_class_history,
    risk_class_map,
    risk_class_of,
)
from yufang.industries.services import IndustryError, risk_class_rule_set
from yufang.support.http import spreadsheet_response

RISK_EDITORS = (Role.PROVINCE_OFFICIAL, Role.ADMIN)


@login_required
def industries(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    level_raw = request.GET.get("level", "")
    level = int(level_raw) if level_raw.isdigit() else None
    qs = industry_search(query=q, level=level)
    classes = risk_class_map()
    if request.GET.get("export") in ("xlsx", "csv"):
        return spreadsheet_response(
            _("industries"),
            [_("code"), _("full code"), _("level"), _("name"), _("risk class")],
            (
                [
                    i.code,
                    i.full_code,
                    i.level,
                    i.name,
                    classes.get(i.code[:3]) or classes.get(i.code[:2]),
                ]
                for i in qs
            ),
            kind=request.GET["export"],
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for industry in page:
        industry.current_class = classes.get(industry.code[:3]) or classes.get(industry.code[:2])  # type: ignore[attr-defined]
    return render(
        request,
        "industries/list.html",
        {
            "page_obj": page,
            "q": q,
            "level": level,
            "levels": Industry.Level.choices,
        },
    )


@login_required
def industry(request: AuthedRequest, code: str) -> HttpResponse:
    industry = get_object_or_404(Industry.objects.select_related("parent"), code=code)
    errors: dict[str, str] = {}
    if request.method == "POST":
        require_role(request.user, *RISK_EDITORS)
        raw_class = request.POST.get("risk_class", "").strip()
        try:
            effective_from = dt.date.fromisoformat(request.POST.get("effective_from", ""))
        except ValueError:
            errors["effective_from"] = _("Enter a date as YYYY-MM-DD.")
        if not raw_class.isdigit():
            errors["risk_class"] = _("The risk class must be a whole number from 1 to 8.")
        if not errors:
            try:
                risk_class_rule_set(
                    actor=request.user,
                    industry=industry,
                    risk_class=int(raw_class),
                    effective_from=effective_from,
                    reason=request.POST.get("reason", ""),
                )
            except IndustryError as exc:
                errors = exc.errors
            else:
                messages.success(request, _("The new risk class is recorded."))
                return redirect("industries:industry", code=industry.code)
    return render(
        request,
        "industries/detail.html",
        {
            "industry": industry,
            "children": industry.children.order_by("code"),
            "risk_class": risk_class_of(industry),
            "is_key": is_key_industry(industry),
            "history": risk_class_history(industry),
            "may_edit": request.user.role in RISK_EDITORS and industry.level in (2, 3),
            "errors": errors,
        },
    )
