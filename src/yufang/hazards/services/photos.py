"""Photos of findings and of rectification evidence: the content must be an image, and
the camera's time and place are kept when it gives them."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping.hazards import REPORTERS
from yufang.audit.services import audit_create
from yufang.hazards.models import (
    Assessment,
    Hazard,
    Photo,
    PhotoKind,
)
from yufang.hazards.services.core import (
    HazardInvalid,
    S,
    _check_assessor,
    _decimal,
    _may_act_on,
)

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}


def _photo_max_bytes() -> int:
    return int(getattr(settings, "HAZARD_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def _exif_place_and_time(image: Any) -> tuple[dt.datetime | None, Decimal | None, Decimal | None]:
    """When and where the camera says it took the picture, if it says so."""
    taken = lat = lng = None
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - broken EXIF is common and never fatal
        return None, None, None
    raw = exif.get_ifd(0x8769).get(36867) or exif.get(306)  # DateTimeOriginal, DateTime
    if raw:
        try:
            naive = dt.datetime.strptime(str(raw), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
            taken = timezone.make_aware(naive)  # cameras record local time
        except ValueError:
            taken = None
    gps = exif.get_ifd(0x8825)
    if gps and 2 in gps and 4 in gps:
        try:

            def degrees(parts: Any, ref: Any, negative: str) -> Decimal:
                d, m, s = (Decimal(str(float(p))) for p in parts)
                value = d + m / 60 + s / 3600
                return (-value if str(ref).upper() == negative else value).quantize(
                    Decimal("0.000001")
                )

            lat = degrees(gps[2], gps.get(1, "N"), "S")
            lng = degrees(gps[4], gps.get(3, "E"), "W")
        except (TypeError, ValueError, ArithmeticError):
            lat = lng = None
    return taken, lat, lng


def photo_add(
    *,
    actor: Any,
    upload: UploadedFile,
    kind: str,
    hazard: Hazard | None = None,
    assessment: Assessment | None = None,
    taken_at: dt.datetime | None = None,
    latitude: Any = None,
    longitude: Any = None,
) -> Photo:
    """Stores a photo after checking its content (not its name) is an image and its size."""
    from PIL import Image, UnidentifiedImageError

    if kind not in PhotoKind.values:
        raise HazardInvalid(_("Unknown kind of photo."), "kind")
    if kind == PhotoKind.EVIDENCE:
        if hazard is None or actor.role != Role.SAFETY_MANAGER or not _may_act_on(actor, hazard):
            raise PermissionDenied(_("Only the enterprise adds rectification evidence."))
        if hazard.status != S.RECTIFYING:
            raise HazardInvalid(_("Evidence is added while the hazard is being rectified."))
    elif hazard is not None:
        if actor.role not in REPORTERS or not _may_act_on(actor, hazard):
            raise PermissionDenied(_("You may not add photos to this hazard."))
    elif assessment is not None:
        _check_assessor(actor, assessment)
    else:
        raise HazardInvalid(_("A photo belongs to a hazard or an assessment."))
    limit = _photo_max_bytes()
    if upload.size is None or upload.size > limit:
        raise HazardInvalid(
            _("The photo is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, "photo"
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
            fmt = probe.format
        with Image.open(io.BytesIO(data)) as image:
            exif_taken, exif_lat, exif_lng = _exif_place_and_time(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise HazardInvalid(_("The file is not a photo (JPEG, PNG or WebP)."), "photo") from exc
    if fmt not in IMAGE_FORMATS:
        raise HazardInvalid(_("The file is not a photo (JPEG, PNG or WebP)."), "photo")
    lat = _decimal(latitude, "latitude", _("Latitude"))
    lng = _decimal(longitude, "longitude", _("Longitude"))
    if lat is not None and not -90 <= lat <= 90:
        raise HazardInvalid(_("Latitude must be between -90 and 90."), "latitude")
    if lng is not None and not -180 <= lng <= 180:
        raise HazardInvalid(_("Longitude must be between -180 and 180."), "longitude")
    with transaction.atomic():
        photo = Photo(
            hazard=hazard,
            assessment=assessment or (hazard.assessment if hazard else None),
            kind=kind,
            taken_at=taken_at or exif_taken or timezone.now(),
            latitude=lat if lat is not None else exif_lat,
            longitude=lng if lng is not None else exif_lng,
            uploaded_by=actor,
        )
        ext = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}[fmt]
        stamp = timezone.localdate()
        photo.image_path = default_storage.save(
            f"hazards/photos/{stamp:%Y/%m}/{uuid.uuid4().hex}.{ext}", ContentFile(data)
        )
        photo.save()
        audit_create(actor, photo)
    return photo
