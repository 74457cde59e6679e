"""Rectification notices: their PDF and public check, and who issues them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from yufang.accounts.scoping.hazards import may_configure_issuer, may_configure_notice_issuers
from yufang.hazards import selectors, services
from yufang.hazards.models import (
    NoticeIssuer,
    RectificationNotice,
)
from yufang.hazards.pdf import notice_from_token, notice_pdf
from yufang.hazards.views.common import (
    _render,
)
from yufang.lib.errors import InvalidInput
from yufang.support.http import private_file_response


@login_required
def notice_issuers(request: HttpRequest) -> HttpResponse:
    """Who issues each region's rectification notices, and its seal (province and city
    officials)."""
    if not may_configure_notice_issuers(request.user):
        raise PermissionDenied(_("Province and city officials configure the issuing authority."))
    rows = selectors.notice_issuer_rows(request.user)
    by_code = {r.region.code: r for r in rows}
    errors: dict[str, str] = {}
    p = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        row = by_code.get(p.get("region", ""))
        try:
            if row is None:
                raise InvalidInput(_("Choose a city or county."), "region")
            services.notice_issuer_set(
                actor=request.user,
                region=row.region,
                name=p.get("name", ""),
                seal=request.FILES.get("seal"),
                remove_seal=p.get("remove_seal") == "1",
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Notices of %(region)s are now issued by %(name)s.")
                % {"region": row.region.name, "name": p.get("name", "").strip()},
            )
            return redirect("hazards:notice_issuers")
    chosen = by_code.get(p.get("region", ""))
    return _render(
        request,
        "hazards/notice_issuers.html",
        {
            "rows": rows,
            "errors": errors,
            "chosen": chosen,
            "name": p.get("name", "")
            if request.method == "POST"
            else (chosen.name if chosen else ""),
        },
    )


@login_required
def notice_issuer_seal(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A configured seal image, to those who may configure its region (404 otherwise)."""
    issuer = get_object_or_404(NoticeIssuer.objects.select_related("region"), pk=pk)
    if not issuer.seal_path or not may_configure_issuer(request.user, issuer.region):
        raise Http404
    return private_file_response(issuer.seal_path)


@login_required
def notice_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_get(request.user, pk)
    body = notice_pdf(notice, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.number}.pdf"'
    return response


def notice_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: anyone holding the printed notice sees whether it is genuine and where its
    hazards stand. No personal data: no names of people, no photos."""
    pk = notice_from_token(token)
    notice = (
        RectificationNotice.objects.select_related("enterprise").filter(pk=pk).first()
        if pk
        else None
    )
    if notice is None:
        raise Http404(_("This notice is not genuine."))
    return _render(
        request,
        "hazards/notice_verify.html",
        {"notice": notice, "hazards": notice.hazards.order_by("deadline", "id")},
    )
