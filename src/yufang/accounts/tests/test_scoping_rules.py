"""The scoping rules one role at a time: where each role may work, and who answers an
escalation. The world: Qingdao 黄岛区 holds `enterprise` (the grid worker's grid) and
`other_enterprise`; Jinan holds `jinan_enterprise`; the institution staff's institution is
in Qingdao."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.accounts.scoping import may_answer_escalation, may_work_at
from yufang.enterprises.models import Enterprise
from yufang.tests.factories import InstitutionFactory, region

pytestmark = pytest.mark.django_db

R = Role
# Where each role may work (assess, report a finding) when the work is not assigned.
WORKS_AT = {
    R.PROVINCE_OFFICIAL: {"enterprise", "other_enterprise", "jinan_enterprise"},
    R.ADMIN: {"enterprise", "other_enterprise", "jinan_enterprise"},
    R.CITY_OFFICIAL: {"enterprise", "other_enterprise"},
    R.COUNTY_OFFICIAL: {"enterprise", "other_enterprise"},
    R.GRID_WORKER: {"enterprise"},
    R.SAFETY_MANAGER: {"enterprise"},
    # Contracted in its institution's city, wherever in it.
    R.INSTITUTION_STAFF: {"enterprise", "other_enterprise"},
    R.AUDITOR: set(),
    R.DEPARTMENT_LIAISON: set(),
    R.WORKER: set(),
}


@pytest.mark.parametrize("role", list(WORKS_AT))
def test_where_each_role_may_work_unassigned(role: str, world: Any) -> None:
    user = world.people[role]
    found = {
        name
        for name in ("enterprise", "other_enterprise", "jinan_enterprise")
        if may_work_at(user, getattr(world, name))
    }
    assert found == WORKS_AT[role]


def test_institution_staff_work_assigned_to_their_institution_only(world: Any) -> None:
    staff = world.people[R.INSTITUTION_STAFF]
    other = InstitutionFactory()
    assert may_work_at(staff, world.enterprise, institution_id=staff.institution_id)
    assert not may_work_at(staff, world.enterprise, institution_id=other.pk)
    # Assigned to their institution, even outside its city.
    assert may_work_at(staff, world.jinan_enterprise, institution_id=staff.institution_id)


def test_institution_staff_without_an_institution_or_inactive_work_nowhere(world: Any) -> None:
    staff = world.people[R.INSTITUTION_STAFF]
    staff.is_active = False
    assert not may_work_at(staff, world.enterprise)
    staff.is_active = True
    staff.institution = None
    assert not may_work_at(staff, world.enterprise)


def _escalation_to(code: str) -> Any:
    return SimpleNamespace(region_id=region(code).pk)


# Who answers an escalation addressed to 黄岛区 (370211) and one addressed to Qingdao (370200).
ANSWERS = {
    R.PROVINCE_OFFICIAL: {"370211", "370200"},
    R.ADMIN: {"370211", "370200"},
    R.CITY_OFFICIAL: {"370200"},
    R.COUNTY_OFFICIAL: {"370211"},
    R.AUDITOR: set(),
    R.DEPARTMENT_LIAISON: set(),
    R.GRID_WORKER: set(),
    R.SAFETY_MANAGER: set(),
    R.INSTITUTION_STAFF: set(),
    R.WORKER: set(),
}


@pytest.mark.parametrize("role", list(ANSWERS))
def test_who_answers_an_escalation(role: str, world: Any) -> None:
    user = world.people[role]
    answers = {
        code for code in ("370211", "370200") if may_answer_escalation(user, _escalation_to(code))
    }
    assert answers == ANSWERS[role]


def test_an_auditor_of_the_escalations_region_reads_but_does_not_answer(world: Any) -> None:
    auditor = world.people[R.AUDITOR]
    auditor.region = region("370211")
    assert not may_answer_escalation(auditor, _escalation_to("370211"))


def test_the_picker_offers_institution_staff_the_same_enterprises_they_may_work_at(
    world: Any,
) -> None:
    from yufang.enterprises.selectors import enterprises_to_pick

    staff = world.people[R.INSTITUTION_STAFF]
    picked = set(enterprises_to_pick(staff).values_list("pk", flat=True))
    assert picked == {e.pk for e in Enterprise.objects.all() if may_work_at(staff, e)}
