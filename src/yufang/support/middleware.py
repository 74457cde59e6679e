"""Refusals every request gets before any view sees it."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _


class RefuseNulCharacters:
    """A NUL character has no place in text a person types, and PostgreSQL's text columns
    cannot hold one: a query or form value carrying it is refused here, naming the field,
    instead of failing deep in a query (a file's bytes are not looked at)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        where, name = self._nul_field(request)
        if name is not None:
            message = _("The field %(field)s holds a NUL character.") % {"field": name}
            if request.path.startswith("/api/"):
                detail = [{"loc": [where, name], "msg": message, "type": "invalid"}]
                return JsonResponse({"detail": detail}, status=422)
            return HttpResponseBadRequest(message)
        return self.get_response(request)

    @staticmethod
    def _nul_field(request: HttpRequest) -> tuple[str, str | None]:
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                return "query", key.replace("\x00", "")
        if "\x00" in request.path:
            return "path", "path"
        if request.method not in ("POST", "PUT", "PATCH"):
            return "", None
        content_type = request.META.get("CONTENT_TYPE", "")
        try:
            if content_type.startswith("application/json"):
                body = request.body
                if b"\\u0000" in body or b"\x00" in body:
                    return "body", "body"
            elif content_type.startswith(("multipart/form-data", "application/x-www-form")):
                for key, values in request.POST.lists():
                    if "\x00" in key or any("\x00" in v for v in values):
                        return "form", key.replace("\x00", "")
        except RequestDataTooBig:
            pass  # the view answers that itself (413)
        return "", None
