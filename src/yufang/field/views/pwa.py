"""What makes the field app installable and usable offline: the web app manifest and the
service worker, served from /field/ so the worker's scope is the field app's pages."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "field"
# What the pages need to draw with no network (no charts, no HTMX: the field pages use neither).
SHELL_FILES = [
    "vendor/tabler/css/tabler.min.css",
    "field/field.css",
    "field/field.js",
    "field/icon-192.png",
    "field/icon-512.png",
]


@functools.cache
def _version() -> str:
    """Changes whenever the field app's own files do, so phones take the new worker."""
    digest = hashlib.sha256()
    for name in ("sw.js", "field.js", "field.css"):
        digest.update((STATIC_DIR / name).read_bytes())
    return digest.hexdigest()[:12]


def shell_urls() -> list[str]:
    return [static(name) for name in SHELL_FILES] + [reverse("field:manifest")]


# The pages kept on the phone are in one cache per user, "<PAGE_CACHE>-<user id>": the
# service worker learns whose a page is from USER_HEADER and serves offline only the pages of
# the user who last opened the field app with signal.
PAGE_CACHE = "yufang-field-pages"
USER_HEADER = "X-Field-User"


def page_cache(user_id: int) -> str:
    return f"{PAGE_CACHE}-{user_id}"


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data: dict[str, Any] = {
        "name": _("Work-injury prevention: field app"),
        "short_name": _("Field app"),
        "description": _(
            "Today's screening tasks, the enterprise card and the checklist, offline."
        ),
        "lang": get_language(),
        "start_url": reverse("field:today"),
        "scope": reverse("field:today"),
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": "#206bc4",
        "icons": [
            {"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("field/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return JsonResponse(
        data,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@never_cache
def sw(request: HttpRequest) -> HttpResponse:
    config = {
        "version": _version(),
        "shell": shell_urls(),
        "pageCache": PAGE_CACHE,
        "userHeader": USER_HEADER,
        "scope": reverse("field:today"),
        "start": reverse("field:today"),
        "swPath": reverse("field:sw"),
        "login": reverse("accounts:login"),
        "offlineText": _("No network, and this page was not kept on the phone."),
    }
    text = f"self.FIELD = {json.dumps(config, ensure_ascii=False)};\n"
    text += (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    response = HttpResponse(text, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = reverse("field:today")
    return response
