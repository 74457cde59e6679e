"""HTML pages for checklists, assessments and hazards, one module per part. Thin: parse,
call a service or a selector, render. Domain errors come back as the form's error list."""

from yufang.hazards.views.assessments import (
    assessment_cancel,
    assessment_detail,
    assessment_fill,
    assessment_list,
    assessment_new,
)
from yufang.hazards.views.checklists import (
    checklist_detail,
    checklist_edit,
    checklist_list,
)
from yufang.hazards.views.hazards import (
    board,
    escalation_answer_view,
    escalations,
    hazard_detail,
    hazard_list,
    hazard_map,
    hazard_new,
    index,
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
    "assessment_detail",
    "assessment_fill",
    "assessment_list",
    "assessment_new",
    "board",
    "checklist_detail",
    "checklist_edit",
    "checklist_list",
    "escalation_answer_view",
    "escalations",
    "hazard_detail",
    "hazard_list",
    "hazard_map",
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
