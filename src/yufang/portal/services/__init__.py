"""Writes of the enterprise self-service: requests to change the bureau's data, insured roster
changes, premiums paid and the floating premium rate."""

from __future__ import annotations

from yufang.portal.services.common import PortalInvalid, evidence_check
from yufang.portal.services.deadlines import roster_deadline_warnings_send
from yufang.portal.services.rates import (
    floating_rate_run_review,
    floating_rates_run,
    floating_rates_run_all,
    premium_amount,
    premium_set,
    premium_year,
    rules_on,
)
from yufang.portal.services.requests import (
    change_request_decide,
    change_request_submit,
    current_value,
)
from yufang.portal.services.roster import (
    RosterInput,
    insured_elsewhere,
    roster_change_decide,
    roster_change_submit,
    roster_changes_submit_many,
    roster_rows_check,
)
from yufang.portal.services.self_assessment import (
    self_assessment_answer,
    self_assessment_record,
    self_assessment_start,
    self_assessment_submit,
)

__all__ = [
    "PortalInvalid",
    "RosterInput",
    "change_request_decide",
    "change_request_submit",
    "current_value",
    "evidence_check",
    "floating_rate_run_review",
    "floating_rates_run",
    "floating_rates_run_all",
    "insured_elsewhere",
    "premium_amount",
    "premium_set",
    "premium_year",
    "roster_change_decide",
    "roster_change_submit",
    "roster_deadline_warnings_send",
    "roster_changes_submit_many",
    "roster_rows_check",
    "rules_on",
    "self_assessment_answer",
    "self_assessment_record",
    "self_assessment_start",
    "self_assessment_submit",
]
