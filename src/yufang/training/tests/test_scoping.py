"""Who reads which training: by where it is held and by whom it serves (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.tests.factories import persona, region
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import Enrollment, TrainingSession
from yufang.training.tests.conftest import schedule, trainee

pytestmark = pytest.mark.django_db


@dataclass
class Booked:
    county_booked: TrainingSession  # a Qingdao hall session booked by 黄岛区's two enterprises
    jinan_booked: TrainingSession  # a Qingdao hall session booked only by a Jinan enterprise
    grid_enrollment: Enrollment  # the world's grid's enterprise
    other_grid_enrollment: Enrollment  # same county, another grid
    jinan_enrollment: Enrollment


@pytest.fixture
def booked(world: Any, staff: Any, hall: Any) -> Booked:
    admin = world.people[Role.ADMIN]
    a = schedule(staff, hall, days=1, capacity=3)
    b = schedule(staff, hall, days=2, capacity=3)
    mine = trainee(admin, world.enterprise, 1)
    neighbour = trainee(admin, world.other_enterprise, 2)
    jinan = trainee(admin, world.jinan_enterprise, 3)
    e1 = svc.enrollment_book_group(
        actor=admin, session=a, enterprise=world.enterprise, trainees=[mine]
    ).first()
    e2 = svc.enrollment_book_group(
        actor=admin, session=a, enterprise=world.other_enterprise, trainees=[neighbour]
    ).first()
    e3 = svc.enrollment_book_group(
        actor=admin, session=b, enterprise=world.jinan_enterprise, trainees=[jinan]
    ).first()
    return Booked(a, b, e1, e2, e3)


def ids(qs: Any) -> set[int]:
    return set(qs.values_list("pk", flat=True))


def test_county_official_sees_sessions_its_enterprises_booked(world: Any, booked: Booked) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    assert ids(sel.sessions_visible(county)) == {booked.county_booked.pk}
    assert ids(sel.enrollments_visible(county)) == {
        booked.grid_enrollment.pk,
        booked.other_grid_enrollment.pk,
    }
    assert sel.session_get(county, booked.county_booked.pk)


def test_county_official_gets_404_on_a_session_no_county_enterprise_booked(
    client: Any, world: Any, booked: Booked
) -> None:
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    ok = client.get(f"/training/sessions/{booked.county_booked.pk}/")
    assert ok.status_code == 200
    assert "学员1" in ok.content.decode()
    assert client.get(f"/training/sessions/{booked.jinan_booked.pk}/").status_code == 404
    listing = client.get("/training/sessions/").content.decode()
    assert f"/training/sessions/{booked.county_booked.pk}/" in listing
    assert f"/training/sessions/{booked.jinan_booked.pk}/" not in listing


def test_city_official_sees_sessions_held_in_the_city(world: Any, booked: Booked) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    assert ids(sel.sessions_visible(city)) == {booked.county_booked.pk, booked.jinan_booked.pk}
    jinan_city = world.jinan_city_official
    # Held in Qingdao, but booked by a Jinan enterprise: Jinan follows its own people.
    assert ids(sel.sessions_visible(jinan_city)) == {booked.jinan_booked.pk}
    assert ids(sel.enrollments_visible(jinan_city)) == {booked.jinan_enrollment.pk}


def test_grid_worker_sees_only_the_grids_enterprises_training(
    world: Any, booked: Booked, staff: Any, hall: Any
) -> None:
    schedule(staff, hall, days=3)  # a hall session of the city nobody of the grid booked
    grid_worker = world.people[Role.GRID_WORKER]
    assert ids(sel.sessions_visible(grid_worker)) == {booked.county_booked.pk}
    assert ids(sel.enrollments_visible(grid_worker)) == {booked.grid_enrollment.pk}
    assert ids(sel.trainees_visible(grid_worker)) == {booked.grid_enrollment.trainee_id}


def test_liaison_and_regional_auditor_read_their_region(world: Any, booked: Booked) -> None:
    liaison = world.people[Role.DEPARTMENT_LIAISON]  # Qingdao's emergency bureau
    assert ids(sel.sessions_visible(liaison)) == {booked.county_booked.pk, booked.jinan_booked.pk}
    county_auditor = persona(Role.AUDITOR, region=region("370211"))
    assert ids(sel.sessions_visible(county_auditor)) == {booked.county_booked.pk}
    assert booked.jinan_enrollment.pk not in ids(sel.enrollments_visible(county_auditor))


def test_province_wide_roles_see_everything(world: Any, booked: Booked) -> None:
    for role in (Role.PROVINCE_OFFICIAL, Role.AUDITOR, Role.ADMIN):
        assert ids(sel.sessions_visible(world.people[role])) == {
            booked.county_booked.pk,
            booked.jinan_booked.pk,
        }


def _onsite(credit_code: str) -> dict[str, Any]:
    from yufang.training.tests.conftest import at

    return {
        "kind": "onsite",
        "title": "车间安全培训",
        "topic": "fire",
        "trainer": "赵老师",
        "starts_at": at(3).isoformat(),
        "ends_at": at(3, 12).isoformat(),
        "class_hours": "2",
        "capacity": 20,
        "enterprise_credit_code": credit_code,
        "location": "一号车间",
    }


def test_an_enterprise_outside_the_scope_is_as_unknown_as_a_missing_one(
    client: Any, world: Any
) -> None:
    """Not a 403 that tells it exists elsewhere: the same refusal as for no such code."""
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    url = "/api/v1/training/sessions"
    outside = client.post(
        url, _onsite(world.jinan_enterprise.credit_code), content_type="application/json"
    )
    missing = client.post(url, _onsite("91370200MA00000000"), content_type="application/json")
    assert outside.status_code == missing.status_code == 422
    assert outside.json() == missing.json()
    assert "enterprise_credit_code" in str(outside.json()["detail"][0]["loc"])
    made = client.post(url, _onsite(world.enterprise.credit_code), content_type="application/json")
    assert made.status_code == 201, made.content


def test_a_group_code_is_only_for_an_enterprise_booked_on_the_session(
    client: Any, world: Any, staff: Any, booked: Booked
) -> None:
    client.force_login(staff)
    url = f"/api/v1/training/sessions/{booked.county_booked.pk}/group-code"
    assert client.get(url, {"enterprise_id": world.enterprise.pk}).status_code == 200
    assert client.get(url, {"enterprise_id": world.jinan_enterprise.pk}).status_code == 404
