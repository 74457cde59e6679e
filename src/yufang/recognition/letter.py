"""The bureau's letters on an application as PDFs naming the bureau, in Chinese whatever the
UI language: the acceptance letter (工伤认定申请受理决定书), the not-accepted letter (工伤认定
申请不予受理决定书, with its grounds), and the decision letter (认定工伤决定书 / 不予认定工伤
决定书). The letters a party may challenge say how and within what time (条例 第五十五条; the
days and months are dated parameters). The font setup is the platform's (`lib.documents`), as
for the hazards' notice and the training certificate."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from yufang import policy
from yufang.lib.documents import cjk_font
from yufang.recognition import clock
from yufang.recognition.models import ApplicantKind, ApplicationStatus, RecognitionApplication

ACCEPTANCE = "acceptance"
NOT_ACCEPTED = "not_accepted"
DECISION = "decision"
TITLES = {
    ACCEPTANCE: "工伤认定申请受理决定书",
    NOT_ACCEPTED: "工伤认定申请不予受理决定书",
}

APPLICANT_ZH = {
    ApplicantKind.EMPLOYER: "用人单位",
    ApplicantKind.WORKER: "职工本人",
    ApplicantKind.RELATIVE: "职工近亲属",
    ApplicantKind.UNION: "工会组织",
}


def letters(application: RecognitionApplication) -> list[str]:
    """The letters an application has, in the order they were issued."""
    found = []
    if application.accepted_on is not None:
        found.append(ACCEPTANCE)
    if application.status == ApplicationStatus.NOT_ACCEPTED and application.not_accepted_on:
        found.append(NOT_ACCEPTED)
    if application.decided_on is not None:
        found.append(DECISION)
    return found


def letter_of(application: RecognitionApplication, wanted: str = "") -> str | None:
    """The letter asked for if the application has it, or its latest; None if it has none."""
    have = letters(application)
    if wanted:
        return wanted if wanted in have else None
    return have[-1] if have else None


def remedies(on: dt.date) -> str:
    """The right to administrative review or a lawsuit and their time limits (条例 第五十五条;
    行政复议法, 行政诉讼法)."""
    days = int(policy.value("administrative_review_days", on=on))
    months = int(policy.value("administrative_lawsuit_months", on=on))
    return (
        f"如不服本决定，可以自收到本决定书之日起{days}日内依法申请行政复议，"
        f"也可以自收到本决定书之日起{months}个月内依法向人民法院提起行政诉讼。"
    )


def _styles(font: str) -> dict[str, Any]:
    from reportlab.lib.styles import ParagraphStyle

    return {
        "issuer": ParagraphStyle("issuer", fontName=font, fontSize=16, leading=24, alignment=1),
        "title": ParagraphStyle("title", fontName=font, fontSize=20, leading=30, alignment=1),
        "body": ParagraphStyle("body", fontName=font, fontSize=11, leading=19),
        "right": ParagraphStyle("right", fontName=font, fontSize=11, leading=19, alignment=2),
        "small": ParagraphStyle("small", fontName=font, fontSize=9, leading=14),
    }


def _build(title_text: str, story: list[Any]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title_text,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
    )
    doc.build(story)
    return buffer.getvalue()


def _parties(application: RecognitionApplication, st: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph

    e = application.enterprise
    return [
        Paragraph(
            f"申请人：{application.applicant_name}（{APPLICANT_ZH[ApplicantKind(application.applicant_kind)]}）",
            st["body"],
        ),
        Paragraph(
            f"职工姓名：{application.worker_name}　　身份证号码：{application.worker_id_masked}",
            st["body"],
        ),
        Paragraph(f"用人单位：{e.name}（统一社会信用代码 {e.credit_code}）", st["body"]),
    ]


def acceptance_letter_pdf(application: RecognitionApplication) -> bytes:
    """受理决定书: the application is complete and accepted; the decision is due within the
    decision limit (办法 第八条; 条例 第二十条)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    st = _styles(cjk_font())
    accepted = application.accepted_on
    assert accepted is not None  # noqa: S101 - letters() offers it only once accepted
    bureau = application.accepting_bureau or application.bureau_name
    name = "decision_days_clear_case" if application.is_clear_case else "decision_days"
    days = int(policy.value(name, on=accepted))
    due = clock.due(name, accepted, application.enterprise)
    title_text = TITLES[ACCEPTANCE]
    story: list[Any] = [
        Paragraph(bureau, st["issuer"]),
        Paragraph(title_text, st["title"]),
        Paragraph(f"编号：SL-{accepted:%Y}-{application.pk:06d}", st["right"]),
        Spacer(1, 4 * mm),
        *_parties(application, st),
        Spacer(1, 3 * mm),
        Paragraph(
            f"本局于{application.received_on:%Y年%m月%d日}收到{application.worker_name}的工伤认定申请，"
            f"事故（诊断）时间：{application.accident_date:%Y年%m月%d日}，"
            f"地点：{application.accident_place}。",
            st["body"],
        ),
        Paragraph(
            "经审查，申请材料完整，符合《工伤保险条例》第十七条、第十八条规定的受理条件，"
            "根据《工伤认定办法》第八条的规定，决定予以受理。",
            st["body"],
        ),
        Paragraph(
            f"本局将自受理之日起{days}日内（{due:%Y年%m月%d日}前）作出工伤认定决定；"
            "认定决定需要以司法机关或者有关行政主管部门的结论为依据的，作出结论前的期间不计入上述时限。",
            st["body"],
        ),
        Spacer(1, 12 * mm),
        Paragraph(f"{bureau}（工伤认定专用章）", st["right"]),
        Paragraph(f"{accepted:%Y年%m月%d日}", st["right"]),
    ]
    return _build(f"{title_text} {application.pk}", story)


def not_accepted_letter_pdf(application: RecognitionApplication) -> bytes:
    """不予受理决定书: the grounds, and the right to review or sue with their time limits."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    st = _styles(cjk_font())
    refused = application.not_accepted_on
    assert refused is not None  # noqa: S101 - letters() offers it only once refused
    bureau = application.accepting_bureau or application.bureau_name
    title_text = TITLES[NOT_ACCEPTED]
    story: list[Any] = [
        Paragraph(bureau, st["issuer"]),
        Paragraph(title_text, st["title"]),
        Paragraph(f"编号：BSL-{refused:%Y}-{application.pk:06d}", st["right"]),
        Spacer(1, 4 * mm),
        *_parties(application, st),
        Spacer(1, 3 * mm),
        Paragraph(
            f"本局于{application.received_on:%Y年%m月%d日}收到{application.worker_name}的工伤认定申请，"
            f"事故（诊断）时间：{application.accident_date:%Y年%m月%d日}。",
            st["body"],
        ),
        Paragraph(f"经审查，不予受理的理由：{application.decision_reason}", st["body"]),
        Paragraph(
            "根据《工伤保险条例》和《工伤认定办法》第八条的规定，本局决定对该工伤认定申请不予受理。",
            st["body"],
        ),
        Spacer(1, 3 * mm),
        Paragraph(remedies(refused), st["body"]),
        Spacer(1, 12 * mm),
        Paragraph(f"{bureau}（工伤认定专用章）", st["right"]),
        Paragraph(f"{refused:%Y年%m月%d日}", st["right"]),
    ]
    return _build(f"{title_text} {application.pk}", story)


def letter_pdf(application: RecognitionApplication, document: str = "") -> bytes:
    """The letter `document` (the latest one if empty); the caller checks it exists."""
    chosen = letter_of(application, document)
    if chosen == ACCEPTANCE:
        return acceptance_letter_pdf(application)
    if chosen == NOT_ACCEPTED:
        return not_accepted_letter_pdf(application)
    return decision_letter_pdf(application)


def decision_letter_pdf(application: RecognitionApplication) -> bytes:
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
        Paragraph(remedies(decided) if decided else "", body),
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
