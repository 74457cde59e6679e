"""The enterprise self-service pages: the enterprise's home, requests, roster and inbox, and
the bureau's desk and floating-rate runs."""

from __future__ import annotations

from yufang.portal.views.assessments import (
    self_assessment,
    self_assessment_new,
    self_assessments,
)
from yufang.portal.views.bureau import desk, rate_run, rate_run_review, rate_runs
from yufang.portal.views.enterprise import (
    home,
    inbox,
    request_decide,
    request_detail,
    request_evidence,
    request_new,
    requests,
    roster,
    roster_decide,
)
from yufang.portal.views.premiums import premium, premium_new, premiums

__all__ = [
    "desk",
    "home",
    "inbox",
    "premium",
    "premium_new",
    "premiums",
    "rate_run",
    "rate_run_review",
    "rate_runs",
    "request_decide",
    "request_detail",
    "request_evidence",
    "requests",
    "request_new",
    "roster",
    "roster_decide",
    "self_assessment",
    "self_assessment_new",
    "self_assessments",
]
