"""The text of the platform's PDFs, for tests to assert what a letter says. reportlab writes
each line as a literal string shown with Tj, in a stream encoded ASCII85 then Flate; Chinese
text is in STSong-Light with UCS-2 (big-endian) codes. No PDF library is needed for that."""

from __future__ import annotations

import base64
import re
import zlib

_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_SHOWN = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i : i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal.group(0), 8))
            i += 1 + len(octal.group(0))
        else:
            out += _ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def _inflate(raw: bytes) -> bytes:
    data = raw.strip()
    if data.endswith(b"~>"):
        data = base64.a85decode(data, adobe=True)
    try:
        return zlib.decompress(data)
    except zlib.error:
        return data


def pdf_text(data: bytes) -> str:
    """The text the PDF shows, its lines joined without separators (so that a sentence
    wrapped across lines reads whole)."""
    assert data.startswith(b"%PDF-"), data[:20]
    shown = []
    for stream in _STREAM.finditer(data):
        for literal in _SHOWN.finditer(_inflate(stream.group(1))):
            raw = _unescape(literal.group(1))
            shown.append(raw.decode("utf-16-be", errors="replace"))
    return "".join(shown)
