"""Outputs are counted by the platform: the contracted institution's check-ins in the pooling
region during the run, not typed in; the evaluation at close uses them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.funds import selectors, services
from yufang.funds.tests.factories import fee_budget, fee_contract, fee_project
from yufang.tests.factories import InstitutionFactory, persona, region
from yufang.training import services as training
from yufang.training.models import Enrollment
from yufang.training.tests.conftest import schedule, trainee

pytestmark = pytest.mark.django_db


def test_person_times_are_the_institutions_check_ins_during_the_run(world: Any) -> None:
    today = timezone.localdate()
    official = world.people[Role.CITY_OFFICIAL]
    staff = world.people[Role.INSTITUTION_STAFF]
    base = training.base_create(
        actor=staff,
        name="实训基地",
        city=region("370200"),
        address="黄岛区",
        institution=staff.institution,
    )
    hall = training.hall_create(actor=staff, base=base, name="消防体验馆", topic="fire", capacity=9)
    people = [trainee(world.people[Role.ADMIN], world.enterprise, n) for n in range(1, 6)]
    held = schedule(staff, hall, days=-1)
    for person in people[:3]:
        Enrollment.objects.create(session=held, trainee=person, checked_in_at=held.starts_at)
    Enrollment.objects.create(session=held, trainee=people[3])  # booked, not present
    other = persona(Role.INSTITUTION_STAFF, institution=InstitutionFactory())
    other_base = training.base_create(
        actor=other,
        name="另一基地",
        city=region("370200"),
        address="市南区",
        institution=other.institution,
    )
    other_hall = training.hall_create(
        actor=other, base=other_base, name="交通体验馆", topic="fire", capacity=9
    )
    theirs = schedule(other, other_hall, days=-1)
    Enrollment.objects.create(session=theirs, trainee=people[4], checked_in_at=theirs.starts_at)

    year = (today - dt.timedelta(days=1)).year  # the session's year, even on 1 January
    fee_budget(official, year=year)
    project = fee_project(
        official, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), person_times=3
    )
    fee_contract(official, project, staff.institution)

    counted = selectors.outputs_counted(official, project)
    assert counted["person_times"] == 3
    assert counted["enterprises_covered"] == 1
    assert selectors.outputs_counted(staff, project)["person_times"] == 3

    evaluation = services.project_close(
        actor=official, project=project, counted=selectors.outputs_counted(official, project)
    )
    assert evaluation.results["person_times"] == [3, 3]
    assert evaluation.met is True
