"""The hazard module's role rules, per role: the page offers exactly what the service allows."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from yufang.accounts.models import Role
from yufang.accounts.scoping.hazards import (
    assessment_actions,
    may_configure_notice_issuers,
    may_edit_checklists,
    may_generate_statistics,
    may_inspect,
    may_report_hazards,
)

R = Role
EXPECTED = {
    # role: (report, inspect, edit checklists, configure issuers, generate statistics)
    R.PROVINCE_OFFICIAL: (True, True, True, True, True),
    R.CITY_OFFICIAL: (True, True, True, True, True),
    R.COUNTY_OFFICIAL: (True, True, False, False, True),
    R.GRID_WORKER: (True, False, False, False, False),
    R.SAFETY_MANAGER: (False, False, False, False, False),
    R.INSTITUTION_STAFF: (True, True, False, False, False),
    R.DEPARTMENT_LIAISON: (False, False, False, False, False),
    R.WORKER: (False, False, False, False, False),
    R.AUDITOR: (False, False, False, False, False),
    R.ADMIN: (True, True, True, True, True),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_gets_its_hazard_rights(role: str) -> None:
    user = SimpleNamespace(role=role)
    got = (
        may_report_hazards(user),
        may_inspect(user),
        may_edit_checklists(user),
        may_configure_notice_issuers(user),
        may_generate_statistics(user),
    )
    assert got == EXPECTED[role]


def test_every_role_is_declared() -> None:
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_assessment_actions_follow_the_draft_and_the_open_hazards(role: str) -> None:
    user = SimpleNamespace(role=role)
    report, inspect = EXPECTED[role][0], EXPECTED[role][1]
    assert assessment_actions(user, is_draft=True, has_open_hazards=True) == {
        "may_fill": report,
        "may_cancel": report,
        "may_notice": inspect,
    }
    assert assessment_actions(user, is_draft=False, has_open_hazards=False) == {
        "may_fill": False,
        "may_cancel": False,
        "may_notice": False,
    }
