"""What the council's services share: the domain error, text limits, reading a date, keeping
an uploaded file (checked by its content) in private storage."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from yufang.accounts.scoping.council import may_run_joint_meeting
from yufang.lib.errors import InvalidInput


class CouncilInvalid(InvalidInput):
    """Input to the joint meeting's records that a user must correct."""


# The longest text each field takes (characters).
TEXT_LIMITS = {
    "name": 200,
    "convener": 200,
    "remit": 500,
    "position": 100,
    "title": 300,
    "place": 200,
    "agenda": 20000,
    "minutes": 20000,
    "attendee": 100,
    "text": 5000,
    "note": 5000,
    "reference": 60,
    "summary": 20000,
    "joint_work": 20000,
    "problems": 20000,
    "next_year": 20000,
}


def clean_text(field: str, value: Any, *, required: bool = False) -> str:
    text = str(value if value is not None else "").strip()
    if "\x00" in text:
        raise CouncilInvalid(_("This text holds a character that cannot be stored."), field)
    if required and not text:
        raise CouncilInvalid(_("This field is required."), field)
    limit = TEXT_LIMITS[field]
    if len(text) > limit:
        raise CouncilInvalid(_("This text is longer than %(n)s characters.") % {"n": limit}, field)
    return text


def clean_date(field: str, value: Any, *, required: bool = True) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            raise CouncilInvalid(_("Give a date."), field)
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CouncilInvalid(
            _("Not a date (YYYY-MM-DD): %(value)s") % {"value": text[:20]}, field
        ) from exc
    if not 1950 <= day.year <= 2100:
        raise CouncilInvalid(_("Give a date between 1950 and 2100."), field)
    return day


def require_runs(actor: Any, region_id: int) -> None:
    if not may_run_joint_meeting(actor, region_id=region_id):
        raise PermissionDenied(_("Only the officials of this region run its joint meeting."))


# The files a meeting or a progress report may carry, by what their content starts with.
DOCUMENT_KINDS = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


def upload_max_bytes() -> int:
    return int(getattr(settings, "HAZARD_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def file_store(upload: Any, *, folder: str, field: str) -> tuple[str, str, int]:
    """Checks an uploaded file by its content and keeps it in private storage; returns its
    (name, storage path, size). Images must open as images."""
    name = str(getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:150]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    size = int(getattr(upload, "size", 0) or 0)
    if ext not in DOCUMENT_KINDS:
        raise CouncilInvalid(_("Only PDF, Word, Excel, PNG or JPEG files are accepted."), field)
    if size > upload_max_bytes():
        raise CouncilInvalid(
            _("The file is larger than %(mb)s MB.") % {"mb": upload_max_bytes() // (1024 * 1024)},
            field,
        )
    upload.seek(0)
    data = upload.read()
    if not data or not data.startswith(DOCUMENT_KINDS[ext]):
        raise CouncilInvalid(_("The file's content is not what its name says."), field)
    if ext in ("png", "jpg", "jpeg"):
        import io

        from PIL import Image

        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
        except Exception as exc:  # noqa: BLE001 - any failure to open means not an image
            raise CouncilInvalid(_("The file is not an image."), field) from exc
    path = default_storage.save(f"council/{folder}/{uuid.uuid4().hex}.{ext}", ContentFile(data))
    return name, path, len(data)
