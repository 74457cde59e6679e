"""The rectification notice (整改通知书) as a PDF, in Chinese whatever the UI language.

reportlab's built-in CID font STSong-Light needs no font file; the QR code links to a public
page that shows the notice's status without personal data (a signed token, not the id)."""

from __future__ import annotations

import io
from typing import Any

from django.core import signing
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from yufang.hazards.models import HazardLevel, HazardStatus, RectificationNotice
from yufang.hazards.selectors import notice_issuer_for
from yufang.lib.documents import CJK_FONT, cjk_font, qr_png

SALT = "yufang.hazards.notice"
FONT = CJK_FONT


def notice_token(notice: RectificationNotice) -> str:
    return signing.dumps(notice.pk, salt=SALT)


def notice_from_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def verify_path(notice: RectificationNotice) -> str:
    return reverse("hazards:notice_verify", args=[notice_token(notice)])


LEVEL_ZH = {HazardLevel.ORDINARY: "一般隐患", HazardLevel.MAJOR: "重大隐患"}
STATUS_ZH = {
    HazardStatus.REPORTED: "已登记",
    HazardStatus.ASSIGNED: "已交办",
    HazardStatus.RECTIFYING: "整改中",
    HazardStatus.SUBMITTED: "已提交整改",
    HazardStatus.VERIFIED: "已验收",
    HazardStatus.CLOSED: "已销号",
}


def _seal_image(path: str, image_class: Any, mm: float) -> Any:
    """The seal as a reportlab image, or None when there is none (or its file is gone)."""
    if not path or not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as f:
        data = io.BytesIO(f.read())
    return image_class(data, width=32 * mm, height=32 * mm)


def notice_pdf(notice: RectificationNotice, *, base_url: str, compress: bool = True) -> bytes:
    """The notice with its hazards and deadlines, and a QR code to the verification page.
    `base_url` is the site's address (scheme and host) that the QR code points to."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    cjk_font()
    title = ParagraphStyle("title", fontName=FONT, fontSize=20, leading=28, alignment=1)
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=18)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=13)
    enterprise = notice.enterprise
    issuer_name, seal_path = notice.issuer_name, notice.issuer_seal_path
    if not issuer_name:  # issued before authorities were recorded on the notice
        issuer_name, seal_path = notice_issuer_for(enterprise)
    issuer_style = ParagraphStyle("issuer", fontName=FONT, fontSize=14, leading=20, alignment=1)
    right = ParagraphStyle("right", fontName=FONT, fontSize=11, leading=18, alignment=2)
    hazards = list(notice.hazards.order_by("deadline", "id"))
    issued = timezone.localtime(notice.issued_at)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"整改通知书 {notice.number}",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        pageCompression=1 if compress else 0,
    )
    story: list[Any] = [
        Paragraph(issuer_name, issuer_style),
        Paragraph("隐患整改通知书", title),
        Spacer(1, 4 * mm),
        Paragraph(f"编号：{notice.number}", body),
        Paragraph(f"{enterprise.name}（统一社会信用代码 {enterprise.credit_code}）：", body),
        Spacer(1, 2 * mm),
        Paragraph(
            "经检查，你单位存在下列事故隐患。依据《安全生产事故隐患排查治理暂行规定》"
            "（安监总局令第16号），请在规定期限内完成整改，整改完成后在平台上传整改证据，"
            "申请验收；重大隐患须落实整改措施、责任、资金、时限和预案（五落实）。",
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    rows: list[list[Any]] = [
        [Paragraph(h, cell) for h in ("编号", "隐患描述", "等级", "整改期限", "状态")]
    ]
    for h in hazards:
        rows.append(
            [
                Paragraph(str(h.pk), cell),
                Paragraph(h.description + (f"（{h.location}）" if h.location else ""), cell),
                Paragraph(LEVEL_ZH[HazardLevel(h.level)], cell),
                Paragraph(h.deadline.isoformat(), cell),
                Paragraph(STATUS_ZH[HazardStatus(h.status)], cell),
            ]
        )
    table = Table(rows, colWidths=[14 * mm, 92 * mm, 20 * mm, 24 * mm, 22 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [table, Spacer(1, 6 * mm)]
    url = base_url.rstrip("/") + verify_path(notice)
    signature: list[Any] = [
        Paragraph(f"签发机关：{issuer_name}（盖章）", right),
        Paragraph(f"{issued:%Y年%m月%d日}", right),
    ]
    seal = _seal_image(seal_path, Image, mm)
    if seal is not None:
        # The seal is stamped over the authority's name and the date, as on paper.
        signature = [
            Table(
                [[signature, seal]],
                colWidths=[136 * mm, 38 * mm],
                style=[("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
            )
        ]
    story += [
        *signature,
        Spacer(1, 3 * mm),
        Paragraph(f"签发时间：{issued:%Y年%m月%d日 %H:%M}", body),
        Spacer(1, 3 * mm),
        Image(io.BytesIO(qr_png(url, box_size=4)), width=32 * mm, height=32 * mm, hAlign="LEFT"),
        Paragraph("扫描二维码核验本通知书的真伪和整改状态。", cell),
    ]
    doc.build(story)
    return buffer.getvalue()
