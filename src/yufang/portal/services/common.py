"""What the portal's services share: the error they raise, and checking an evidence file."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from yufang.lib.errors import InvalidInput


class PortalInvalid(InvalidInput):
    """Self-service input that cannot be saved."""


def evidence_max_bytes() -> int:
    # A setting of its own when the lead adds it; the hazard photo limit until then.
    return int(settings.PORTAL_EVIDENCE_MAX_BYTES)


def evidence_check(upload: Any, field: str = "evidence") -> None:
    """An evidence file is a photo (checked by Pillow from its content) or a PDF (by its
    signature), within the size limit."""
    size = getattr(upload, "size", 0) or 0
    limit = evidence_max_bytes()
    if size > limit:
        raise PortalInvalid(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, field
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"%PDF-"):
        return
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise PortalInvalid(
            _("The evidence must be a photo (JPEG, PNG or WebP) or a PDF."), field
        ) from exc
