"""Printable documents: Chinese PDFs (notices, certificates, handouts) and QR codes.

reportlab's built-in CID font STSong-Light draws Chinese without any font file, so the
documents render on an intranet machine with nothing installed.
"""

from __future__ import annotations

import io

CJK_FONT = "STSong-Light"


def cjk_font() -> str:
    """Register the Chinese font once and return its name for setFont / ParagraphStyle."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT


def qr_png(data: str, *, box_size: int = 8) -> bytes:
    import qrcode

    image = qrcode.make(data, box_size=box_size, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
