"""The yearly progress report as a Word document (python-docx) and a PDF (reportlab, with the
CJK font the hazards' notice uses), in Chinese whatever the UI language."""

from __future__ import annotations

import io
from typing import Any

from yufang.council.models import YearlyReport
from yufang.lib.documents import CJK_FONT, cjk_font

SECTION_TITLES = (
    ("summary", "一、年度工作总结"),
    ("joint_work", "二、部门协同工作情况"),
    ("problems", "三、存在的问题"),
    ("next_year", "四、下一年度工作打算"),
)


def _rate(value: Any) -> str:
    return "—" if value is None else f"{value:.3f}‰"


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value:+.1f}%"


def figure_lines(figures: dict[str, Any]) -> list[tuple[str, list[list[str]]]]:
    """The figures as titled tables of text (header row first), shared by both documents."""
    tables: list[tuple[str, list[list[str]]]] = []
    rows = [
        [
            "行动计划",
            "行业范围",
            "基准年发生率",
            "目标发生率",
            "最新年度",
            "最新发生率",
            "变化",
            "进度",
        ]
    ]
    for t in figures["targets"]:
        rows.append(
            [
                t["plan"],
                "重点行业" if t["industry_set"] == "key" else "全部行业",
                f"{t['baseline_year']}：{_rate(t['baseline_rate'])}",
                f"{t['target_year']}：{_rate(t['target_rate'])}",
                str(t["latest_year"] or "—"),
                _rate(t["latest_rate"]),
                _percent(t["change_so_far"]),
                str(t["status"]),
            ]
        )
    tables.append(("工伤发生率与目标（每千名参保职工）", rows))
    tr, hz, tk = figures["training"], figures["hazards"], figures["tasks"]
    tables.append(
        (
            "培训、隐患与联席会议督办",
            [
                ["指标", "数值"],
                ["培训场次", str(tr["sessions"])],
                ["培训人次", str(tr["person_times"])],
                ["排查发现隐患", str(hz["found"])],
                ["已销号隐患", str(hz["closed"])],
                ["重大隐患（已销号）", f"{hz['major']}（{hz['major_closed']}）"],
                ["督办任务（已完成／逾期）", f"{tk['total']}（{tk['done']}／{tk['overdue']}）"],
                [
                    "年度工作计划完成度",
                    "—" if figures["plan_percent"] is None else f"{figures['plan_percent']}%",
                ],
            ],
        )
    )
    fee = figures.get("fee")
    if fee:
        tables.append(
            (
                "工伤预防费使用",
                [
                    ["上限", "预算", "已承诺", "已拨付"],
                    [
                        str(fee.get("cap", "")),
                        str(fee.get("total", "")),
                        str(fee.get("committed", "")),
                        str(fee.get("paid", "")),
                    ],
                ],
            )
        )
    return tables


def _title(report: YearlyReport) -> str:
    return f"{report.region.name}工伤预防五年行动计划{report.year}年度进展情况报告"


def report_docx(report: YearlyReport, figures: dict[str, Any]) -> bytes:
    from docx import Document  # type: ignore[import-untyped]

    doc = Document()
    doc.add_heading(_title(report), level=0)
    doc.add_paragraph(
        f"报送截止：{figures['due'].isoformat()}　状态：{'已报送' if report.status == 'submitted' else '草稿'}"
    )
    for key, heading in SECTION_TITLES:
        doc.add_heading(heading, level=1)
        for paragraph in (getattr(report, key) or "（未填写）").splitlines() or ["（未填写）"]:
            doc.add_paragraph(paragraph)
    doc.add_heading("附：平台统计数据", level=1)
    for caption, rows in figure_lines(figures):
        doc.add_paragraph(caption)
        table = doc.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                table.cell(i, j).text = text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def report_pdf(report: YearlyReport, figures: dict[str, Any]) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    cjk_font()
    title = ParagraphStyle("title", fontName=CJK_FONT, fontSize=16, leading=24, alignment=1)
    heading = ParagraphStyle("heading", fontName=CJK_FONT, fontSize=13, leading=20, spaceBefore=8)
    body = ParagraphStyle("body", fontName=CJK_FONT, fontSize=11, leading=18)
    cell = ParagraphStyle("cell", fontName=CJK_FONT, fontSize=8, leading=11)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_title(report),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    story: list[Any] = [
        Paragraph(escape(_title(report)), title),
        Spacer(1, 4 * mm),
        Paragraph(
            f"报送截止：{figures['due'].isoformat()}　状态：{'已报送' if report.status == 'submitted' else '草稿'}",
            body,
        ),
    ]
    for key, text in SECTION_TITLES:
        story.append(Paragraph(text, heading))
        for paragraph in (getattr(report, key) or "（未填写）").splitlines() or ["（未填写）"]:
            story.append(Paragraph(escape(paragraph), body))
    story.append(Paragraph("附：平台统计数据", heading))
    for caption, rows in figure_lines(figures):
        story.append(Paragraph(escape(caption), body))
        table = Table([[Paragraph(escape(c), cell) for c in row] for row in rows], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, Spacer(1, 4 * mm)]
    doc.build(story)
    return buffer.getvalue()


DOCUMENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def report_document(
    report: YearlyReport, figures: dict[str, Any], fmt: str
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report as Word ("docx") or PDF ("pdf")."""
    body = report_pdf(report, figures) if fmt == "pdf" else report_docx(report, figures)
    kind = "pdf" if fmt == "pdf" else "docx"
    return (
        body,
        DOCUMENT_TYPES[kind],
        f"{report.region.name}{report.year}年度工伤预防进展报告.{kind}",
    )
