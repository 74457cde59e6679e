"""The enterprise self-service pages: the enterprise's home, requests, roster and inbox, and
the bureau's desk and floating-rate runs."""

from __future__ import annotations

from yufang.portal.views.bureau import desk, rate_run_detail, rate_run_review, rate_runs
from yufang.portal.views.enterprise import (
    home,
    inbox_view,
    request_decide,
    request_detail,
    request_evidence,
    request_list,
    request_new,
    roster,
    roster_decide,
)
from yufang.portal.views.self_assessment import (
    self_assessment_detail,
    self_assessment_new,
    self_assessments,
)

__all__ = [
    "desk",
    "home",
    "inbox_view",
    "rate_run_detail",
    "rate_run_review",
    "rate_runs",
    "request_decide",
    "request_detail",
    "request_evidence",
    "request_list",
    "request_new",
    "roster",
    "roster_decide",
    "self_assessment_detail",
    "self_assessment_new",
    "self_assessments",
]
