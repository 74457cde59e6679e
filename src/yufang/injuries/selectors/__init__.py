"""Reads of injury cases, rates, targets and the prevention priority list.

Rates come from the rollup when the question fits it (a regional official's scope, region and
one enterprise attribute) and from the raw cases and headcounts otherwise; both give the
same figures (tests/test_rollup.py).

Split by subject: `filters`, `rates`, `dashboard`, `cases`, `targets`, `priority`, `todos`;
every name is importable from `yufang.injuries.selectors` as well.
"""

from yufang.injuries.selectors.cases import (
    CASE_EXPORT_COLUMNS,
    CaseFilter,
    CaseQuery,
    _enterprises_without_headcount,
    _years_with_cases_without_headcount,
    case_export_headers,
    case_export_rows,
    case_get,
    case_list,
    cases_visible,
    headcounts_visible,
)
from yufang.injuries.selectors.dashboard import (
    dashboard_focus,
    dashboard_target_region,
    latest_year,
)
from yufang.injuries.selectors.filters import (
    _MAX_CODE,
    _MAX_SEARCH,
    CASE_PATHS,
    GROUPS,
    INDUSTRY_LEVELS,
    PRIORITY_PATHS,
    REGIONAL_ROLES,
    ROLLUP_PATHS,
    RateFilter,
    _code,
)
from yufang.injuries.selectors.priority import (
    PriorityRow,
    priority_enterprise_ids,
    priority_list,
    priority_rows,
    priority_scores,
)
from yufang.injuries.selectors.rates import (
    RateRow,
    _key_text,
    _labels,
    _raw_counts,
    _raw_key,
    _rollup_counts,
    _rollup_dimension,
    _round,
    _row_urls,
    _uses_rollup,
    _years_q,
    rate_export_headers,
    rate_export_rows,
    rate_rows,
    rates_need_a_region,
)
from yufang.injuries.selectors.targets import (
    TARGET_STATUS,
    TargetProgress,
    _targets_in_force,
    pilot_comparison,
    target_progress,
    target_status,
    targets_overview,
)
from yufang.injuries.selectors.todos import (
    injury_todos,
)

__all__ = [
    "CASE_EXPORT_COLUMNS",
    "CASE_PATHS",
    "CaseFilter",
    "CaseQuery",
    "GROUPS",
    "INDUSTRY_LEVELS",
    "PRIORITY_PATHS",
    "PriorityRow",
    "REGIONAL_ROLES",
    "ROLLUP_PATHS",
    "RateFilter",
    "RateRow",
    "TARGET_STATUS",
    "TargetProgress",
    "_MAX_CODE",
    "_MAX_SEARCH",
    "_code",
    "_enterprises_without_headcount",
    "_key_text",
    "_labels",
    "_raw_counts",
    "_raw_key",
    "_rollup_counts",
    "_rollup_dimension",
    "_round",
    "_row_urls",
    "_targets_in_force",
    "_uses_rollup",
    "_years_q",
    "_years_with_cases_without_headcount",
    "case_export_headers",
    "case_export_rows",
    "case_get",
    "case_list",
    "cases_visible",
    "dashboard_focus",
    "dashboard_target_region",
    "headcounts_visible",
    "injury_todos",
    "latest_year",
    "pilot_comparison",
    "priority_enterprise_ids",
    "priority_list",
    "priority_rows",
    "priority_scores",
    "rate_export_headers",
    "rate_export_rows",
    "rate_rows",
    "rates_need_a_region",
    "target_progress",
    "target_status",
    "targets_overview",
]
