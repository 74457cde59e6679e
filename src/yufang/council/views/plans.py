"""The annual work plans of the regions, and a plan with its items' computed completion."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.council import may_run_joint_meeting
from yufang.council import selectors, services
from yufang.council.sources import sources
from yufang.council.views.common import render_page
from yufang.lib.errors import InvalidInput
from yufang.organisations.models import Department
from yufang.support.bounds import bounded_id


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    selectors.require_reader(request.user)
    errors: dict[str, str] = {}
    region = getattr(request.user, "region", None)
    if request.method == "POST":
        try:
            if region is None:
                raise PermissionDenied(_("Only a region's officials make its work plan."))
            plan = services.work_plan_create(
                actor=request.user,
                region=region,
                year=request.POST.get("year", ""),
                title=request.POST.get("title", ""),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Work plan created."))
            return redirect("council:plan", pk=plan.pk)
    rows = [
        (plan, selectors.plan_progress(request.user, plan)["overall_percent"])
        for plan in selectors.plans_visible(request.user)[:50]
    ]
    return render_page(
        request,
        "council/plans.html",
        {
            "tab": "plans",
            "rows": rows,
            "may_create": region is not None
            and may_run_joint_meeting(request.user, region_id=region.pk),
            "this_year": timezone.localdate().year,
            "errors": errors,
            "data": request.POST,
        },
    )


@login_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    p = selectors.plan_get(request.user, pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("action") == "remove":
                item = get_object_or_404(p.items, pk=bounded_id(post.get("item")) or 0)
                services.work_plan_item_remove(actor=request.user, item=item)
                messages.success(request, _("Item removed."))
            else:
                source, _sep, reference = str(post.get("link", "")).partition(":")
                dept_id = bounded_id(post.get("department"))
                services.work_plan_item_add(
                    actor=request.user,
                    plan=p,
                    title=post.get("title", ""),
                    source=source,
                    reference=reference,
                    department=Department.objects.filter(pk=dept_id).first() if dept_id else None,
                )
                messages.success(request, _("Item added."))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            return redirect("council:plan", pk=p.pk)
    may_run = may_run_joint_meeting(request.user, region_id=p.region_id)
    links = (
        [
            (
                str(s.label),
                [
                    (f"{s.kind}:{key}", label)
                    for key, label in s.options(request.user, p.region, p.year)
                ],
            )
            for s in sources()
        ]
        if may_run
        else []
    )
    return render_page(
        request,
        "council/plan.html",
        {
            "tab": "plans",
            "p": p,
            "progress": selectors.plan_progress(request.user, p),
            "may_run": may_run,
            "links": links,
            "departments": Department.objects.filter(region_id=p.region_id).order_by("code"),
            "errors": errors,
            "data": request.POST,
        },
    )
