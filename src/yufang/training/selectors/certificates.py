"""Certificates: who sees them, their status, the PDF."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.scoping import (
    ScopePaths,
    own_records_q,
    scope_queryset,
)
from yufang.lib.documents import cjk_font, qr_png
from yufang.training.models import (
    Certificate,
)
from yufang.training.selectors.common import (
    _none,
)


def certificates_visible(user: Any) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("trainee", "trainee__enterprise", "course")
    if _none(user):
        return qs.none()
    own = own_records_q(user, "trainee__user")
    if own is not None:
        return qs.filter(own)
    return scope_queryset(
        user,
        qs,
        ScopePaths.via_enterprise("trainee__enterprise", institution="attempt__exam__institution"),
    )


def certificate_get(user: Any, pk: int) -> Certificate:
    return get_object_or_404(certificates_visible(user), pk=pk)


def certificate_status(certificate: Certificate, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.expires_on < today:
        return "expired"
    return "valid"


def certificate_status_label(status: str) -> str:
    return {"valid": _("valid"), "expired": _("expired"), "revoked": _("revoked")}[status]


def certificate_by_code(code: str) -> Certificate | None:
    """For the public verification page: anyone holding the code may check it."""
    return Certificate.objects.select_related("trainee").filter(code=code).first()


def certificates_expiring(user: Any, *, today: dt.date | None = None) -> QuerySet[Certificate]:
    today = today or timezone.localdate()
    days = int(policy.value("training_certificate_reminder_days", today))
    return certificates_visible(user).filter(
        revoked_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + dt.timedelta(days=days),
    )


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate as an A4 landscape PDF in Chinese with a QR code to verify it."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = cjk_font()
    out = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.setTitle(f"{certificate.code}")
    pdf.setStrokeColorRGB(0.13, 0.42, 0.77)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFont(font, 30)
    pdf.drawCentredString(width / 2, height - 45 * mm, "工伤预防培训合格证书")
    pdf.setFont(font, 16)
    trainee = certificate.trainee
    lines = [
        f"学员：{trainee.name}    身份证号：{trainee.id_masked}",
        f"单位：{trainee.enterprise.name if trainee.enterprise else '—'}",
        f"培训项目：{certificate.title}",
        f"发证日期：{certificate.issued_on:%Y年%m月%d日}    "
        f"有效期至：{certificate.expires_on:%Y年%m月%d日}",
        f"证书编号：{certificate.code}",
    ]
    y = height - 75 * mm
    for line in lines:
        pdf.drawString(35 * mm, y, line)
        y -= 12 * mm
    if certificate.revoked_at is not None:
        pdf.setFillColorRGB(0.8, 0.1, 0.1)
        pdf.setFont(font, 24)
        pdf.drawString(35 * mm, y - 4 * mm, "本证书已撤销")
        pdf.setFillColorRGB(0, 0, 0)
    qr = ImageReader(io.BytesIO(qr_png(verify_url)))
    pdf.drawImage(qr, width - 75 * mm, 25 * mm, 45 * mm, 45 * mm)
    pdf.setFont(font, 10)
    pdf.drawCentredString(width - 52.5 * mm, 20 * mm, "扫码核验证书真伪")
    pdf.setFont(font, 12)
    pdf.drawString(35 * mm, 30 * mm, "山东省工伤预防培训管理平台")
    pdf.showPage()
    pdf.save()
    return out.getvalue()
