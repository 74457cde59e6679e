"""Certificates, their PDF and their public verification."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_ratelimit.decorators import ratelimit

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping import PROVINCE_WIDE_ROLES, sees_person_names
from yufang.support.http import spreadsheet_response
from yufang.support.ratelimits import client_address
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.views.common import (
    RUNNERS,
    _attempt,
    _page,
)


@login_required
def certificates_view(request: AuthedRequest) -> HttpResponse:
    qs = sel.certificates_visible(request.user)
    if request.GET.get("expiring") == "1":
        qs = sel.certificates_expiring(request.user)
    status = request.GET.get("status", "")
    today = timezone.localdate()
    if status == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    elif status == "expired":
        qs = qs.filter(revoked_at__isnull=True, expires_on__lt=today)
    elif status == "valid":
        qs = qs.filter(revoked_at__isnull=True, expires_on__gte=today)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("certificates"),
            [
                _("certificate number"),
                _("trainee"),
                pgettext("training", "enterprise"),
                _("title"),
                _("issued on"),
                _("expires on"),
                _("status"),
            ],
            (
                [
                    c.code,
                    sel.trainee_shown(request.user, c.trainee).name,
                    c.trainee.enterprise.name if c.trainee.enterprise else "",
                    c.title,
                    c.issued_on,
                    c.expires_on,
                    sel.certificate_status_label(sel.certificate_status(c, today)),
                ]
                for c in qs
            ),
        )
    return render(
        request,
        "training/certificates.html",
        {"page_obj": _page(request, qs), "status": status, "today": today},
    )


@login_required
def certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    certificate = sel.certificate_get(request.user, pk)
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        errors = _attempt(
            request,
            lambda: svc.certificate_revoke(
                actor=request.user, certificate=certificate, reason=request.POST.get("reason", "")
            ),
            reverse("training:certificate", args=[pk]),
            done=_("The certificate is revoked."),
        )
        if isinstance(errors, HttpResponse):
            return errors
    status = sel.certificate_status(certificate)
    return render(
        request,
        "training/certificate_detail.html",
        {
            "certificate": certificate,
            "status": status,
            "status_label": sel.certificate_status_label(status),
            "errors": errors,
            "may_revoke": request.user.role in (*PROVINCE_WIDE_ROLES, *RUNNERS)
            and certificate.revoked_at is None,
        },
    )


@login_required
def certificate_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    certificate = sel.certificate_get(request.user, pk)
    if not sees_person_names(request.user):
        # The certificate itself names its holder in full: for the people who see names.
        raise Http404
    url = request.build_absolute_uri(reverse("training:verify", args=[certificate.code]))
    response = HttpResponse(
        sel.certificate_pdf(certificate, verify_url=url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{certificate.code}.pdf"'
    return response


@ratelimit(key=client_address, rate="120/m", block=True)
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding a certificate's code (its QR) may check it, without signing in."""
    certificate = sel.certificate_by_code(code)
    status = sel.certificate_status(certificate) if certificate else ""
    return render(
        request,
        "training/verify.html",
        {
            "certificate": certificate,
            "status": status,
            "status_label": sel.certificate_status_label(status) if status else "",
        },
        status=200 if certificate else 404,
    )
