"""The JSON API at /api/v1 (OpenAPI at /api/docs). Session auth for the browser, bearer
tokens for clients. Each domain mounts its own router."""

from __future__ import annotations

from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.exceptions import Ratelimited
from ninja import NinjaAPI
from ninja.renderers import BaseRenderer
from ninja.responses import NinjaJSONEncoder
from ninja.security import HttpBearer, django_auth

from yufang.accounts.api import router as accounts_router
from yufang.accounts.services import LoginLocked, api_token_user
from yufang.audit.api import router as audit_router
from yufang.council.api import router as council_router
from yufang.enterprises.api import router as enterprises_router
from yufang.field.api import router as field_router
from yufang.funds.api import router as funds_router
from yufang.grid.api import router as screening_router
from yufang.hazards.api import router as hazards_router
from yufang.imports.api import router as imports_router
from yufang.industries.api import router as industries_router
from yufang.injuries.api import router as injuries_router
from yufang.lib.errors import InvalidInput
from yufang.notifications.api import router as notifications_router
from yufang.outreach.api import router as outreach_router
from yufang.policy.api import router as policy_router
from yufang.portal.api import router as portal_router
from yufang.recognition.api import router as recognition_router
from yufang.regions.api import grids_router as grid_router
from yufang.regions.api import router as regions_router
from yufang.training.api import router as training_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


# Every operation can answer these, from the shared exception handlers and authentication:
# declared once here so the schema states them and clients (and the fuzzer) can rely on them.
ERROR_RESPONSES: dict[str, str] = {
    "401": "Not signed in, or the token is unknown, expired or revoked.",
    "403": "The role may not do this.",
    "404": "No such record within the caller's scope.",
    "413": "The request body is over the upload limit.",
    "422": "Input that does not validate: `detail` names each field.",
    "429": "Too many failed sign-ins: locked for a while.",
}
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "object"}},
                {"type": "object"},
            ]
        }
    },
    "required": ["detail"],
}


class JSONRenderer(BaseRenderer):
    """JSON by orjson: a city's table by grid is 1,500 rows and 1.3 MB, which the standard
    encoder took a quarter of the request to write. Dates, times, decimals and the rest go
    through Ninja's own encoder (`default`), so they read exactly as before; only the spacing
    differs and text is UTF-8 rather than escaped."""

    media_type = "application/json"
    _encoder = NinjaJSONEncoder()

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return orjson.dumps(
            data,
            default=self._encoder.default,
            option=orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS,
        )


class YufangAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                for code, text in ERROR_RESPONSES.items():
                    responses.setdefault(
                        code,
                        {
                            "description": text,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Error"}
                                }
                            },
                        },
                    )
        return schema


api = YufangAPI(
    title="yufang API",
    version="1",
    description="Work-injury prevention programme (工伤预防) platform API.",
    urls_namespace="api",
    renderer=JSONRenderer(),
    # The bearer token is asked first: session auth refuses an unsafe request without a CSRF
    # token before the next method is tried, so a client with only a token could not write.
    auth=[BearerToken(), django_auth],
)


@api.exception_handler(InvalidInput)
def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": [
                {"loc": ["body", f] if f else ["body"], "msg": str(m), "type": "invalid"}
                for f, m in exc.errors.items()
            ]
        },
        status=422,
    )


@api.exception_handler(LoginLocked)
def login_locked(request: HttpRequest, exc: LoginLocked) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc.message)}, status=429)


@api.exception_handler(RequestDataTooBig)
def request_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": _("The request body is larger than %(mb)s MB.") % {"mb": _upload_mb()}},
        status=413,
    )


def _upload_mb() -> int:
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)


@api.exception_handler(Ratelimited)
def rate_limited(request: HttpRequest, exc: Ratelimited) -> HttpResponse:
    message = _("Too many requests from your address. Please wait a minute and try again.")
    return api.create_response(request, {"detail": message}, status=429)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Permission denied"}, status=403)


api.add_router("/auth", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/policy", policy_router)
api.add_router("/regions", regions_router)
api.add_router("/industries", industries_router)
api.add_router("/grids", grid_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("/injuries", injuries_router)
api.add_router("/hazards", hazards_router)
api.add_router("/training", training_router)
api.add_router("/notifications", notifications_router)
api.add_router("/imports", imports_router)
api.add_router("/grid", screening_router)
api.add_router("/field", field_router)
api.add_router("/portal", portal_router)
api.add_router("/recognition", recognition_router)
api.add_router("/funds", funds_router)
api.add_router("/outreach", outreach_router)
api.add_router("/council", council_router)
