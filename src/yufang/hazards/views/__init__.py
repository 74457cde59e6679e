"""HTML pages for checklists, assessments and hazards, one module per part. Thin: parse,
call a service or a selector, render. Domain errors come back as the form's error list."""

from yufang.hazards.views.assessments import (
    assessment,
    assessment_cancel,
    assessment_fill,
    assessment_new,
    assessments_view,
)
from yufang.hazards.views.checklists import (
    checklist,
    checklist_edit,
    checklists_view,
)
from yufang.hazards.views.hazards import (
    board,
    escalation_answer_view,
    escalations,
    hazard,
    hazard_new,
    hazards_view,
    index,
    map_view,
    photo,
    queue,
)
from yufang.hazards.views.notices import (
    notice_issuer_seal,
    notice_issuers,
    notice_pdf_view,
    notice_verify,
)
from yufang.hazards.views.statistics import (
    statistics_period,
    statistics_view,
)

__all__ = [
    "assessment_cancel",
    "assessment",
    "assessment_fill",
    "assessments_view",
    "assessment_new",
    "board",
    "checklist",
    "checklist_edit",
    "checklists_view",
    "escalation_answer_view",
    "escalations",
    "hazard",
    "hazards_view",
    "map_view",
    "hazard_new",
    "index",
    "notice_issuer_seal",
    "notice_issuers",
    "notice_pdf_view",
    "notice_verify",
    "photo",
    "queue",
    "statistics_period",
    "statistics_view",
]
