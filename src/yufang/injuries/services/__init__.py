"""Writes of the injuries domain, by subject:

- `cases`: one case from a form or the API, the good rows of a checked file, insured headcounts;
- `checks`: checking cases, a whole file at once;
- `rollup`: the counts the dashboards read, kept exact in the same transaction as every write;
- `priority`: the prevention priority ranking, computed in the background.
"""

from yufang.injuries.services.cases import (
    CASE_CHUNK,
    CASE_WRITERS,
    CaseInvalid,
    case_clean,
    case_create,
    case_delete,
    case_reveal_id_number,
    case_update,
    cases_create_many,
    exposure_set,
    headcount_guard,
    may_reveal_id_number,
)
from yufang.injuries.services.checks import (
    CaseBatch,
    CaseFields,
    EnterpriseRef,
    cases_check,
)
from yufang.injuries.services.priority import (
    priority_mark_stale,
    priority_ranking_refresh,
    priority_rebuild,
    priority_stale_rebuild,
    priority_still_stale,
    priority_watch,
    priority_window,
)
from yufang.injuries.services.rollup import (
    COUNTERS,
    Deltas,
    EnterpriseDims,
    case_profile,
    rollup_apply,
    rollup_rebuild,
    rollup_watch,
)

__all__ = [
    "CASE_CHUNK",
    "CASE_WRITERS",
    "COUNTERS",
    "CaseBatch",
    "CaseFields",
    "CaseInvalid",
    "Deltas",
    "EnterpriseDims",
    "EnterpriseRef",
    "case_clean",
    "case_create",
    "case_delete",
    "case_profile",
    "case_reveal_id_number",
    "case_update",
    "cases_check",
    "cases_create_many",
    "exposure_set",
    "headcount_guard",
    "may_reveal_id_number",
    "priority_mark_stale",
    "priority_ranking_refresh",
    "priority_rebuild",
    "priority_stale_rebuild",
    "priority_still_stale",
    "priority_watch",
    "priority_window",
    "rollup_apply",
    "rollup_rebuild",
    "rollup_watch",
]
