"""HTML pages of the prevention fee. Thin: parse, call a service or a selector, render."""

from yufang.funds.views.budgets import budget, disclose, index, raise_view
from yufang.funds.views.contracts import (
    contract,
    evidence,
    institution_qualify,
    institutions,
    milestone_accept,
    milestone_pay,
)
from yufang.funds.views.projects import (
    contract_new,
    key_area_new,
    procurement,
    project,
    project_close,
    project_review,
    projects,
)
from yufang.funds.views.reports import dashboard, disclosure, disclosures, ledger

__all__ = [
    "budget",
    "contract",
    "contract_new",
    "dashboard",
    "disclose",
    "disclosure",
    "disclosures",
    "evidence",
    "index",
    "institution_qualify",
    "institutions",
    "key_area_new",
    "ledger",
    "milestone_accept",
    "milestone_pay",
    "procurement",
    "project",
    "project_close",
    "project_review",
    "projects",
    "raise_view",
]
