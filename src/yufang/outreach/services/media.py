"""Uploaded files checked by their content, never their name or declared type: photos opened
by Pillow and re-encoded (no camera metadata leaves with a public photo) with a thumbnail;
micro-videos and song recordings read by mutagen (format and duration). Anything else is
refused. Limits are dated parameters (`policy/parameters/outreach.yaml`)."""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.lib.errors import InvalidInput

PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "MPO"}
THUMBNAIL_PX = 480
PHOTO_MAX_PX = 4096


def rule(name: str) -> Any:
    """A dated rule of the module, as in force today."""
    return policy.value(name, on=timezone.localdate())


@dataclass(frozen=True)
class Prepared:
    """A checked upload, not yet stored: its bytes, thumbnail, digest, format and length."""

    data: bytes
    thumbnail: bytes
    sha256: str
    media_format: str
    ext: str
    duration_seconds: Decimal | None


def _read_limited(upload: Any, limit: int, field: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        raise InvalidInput(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, field
        )
    data: bytes = upload.read()
    if len(data) > limit:
        raise InvalidInput(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, field
        )
    if not data:
        raise InvalidInput(_("The file is empty."), field)
    return data


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _folder(kind: str) -> str:
    return f"outreach/{kind}/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}"


def photo_clean(upload: Any, *, field: str = "file") -> tuple[bytes, bytes, str]:
    """(the photo re-encoded as JPEG, its thumbnail, the original's SHA-256)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    data = _read_limited(upload, int(rule("outreach_photo_max_bytes")), field)
    not_photo = InvalidInput(_("The file is not a photo (JPEG, PNG or WebP)."), field)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
            fmt = probe.format
        if fmt not in PHOTO_FORMATS:
            raise not_photo
        with Image.open(io.BytesIO(data)) as opened:
            picture = ImageOps.exif_transpose(opened).convert("RGB")
            picture.thumbnail((PHOTO_MAX_PX, PHOTO_MAX_PX))
            full = io.BytesIO()
            picture.save(full, format="JPEG", quality=88)
            picture.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
            thumb = io.BytesIO()
            picture.save(thumb, format="JPEG", quality=80)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as exc:
        raise not_photo from exc
    return full.getvalue(), thumb.getvalue(), file_sha256(data)


def _mp4_tracks(data: bytes) -> set[bytes]:
    """The handler types (b"vide", b"soun") of an MP4's tracks."""
    from mutagen.mp4 import Atoms

    atoms = Atoms(io.BytesIO(data))
    found: set[bytes] = set()
    for trak in atoms[b"moov"].findall(b"trak"):
        hdlr = trak[b"mdia", b"hdlr"]
        ok, body = hdlr.read(io.BytesIO(data))
        if ok:
            found.add(body[8:12])
    return found


def video_clean(upload: Any, *, field: str = "file") -> tuple[bytes, Decimal]:
    """An MP4 micro-video's bytes and duration in seconds, within the limits."""
    from mutagen import MutagenError
    from mutagen.mp4 import MP4

    data = _read_limited(upload, int(rule("outreach_video_max_bytes")), field)
    not_video = InvalidInput(_("The file is not an MP4 video."), field)
    if data[4:8] != b"ftyp":
        raise not_video
    try:
        info = MP4(io.BytesIO(data)).info
        tracks = _mp4_tracks(data)
    except (MutagenError, KeyError, ValueError, OSError, IndexError) as exc:
        raise not_video from exc
    if b"vide" not in tracks or info is None:
        raise not_video
    seconds = Decimal(str(round(float(info.length), 2)))
    bounds = rule("outreach_video_seconds")
    if not bounds["min"] <= seconds <= bounds["max"]:
        raise InvalidInput(
            _("A micro-video runs %(min)s to %(max)s seconds; this one runs %(s)s.")
            % {"min": bounds["min"], "max": bounds["max"], "s": seconds},
            field,
        )
    return data, seconds


def audio_clean(upload: Any, *, field: str = "file") -> tuple[bytes, str, Decimal]:
    """A song recording (MP3 or M4A): its bytes, format and duration."""
    from mutagen import File as MutagenFile
    from mutagen import MutagenError
    from mutagen.mp3 import MP3
    from mutagen.mp4 import MP4

    data = _read_limited(upload, int(rule("outreach_audio_max_bytes")), field)
    not_audio = InvalidInput(_("The file is not a song recording (MP3 or M4A)."), field)
    try:
        found = MutagenFile(io.BytesIO(data), options=[MP3, MP4])
    except (MutagenError, KeyError, ValueError, OSError, IndexError) as exc:
        raise not_audio from exc
    if found is None or not getattr(found.info, "length", 0):
        raise not_audio
    fmt = "MP3" if isinstance(found, MP3) else "M4A"
    return data, fmt, Decimal(str(round(float(found.info.length), 2)))


def prepare(upload: Any, *, kind: str, field: str = "file") -> Prepared:
    """Checks an upload for a contest of this kind ("photo", "video", "song")."""
    if kind == "photo":
        full, thumb, digest = photo_clean(upload, field=field)
        return Prepared(full, thumb, digest, "JPEG", "jpg", None)
    if kind == "video":
        data, seconds = video_clean(upload, field=field)
        return Prepared(data, b"", file_sha256(data), "MP4", "mp4", seconds)
    data, fmt, seconds = audio_clean(upload, field=field)
    return Prepared(data, b"", file_sha256(data), fmt, fmt.lower().replace("m4a", "m4a"), seconds)


def store(prepared: Prepared, *, folder: str) -> tuple[str, str]:
    """Saves a checked upload: (its path, its thumbnail's path or "")."""
    base = _folder(folder)
    path = default_storage.save(f"{base}.{prepared.ext}", ContentFile(prepared.data))
    thumb = (
        default_storage.save(f"{base}-thumb.jpg", ContentFile(prepared.thumbnail))
        if prepared.thumbnail
        else ""
    )
    return path, thumb
