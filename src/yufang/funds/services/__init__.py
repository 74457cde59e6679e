"""Writes of the prevention fee. Keyword-only, typed, each in a transaction; bad input raises
`InvalidInput` naming the field, a role that may not act `PermissionDenied`."""

from __future__ import annotations

from yufang.funds.services.budgets import (
    Cap,
    budget_disclose,
    budget_set,
    cap_of,
    committed_by_use,
    raise_approve,
)
from yufang.funds.services.common import FeeRules, fee_rules, parse_amount
from yufang.funds.services.contracts import (
    contract_create,
    institution_qualify,
    methods_allowed,
    milestone_accept,
    payment_record,
    procurement_record,
)
from yufang.funds.services.ledger import Break, canonical, ledger_append, ledger_verify
from yufang.funds.services.projects import (
    TARGETS,
    commitments_of,
    key_area_create,
    paid_of,
    project_close,
    project_propose,
    project_review,
    project_total,
)

__all__ = [
    "TARGETS",
    "Break",
    "Cap",
    "FeeRules",
    "budget_disclose",
    "budget_set",
    "canonical",
    "cap_of",
    "commitments_of",
    "committed_by_use",
    "contract_create",
    "fee_rules",
    "institution_qualify",
    "key_area_create",
    "ledger_append",
    "ledger_verify",
    "methods_allowed",
    "milestone_accept",
    "paid_of",
    "parse_amount",
    "payment_record",
    "procurement_record",
    "project_close",
    "project_propose",
    "project_review",
    "project_total",
    "raise_approve",
]
