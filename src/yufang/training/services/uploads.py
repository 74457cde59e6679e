"""Uploads checked by their content and stored under the kind they were found to be."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.training.services.common import (
    TrainingInvalid,
)


def _store(upload: UploadedFile, folder: str, ext: str) -> str:
    """Save an upload under training/<folder>/<year>/ and return its storage path. The
    extension is the one its content was found to be (`upload_check`), never the sender's."""
    stem = (upload.name or "file").rsplit(".", 1)[0].replace("/", "_").replace("\\", "_")
    path = f"training/{folder}/{timezone.localdate():%Y}/{secrets.token_hex(4)}-{stem[-80:]}.{ext}"
    upload.seek(0)
    return str(default_storage.save(path, upload))


# What a training upload may be, by its content (the name and the declared type are the
# sender's word, not the file's): the extension it is stored and served under.
IMAGE_KINDS = frozenset({"jpg", "png", "webp", "gif"})
VIDEO_KINDS = frozenset({"mp4", "webm", "ogv"})
DOCUMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "pptx"})
UPLOAD_CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_PILLOW_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# An Office Open XML file is a zip whose [Content_Types].xml names its main part's type.
_OFFICE_MAIN_TYPES = {
    "docx": "wordprocessingml.document.main+xml",
    "xlsx": "spreadsheetml.sheet.main+xml",
    "pptx": "presentationml.presentation.main+xml",
}


def upload_max_bytes() -> int:
    return int(getattr(settings, "TRAINING_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))


def _sniff(upload: UploadedFile, kinds: frozenset[str]) -> str | None:
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if "pdf" in kinds and head.startswith(b"%PDF-"):
        return "pdf"
    if "mp4" in kinds and head[4:8] == b"ftyp":
        return "mp4"
    if "webm" in kinds and head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return "webm"
    if "ogv" in kinds and head.startswith(b"OggS"):
        return "ogv"
    if kinds & IMAGE_KINDS:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as img:
                found = _PILLOW_FORMATS.get(str(img.format))
                img.verify()
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            found = None
        upload.seek(0)
        if found in kinds:
            return found
    if kinds & set(_OFFICE_MAIN_TYPES) and head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(upload) as archive:
                types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            types = ""
        upload.seek(0)
        for ext, main in _OFFICE_MAIN_TYPES.items():
            if ext in kinds and main in types:
                return ext
    return None


def upload_check(upload: UploadedFile | None, *, field: str, kinds: frozenset[str]) -> str:
    """The kind of an upload, found by its content, or a refusal naming the field: too large,
    empty, or not one of `kinds`."""
    if upload is None or not upload.size:
        raise TrainingInvalid({field: _("Upload the file.")})
    limit = upload_max_bytes()
    if upload.size > limit:
        raise TrainingInvalid(
            {field: _("The file is larger than %(n)s MB.") % {"n": limit // (1024 * 1024)}}
        )
    found = _sniff(upload, kinds)
    if found is None:
        names = "、".join(sorted(k.upper() for k in kinds))
        raise TrainingInvalid(
            {
                field: _("This file is not one of: %(kinds)s (checked by its content).")
                % {"kinds": names}
            }
        )
    return found
