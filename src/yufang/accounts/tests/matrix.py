"""The machinery of the authorization matrix: the endpoints the URL conf and the OpenAPI schema
declare, request bodies made from the schema, and how an answer is classed.

What each role may do is declared in `access.py`; the test is `test_authorization_matrix.py`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

SKIPPED_NAMESPACES = {"admin", "api"}
SKIPPED_PREFIXES = ("i18n/", "api/", "admin/", "static/", "media/")


def page_names() -> dict[str, list[str]]:
    """Every named page of the URL conf (not the admin, the API, i18n or static), with the
    names of its URL parameters."""
    found: dict[str, list[str]] = {}

    def walk(resolver: URLResolver, namespace: str, prefix: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if route.startswith(SKIPPED_PREFIXES):
                continue
            if isinstance(pattern, URLResolver):
                if pattern.namespace in SKIPPED_NAMESPACES:
                    continue
                inner = ":".join(n for n in (namespace, pattern.namespace or "") if n)
                walk(pattern, inner, route)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                found[name] = list(pattern.pattern.converters)

    walk(get_resolver(), "", "")
    return found


def api_operations() -> dict[tuple[str, str], dict[str, Any]]:
    from yufang.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    components = schema.get("components", {}).get("schemas", {})
    ops: dict[tuple[str, str], dict[str, Any]] = {}
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            ops[(method.upper(), path)] = {"op": op, "components": components}
    return ops


# --- request bodies from the schema -------------------------------------------------------------


def _resolve(schema: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], components)
    return schema


def example(schema: dict[str, Any], components: dict[str, Any], name: str = "") -> Any:
    """A small value the schema accepts: enough to pass validation and reach the scope check."""
    schema = _resolve(schema, components)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("type") != "null"]
        if len(options) < len(schema["anyOf"]):
            return None
        return example(options[0], components, name)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        required = set(schema.get("required", ()))
        return {
            key: example(sub, components, key)
            for key, sub in schema.get("properties", {}).items()
            if key in required
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return dt.date.today().isoformat()  # noqa: DTZ011 - a value to validate, no more
        if fmt == "date-time":
            return "2030-01-01T09:00:00+08:00"
        if fmt == "binary":
            return "file"
        return "x" * max(1, int(schema.get("minLength", 1)))
    return "x"


def request_body(op: dict[str, Any], components: dict[str, Any]) -> tuple[str, Any] | None:
    """(content type, body) for an operation, or None when it takes no body."""
    body = op.get("requestBody")
    if not body:
        return None
    for content_type, spec in body["content"].items():
        value = example(spec.get("schema", {}), components)
        if content_type == "application/json":
            return content_type, json.dumps(value)
        files = {}
        for key, sub in _resolve(spec.get("schema", {}), components).get("properties", {}).items():
            if _resolve(sub, components).get("format") == "binary":
                files[key] = _png()
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if k not in files and v is not None}
            return content_type, value | files
        return content_type, files
    return None


def _png() -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


# --- answers ------------------------------------------------------------------------------------

LOGIN_PATH = "/accounts/login/"


def outcome(response: Any) -> str:
    """`ok` (served, or refused for its input: 400/409/413/422 mean it got past the scope
    check), `login`, `403`, `404`, `405` or `5xx`."""
    status = response.status_code
    if status >= 500:
        return "5xx"
    if status == 401:
        return "login"
    if status in (301, 302, 303) and response.get("Location", "").startswith(LOGIN_PATH):
        return "login"
    if status in (403, 404, 405):
        return str(status)
    return "ok"


def accepts(expected: str, got: str) -> bool:
    if expected == "denied":
        return got in ("403", "404")
    return expected == got
