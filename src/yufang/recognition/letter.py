"""The decision letter (认定工伤决定书 / 不予认定工伤决定书) as a PDF naming the deciding bureau,
in Chinese whatever the UI language. The font setup is the platform's (`lib.documents`), as
for the hazards' notice and the training certificate."""

from __future__ import annotations

import io
from typing import Any

from yufang.lib.documents import cjk_font
from yufang.recognition.models import ApplicantKind, ApplicationStatus, RecognitionApplication

APPLICANT_ZH = {
    ApplicantKind.EMPLOYER: "用人单位",
    ApplicantKind.WORKER: "职工本人",
    ApplicantKind.RELATIVE: "职工近亲属",
    ApplicantKind.UNION: "工会组织",
}


def letter_pdf(application: RecognitionApplication) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = cjk_font()
    recognised = application.status == ApplicationStatus.RECOGNISED
    title_text = "认定工伤决定书" if recognised else "不予认定工伤决定书"
    issuer = ParagraphStyle("issuer", fontName=font, fontSize=16, leading=24, alignment=1)
    title = ParagraphStyle("title", fontName=font, fontSize=20, leading=30, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=19)
    right = ParagraphStyle("right", fontName=font, fontSize=11, leading=19, alignment=2)
    small = ParagraphStyle("small", fontName=font, fontSize=9, leading=14)
    e = application.enterprise
    decided = application.decided_on
    accepted = application.accepted_on
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{title_text} {application.case_number}",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    if recognised:
        conclusion = (
            f"{application.worker_name}同志受到的伤害，符合《工伤保险条例》规定的情形，"
            "现予以认定为工伤（或视同工伤）。"
        )
    else:
        conclusion = (
            f"{application.worker_name}同志受到的伤害，不符合《工伤保险条例》规定的"
            "认定为工伤或者视同工伤的情形，现决定不予认定为工伤或者视同工伤。"
        )
    story: list[Any] = [
        Paragraph(application.bureau_name, issuer),
        Paragraph(title_text, title),
        Paragraph(f"编号：{application.case_number}", right),
        Spacer(1, 4 * mm),
        Paragraph(
            f"申请人：{application.applicant_name}（{APPLICANT_ZH[ApplicantKind(application.applicant_kind)]}）",
            body,
        ),
        Paragraph(
            f"职工姓名：{application.worker_name}　　身份证号码：{application.worker_id_masked}",
            body,
        ),
        Paragraph(f"用人单位：{e.name}（统一社会信用代码 {e.credit_code}）", body),
        Spacer(1, 3 * mm),
        Paragraph(
            f"本局于{accepted:%Y年%m月%d日}受理的工伤认定申请，"
            f"事故（诊断）时间：{application.accident_date:%Y年%m月%d日}，"
            f"地点：{application.accident_place}。"
            if accepted
            else "",
            body,
        ),
        Paragraph(f"经查：{application.description}", body),
        Paragraph(f"受伤害部位及诊断：{application.injury}", body),
        Paragraph(f"认定理由：{application.decision_reason}", body),
        Spacer(1, 3 * mm),
        Paragraph(conclusion, body),
        Spacer(1, 3 * mm),
        Paragraph(
            # 条例 第五十五条: review or lawsuit; their time limits are other laws' (not here).
            "如对本工伤认定决定不服，可以依法申请行政复议，也可以依法向人民法院提起行政诉讼。",
            body,
        ),
        Spacer(1, 12 * mm),
        Paragraph(f"{application.bureau_name}（工伤认定专用章）", right),
        Paragraph(f"{decided:%Y年%m月%d日}" if decided else "", right),
        Spacer(1, 8 * mm),
        Paragraph(
            "本决定书送达职工（或其近亲属）、用人单位，并抄送社会保险经办机构。",
            small,
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
