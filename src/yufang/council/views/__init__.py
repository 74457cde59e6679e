"""HTML pages of the joint meeting, one module per part. Thin: parse, call a service or a
selector, render. Domain errors come back as the form's error list."""

from yufang.council.views.meetings import attachment, index, joint_meeting, meeting
from yufang.council.views.plans import plan, plans
from yufang.council.views.reports import report, report_docx, report_pdf, reports
from yufang.council.views.sharing import exchange, shared
from yufang.council.views.tasks import board, evidence, task

__all__ = [
    "attachment",
    "board",
    "evidence",
    "exchange",
    "index",
    "joint_meeting",
    "meeting",
    "plan",
    "plans",
    "report",
    "report_docx",
    "report_pdf",
    "reports",
    "shared",
    "task",
]
