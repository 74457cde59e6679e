from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from yufang.hazards.services import checklists_import


@pytest.fixture
def checklists(db: Any) -> int:
    return checklists_import()


def png(name: str = "photo.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def jpeg_with_exif() -> SimpleUploadedFile:
    """A JPEG whose EXIF says it was taken at 2025-03-04 09:10:11 at 36.1°N 120.5°E."""
    image = Image.new("RGB", (8, 8), (10, 120, 10))
    exif = Image.Exif()
    exif[0x8769] = {36867: "2025:03:04 09:10:11"}
    exif[0x8825] = {1: "N", 2: (36.0, 6.0, 0.0), 3: "E", 4: (120.0, 30.0, 0.0)}
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile("camera.jpg", buffer.getvalue(), content_type="image/jpeg")


def pdf_text(data: bytes) -> str:
    """The text drawn in an uncompressed reportlab PDF with a UCS-2 CID font."""

    def unescape(raw: bytes) -> bytes:
        out = bytearray()
        i = 0
        while i < len(raw):
            c = raw[i]
            if c == 0x5C:  # backslash
                nxt = raw[i + 1 : i + 4]
                m = re.match(rb"[0-7]{1,3}", nxt)
                if m:
                    out.append(int(m.group(), 8) & 0xFF)
                    i += 1 + len(m.group())
                    continue
                out.append(
                    {b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12}.get(
                        raw[i + 1 : i + 2], raw[i + 1]
                    )
                )
                i += 2
                continue
            out.append(c)
            i += 1
        return bytes(out)

    parts = []
    for m in re.finditer(rb"\(((?:\\.|[^\\)])*)\) Tj", data, re.S):
        chunk = unescape(m.group(1))
        parts.append(chunk.decode("utf-16-be", errors="ignore") if len(chunk) % 2 == 0 else "")
    return "".join(parts)
