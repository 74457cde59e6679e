"""The enterprise's side: its self-service home, its requests to the bureau, its insured
roster, its inbox; and a request's page, where an official decides it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping.portal import (
    PORTAL_BUREAU_READERS,
    may_decide_for,
    require_portal_reader,
)
from yufang.enterprises.models import Enterprise
from yufang.enterprises.panels import enterprise_panels
from yufang.enterprises.selectors import enterprise_get
from yufang.hazards.selectors import enterprise_risk_colours
from yufang.imports.services import import_job_create
from yufang.lib.errors import InvalidInput
from yufang.portal import selectors, services
from yufang.portal.importers import roster_importer
from yufang.portal.models import ChangeField, RequestStatus, RosterKind
from yufang.support.http import private_file_response


def _own_enterprise(request: AuthedRequest) -> Enterprise:
    """The safety manager's enterprise; other roles have no self-service of their own."""
    if request.user.role != Role.SAFETY_MANAGER or not request.user.enterprise_id:
        raise PermissionDenied(_("Self-service is for an enterprise's safety manager."))
    return enterprise_get(request.user, request.user.enterprise_id)


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    if request.user.role in PORTAL_BUREAU_READERS:
        return redirect("portal:desk")
    enterprise = _own_enterprise(request)
    user = request.user
    colour = enterprise_risk_colours([enterprise.pk]).get(enterprise.pk)
    rate = selectors.latest_rate_of(user, enterprise)
    today_rules = selectors.unconfirmed_rules(rate.run.run_at.date()) if rate else []
    return render(
        request,
        "portal/home.html",
        {
            "enterprise": enterprise,
            "colour": colour,
            "panels": enterprise_panels(user, enterprise),
            "comparison": selectors.injury_rate_comparison(enterprise),
            "rate": selectors.rate_explained(rate) if rate else None,
            "unconfirmed": today_rules,
            "inbox": selectors.inbox_items(user, limit=8),
            "pending": selectors.pending_counts(user),
            "recognition": selectors.recognition_links(),
            "training": selectors.training_overview(user),
            "premiums": selectors.premiums_visible(user).filter(enterprise=enterprise)[:5],
        },
    )


@login_required
def inbox(request: AuthedRequest) -> HttpResponse:
    require_portal_reader(request.user)
    return render(request, "portal/inbox.html", {"items": selectors.inbox_items(request.user)})


@login_required
def requests(request: AuthedRequest) -> HttpResponse:
    require_portal_reader(request.user)
    rows = list(selectors.change_requests_visible(request.user)[:200])
    for r in rows:
        r.requested_label = selectors.requested_label(r)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/request_list.html",
        {"rows": rows, "may_ask": request.user.role == Role.SAFETY_MANAGER},
    )


@login_required
def request_new(request: AuthedRequest) -> HttpResponse:
    enterprise = _own_enterprise(request)
    data = request.POST if request.method == "POST" else request.GET
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            made = services.change_request_submit(
                actor=request.user,
                enterprise=enterprise,
                field=data.get("field", ""),
                requested_value=data.get("requested_value", ""),
                headcount_year=data.get("headcount_year", ""),
                reason=data.get("reason", ""),
                evidence=request.FILES.get("evidence"),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Your request is with the bureau."))
            return redirect("portal:request_detail", pk=made.pk)
    return render(
        request,
        "portal/request_new.html",
        {
            "enterprise": enterprise,
            "fields": ChangeField.choices,
            "data": data,
            "errors": errors,
            "current": {f: services.current_value(enterprise, f) for f in ChangeField.values},
        },
        status=422 if errors else 200,
    )


@login_required
def request_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    require_portal_reader(request.user)
    change = selectors.change_request_get(request.user, pk)
    return render(
        request,
        "portal/request_detail.html",
        {
            "r": change,
            "requested": selectors.requested_label(change),
            "deadline": selectors.request_deadline(change),
            "may_decide": change.status == RequestStatus.PENDING
            and may_decide_for(request.user, change.enterprise),
            "errors": {},
        },
    )


@login_required
@require_POST
def request_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    require_portal_reader(request.user)
    change = selectors.change_request_get(request.user, pk)
    try:
        services.change_request_decide(
            actor=request.user,
            request=change,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except InvalidInput as exc:
        return render(
            request,
            "portal/request_detail.html",
            {
                "r": change,
                "requested": selectors.requested_label(change),
                "deadline": selectors.request_deadline(change),
                "may_decide": True,
                "errors": exc.errors,
            },
            status=422,
        )
    messages.success(request, _("The decision is recorded and the enterprise is told."))
    return redirect("portal:request_detail", pk=change.pk)


@login_required
def request_evidence(request: AuthedRequest, pk: int) -> HttpResponseBase:
    require_portal_reader(request.user)
    change = selectors.change_request_get(request.user, pk)
    if not change.evidence:
        from django.http import Http404

        raise Http404(_("The file is missing."))
    return private_file_response(change.evidence.name)


@login_required
def roster(request: AuthedRequest) -> HttpResponse:
    enterprise = _own_enterprise(request)
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "file":
                upload = request.FILES.get("file")
                if upload is None:
                    raise services.PortalInvalid(_("Choose a roster file."), "file")
                # The imports app checks the whole file and shows its preview and errors by
                # row; nothing is sent until the manager confirms there.
                job = import_job_create(
                    actor=request.user, kind=roster_importer.kind, upload=upload, options={}
                )
                return redirect("imports:job", pk=job.pk)
            else:
                services.roster_change_submit(
                    actor=request.user,
                    enterprise=enterprise,
                    given=services.RosterInput(
                        kind=request.POST.get("kind", ""),
                        person_name=request.POST.get("person_name", ""),
                        id_number=request.POST.get("id_number", ""),
                        effective_on=request.POST.get("effective_on", ""),
                    ),
                )
                count = 1
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("%(n)s roster changes are with the bureau.") % {"n": count},
            )
            return redirect("portal:roster")
    user = request.user
    changes = list(selectors.roster_changes_visible(user).filter(enterprise=enterprise)[:100])
    due = {
        u.change.pk: u
        for u in selectors.unregistered_adds(
            selectors.roster_changes_visible(user).filter(enterprise=enterprise),
            timezone.localdate(),
        )
    }
    for c in changes:
        c.unregistered = due.get(c.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "portal/roster.html",
        {
            "enterprise": enterprise,
            "changes": changes,
            "people": selectors.insured_people_visible(user).filter(
                enterprise=enterprise, insured_until__isnull=True
            )[:500],
            "kinds": RosterKind.choices,
            "data": data,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
@require_POST
def roster_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    require_portal_reader(request.user)
    change = selectors.roster_change_get(request.user, pk)
    try:
        services.roster_change_decide(
            actor=request.user,
            change=change,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except InvalidInput as exc:
        messages.error(request, f"{change.person_name} {change.id_masked}: {exc.message}")
    else:
        messages.success(request, _("The decision is recorded and the enterprise is told."))
    return redirect("portal:desk")
