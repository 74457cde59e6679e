"""Numbers and text from outside are held to the shared bounds (`support.bounds`): an id past
64 bits, a page in the quintillions or a megabyte of text is a 422 naming the field on the
API and a blank filter or a form error on the pages, never a server error. And the
targeted-training hook answers only about the hazards the caller may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from yufang.accounts.models import Role
from yufang.hazards import services
from yufang.hazards.models import Hazard, HazardLevel
from yufang.support.topics import Topic

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"  # past 64 bits


def as_(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    return {str(e["loc"][-1]) for e in response.json()["detail"]}


def _report(world: Any, actor: Any, *, topic: str = Topic.CONFINED_SPACE) -> Hazard:
    return services.hazard_report(
        actor=actor,
        enterprise=world.enterprise,
        topic=topic,
        level=HazardLevel.ORDINARY,
        description="有限空间未设置警示标志",
    )


def test_api_ids_pages_and_years_beyond_their_bounds_are_422_naming_the_field(world: Any) -> None:
    county = as_(world.people[Role.COUNTY_OFFICIAL])
    assert fields_of(county.get(f"/api/v1/hazards/hazards/{HUGE}")) == {"hazard_id"}
    assert fields_of(county.get(f"/api/v1/hazards/assessments/{HUGE}")) == {"assessment_id"}
    assert fields_of(county.get(f"/api/v1/hazards/hazards?enterprise={HUGE}")) == {"enterprise"}
    assert fields_of(county.get(f"/api/v1/hazards/hazards?page={HUGE}")) == {"page"}
    assert fields_of(county.get(f"/api/v1/hazards/escalations?page={HUGE}")) == {"page"}
    assert fields_of(county.get("/api/v1/hazards/hazards?q=" + "x" * 101)) == {"q"}
    generate = county.post(
        "/api/v1/hazards/statistics",
        {"kind": "year", "year": 10**12},
        content_type="application/json",
    )
    assert fields_of(generate) == {"year"}
    assert county.get(f"/api/v1/hazards/open-topics?enterprise={HUGE}").json() == []


def test_api_refuses_a_description_beyond_its_length_naming_it(world: Any) -> None:
    county = as_(world.people[Role.COUNTY_OFFICIAL])
    body = {
        "enterprise_id": world.enterprise.pk,
        "topic": Topic.CONFINED_SPACE,
        "level": HazardLevel.ORDINARY,
        "description": "有" * 100_000,
    }
    response = county.post("/api/v1/hazards/hazards", body, content_type="application/json")
    assert fields_of(response) == {"description"}
    assert not Hazard.objects.exists()


def test_pages_treat_numbers_beyond_their_bounds_as_a_blank_filter(world: Any) -> None:
    _report(world, world.people[Role.COUNTY_OFFICIAL])
    county = as_(world.people[Role.COUNTY_OFFICIAL])
    listed = county.get(f"/hazards/list/?enterprise={HUGE}&assessment={HUGE}&page={HUGE}")
    assert listed.status_code == 200
    assert "有限空间未设置警示标志" in listed.content.decode()


def test_statistics_page_refuses_a_year_beyond_the_calendar_as_a_form_error(world: Any) -> None:
    province = as_(world.people[Role.PROVINCE_OFFICIAL])
    response = province.post(
        "/hazards/statistics/", {"kind": "year", "year": "9" * 30}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Give the year." in response.content.decode()


def test_open_topics_for_institution_staff_leave_out_hazards_they_cannot_open(
    world: Any,
) -> None:
    staff = world.people[Role.INSTITUTION_STAFF]
    _report(world, staff, topic=Topic.CONFINED_SPACE)
    # The county's own finding at the same enterprise is not the institution's: staff get a
    # 404 on it, so its topic is not theirs to read either.
    theirs_not = _report(world, world.people[Role.COUNTY_OFFICIAL], topic=Topic.FIRE)
    client = as_(staff)
    assert client.get(f"/api/v1/hazards/hazards/{theirs_not.pk}").status_code == 404
    topics = client.get(f"/api/v1/hazards/open-topics?enterprise={world.enterprise.pk}").json()
    assert topics == [
        {
            "enterprise_id": world.enterprise.pk,
            "risk_colour": None,
            "open_topics": [Topic.CONFINED_SPACE.value],
        }
    ]
