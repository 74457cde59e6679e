"""Small helpers shared by HTML views: file downloads, uploaded files."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.lib.spreadsheets import write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def spreadsheet_response(
    name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, kind: str = "xlsx"
) -> HttpResponse:
    """An XLSX (default) or CSV download named `<name>-<date>`; Chinese names survive."""
    stamp = timezone.localdate().isoformat()
    if kind == "csv":
        body, content_type, ext = write_csv(headers, rows), "text/csv; charset=utf-8", "csv"
    else:
        body, content_type, ext = write_xlsx(headers, rows, title=name), XLSX, "xlsx"
    response = HttpResponse(body, content_type=content_type)
    filename = f"{name}-{stamp}.{ext}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


UPLOAD_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
    "pdf": "application/pdf",
    "mp4": "video/mp4",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
}


def private_file_response(path: str) -> HttpResponseBase:
    """An uploaded file (a storage path), for a request the view has already allowed to see
    it: uploads are never public under /media/. Behind nginx, setting `MEDIA_ACCEL_REDIRECT`
    (e.g. "/protected-media/", an `internal` location aliasing MEDIA_ROOT) hands the sending
    to nginx with `X-Accel-Redirect`; otherwise Django streams the file."""
    name = path.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = UPLOAD_TYPES.get(ext, "application/octet-stream")
    if not path or not default_storage.exists(path):
        raise Http404(_("The file is missing."))
    accel = str(getattr(settings, "MEDIA_ACCEL_REDIRECT", "") or "")
    response: HttpResponseBase
    if accel:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(accel.rstrip("/") + "/" + path.lstrip("/"))
    else:
        response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    # For the signed-in viewer only: no shared cache may keep it.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def client_address(request: Any) -> str:
    """The client's address: the peer's, or the one the trusted proxies recorded (the
    `TRUSTED_PROXY_COUNT` nearest hops of X-Forwarded-For are ours; the one before them is the
    client). Sign-in lockout and rate limits both count by it."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return str(request.META.get("REMOTE_ADDR") or "")
