"""The page that proves a phone number for a public page, then sends the visitor back."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from yufang.lib.errors import InvalidInput
from yufang.lib.protected import phone_mask
from yufang.notifications.phone import (
    PURPOSES,
    phone_code_check,
    phone_code_send,
    phone_verified_remember,
)
from yufang.support.http import client_address
from yufang.support.ratelimits import client_address as rate_key


def _next_url(request: HttpRequest, candidate: str) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


@ratelimit(key=rate_key, rate="60/h", method="POST", block=True)
def phone_verify(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    purpose = data.get("purpose", "")
    next_url = _next_url(request, data.get("next", ""))
    context: dict[str, object] = {
        "purpose": purpose if purpose in PURPOSES else "",
        "next": next_url,
        "phone": data.get("phone", ""),
        "step": "phone",
        "errors": {},
    }
    if purpose not in PURPOSES:
        context["errors"] = {"": _("This page was opened without saying what it is for.")}
        return render(request, "notifications/phone_verify.html", context, status=400)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "check":
                context["step"] = "code"
                phone_code_check(
                    phone=request.POST.get("phone", ""),
                    code=request.POST.get("code", ""),
                    purpose=purpose,
                )
                phone_verified_remember(
                    request, phone=request.POST.get("phone", ""), purpose=purpose
                )
                return redirect(next_url)
            phone_code_send(
                phone=request.POST.get("phone", ""),
                purpose=purpose,
                source=client_address(request),
            )
            context["step"] = "code"
            context["masked"] = phone_mask(str(context["phone"]))
        except InvalidInput as exc:
            context["errors"] = exc.errors
            if "phone" in exc.errors:
                context["step"] = "phone"
            context["masked"] = phone_mask(str(context["phone"]))
    return render(request, "notifications/phone_verify.html", context)
