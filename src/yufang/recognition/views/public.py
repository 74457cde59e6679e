"""The public pages: the injured worker, a close relative or the union applies for injury
recognition with a phone verified by an SMS code, follows the application, answers the
bureau's request for materials and reads the decision letter."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from yufang.enterprises.models import Enterprise
from yufang.lib.errors import InvalidInput
from yufang.lib.identifiers import normalise_credit_code
from yufang.notifications.phone import verified_phone
from yufang.recognition import clock, selectors, services
from yufang.recognition.models import (
    ApplicantKind,
    MaterialKind,
    RecognitionApplication,
)
from yufang.recognition.models import (
    ApplicationStatus as S,
)
from yufang.recognition.views.common import (
    NO_INITIAL,
    application_case_fields,
    choices,
    letter_response,
    render_page,
    uploads,
)
from yufang.support.ratelimits import client_address as rate_key

PURPOSE = "recognition"
# Submissions per client address: an application a minute is more than any family needs.
APPLY_RATE = "10/h"
PAGE_RATE = "60/m"


def _verified(request: HttpRequest) -> str | None:
    return verified_phone(request, purpose=PURPOSE)


def _verify_first(request: HttpRequest) -> HttpResponse:
    query = urlencode({"purpose": PURPOSE, "next": request.get_full_path()})
    return redirect(reverse("notifications:phone_verify") + "?" + query)


def _enterprise_by_code(raw: str) -> Enterprise:
    code = normalise_credit_code(raw or "")
    found = Enterprise.objects.filter(credit_code=code).first() if code else None
    if found is None:
        raise InvalidInput(
            _("No enterprise in the registry has this unified social credit code."),
            "enterprise",
        )
    return found


@ratelimit(key=rate_key, rate=APPLY_RATE, method="POST", block=True)
@ratelimit(key=rate_key, rate=PAGE_RATE, method="GET", block=True)
def public_apply(request: HttpRequest) -> HttpResponse:
    phone = _verified(request)
    if phone is None:
        return _verify_first(request)
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        try:
            application = services.application_submit(
                actor=None,
                enterprise=_enterprise_by_code(data.get("enterprise", "")),
                applicant_kind=data.get("applicant_kind", ""),
                applicant_name=data.get("applicant_name", ""),
                applicant_phone=phone,
                **application_case_fields(request),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Application submitted."))
            return redirect("recognition:public_application", pk=application.pk)
    return render_page(
        request,
        "recognition/public_apply.html",
        {
            "errors": errors,
            "data": data,
            "phone": phone,
            "initial": NO_INITIAL,
            "public": True,
            "applications": clock.with_clock(selectors.applications_of_phone(phone)[:20]),
            "required": services.required_materials(timezone.localdate()),
            **choices(),
            "applicant_kinds": [c for c in ApplicantKind.choices if c[0] != ApplicantKind.EMPLOYER],
        },
    )


def _own(request: HttpRequest, pk: int) -> tuple[str | None, RecognitionApplication | None]:
    phone = _verified(request)
    if phone is None:
        return None, None
    found = selectors.applications_of_phone(phone).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such application."))
    return phone, found


@ratelimit(key=rate_key, rate=PAGE_RATE, block=True)
def public_application(request: HttpRequest, pk: int) -> HttpResponse:
    phone, application = _own(request, pk)
    if application is None:
        return _verify_first(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "upload":
                files = uploads(request)
                if not files:
                    raise InvalidInput(_("Choose a file."), "file")
                for kind, upload in files:
                    services.material_add(
                        actor=None, application=application, kind=kind, upload=upload
                    )
            elif action == "supplement":
                services.application_supplement(
                    actor=None, application=application, note=request.POST.get("note", "")
                )
            else:
                raise InvalidInput(_("Unknown action."))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Saved."))
            return redirect("recognition:public_application", pk=pk)
        application.refresh_from_db()
    requested = [
        MaterialKind(m).label for m in application.requested_materials if m in MaterialKind.values
    ]
    return render_page(
        request,
        "recognition/public_application.html",
        {
            "a": application,
            "clock": clock.clock_of(application),
            "materials": application.materials.all(),
            "missing": [MaterialKind(m).label for m in services.missing_materials(application)],
            "requested": requested,
            "can_upload": application.status in (S.SUBMITTED, S.MATERIALS_REQUESTED),
            "errors": errors,
            **choices(),
        },
    )


@ratelimit(key=rate_key, rate=PAGE_RATE, block=True)
def public_letter(request: HttpRequest, pk: int) -> HttpResponse:
    _phone, application = _own(request, pk)
    if application is None:
        return _verify_first(request)
    return letter_response(application, request.GET.get("document", ""))
