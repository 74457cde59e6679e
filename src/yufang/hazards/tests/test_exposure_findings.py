"""A measurement above its occupational exposure limit is a finding: completing the
assessment registers an occupational-disease hazard for it, and it grades the enterprise."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.hazards import services
from yufang.hazards.models import AnswerResult, Assessment, HazardLevel, RiskColour
from yufang.hazards.selectors import enterprise_risk_colours
from yufang.support.topics import Topic

pytestmark = pytest.mark.django_db


def all_compliant_with_noise(world: Any, value: str) -> Assessment:
    official = world.people[Role.COUNTY_OFFICIAL]
    assessment = services.assessment_create(
        actor=official, enterprise=world.enterprise, checklist_key="T16", method="site_survey"
    )
    services.assessment_record(
        actor=official,
        assessment=assessment,
        answers={i.pk: (AnswerResult.PASS, "") for i in assessment.checklist.items.all()},
    )
    services.measurement_add(
        actor=official,
        assessment=assessment,
        agent="noise",
        sample_type="twa_8h",
        value=value,
        unit="dB(A)",
        sampled_on=timezone.localdate(),
        location="冲压车间",
    )
    return assessment


def test_noise_above_its_limit_registers_an_occupational_disease_hazard(
    world: Any, checklists: int
) -> None:
    assessment = all_compliant_with_noise(world, "92")
    hazards = services.assessment_complete(
        actor=world.people[Role.COUNTY_OFFICIAL], assessment=assessment
    )
    assert len(hazards) == 1
    hazard = hazards[0]
    assert hazard.topic == Topic.OCCUPATIONAL_HEALTH and hazard.level == HazardLevel.ORDINARY
    assert hazard.checklist_item is None and hazard.location == "冲压车间"
    # Written in the platform's language, with the measurement, the limit and the ratio.
    assert "噪声" in hazard.description
    assert "92 dB(A)" in hazard.description and "85 dB(A)" in hazard.description
    assert "1.08" in hazard.description and "倍" in hazard.description


def test_an_exceedance_grades_an_enterprise_whose_answers_all_comply(
    world: Any, checklists: int
) -> None:
    assessment = all_compliant_with_noise(world, "92")
    services.assessment_complete(actor=world.people[Role.COUNTY_OFFICIAL], assessment=assessment)
    assert enterprise_risk_colours([world.enterprise.pk])[world.enterprise.pk] == (
        RiskColour.YELLOW
    )


def test_twice_the_limit_grades_orange(world: Any, checklists: int) -> None:
    official = world.people[Role.COUNTY_OFFICIAL]
    assessment = all_compliant_with_noise(world, "84")
    services.measurement_add(
        actor=official,
        assessment=assessment,
        agent="benzene",
        sample_type="twa_8h",
        value="13",
        unit="mg/m³",
    )
    hazards = services.assessment_complete(actor=official, assessment=assessment)
    assert len(hazards) == 1 and "苯" in hazards[0].description
    assert enterprise_risk_colours([world.enterprise.pk])[world.enterprise.pk] == (
        RiskColour.ORANGE
    )


def test_a_measurement_within_its_limit_is_no_finding(world: Any, checklists: int) -> None:
    assessment = all_compliant_with_noise(world, "85")
    hazards = services.assessment_complete(
        actor=world.people[Role.COUNTY_OFFICIAL], assessment=assessment
    )
    assert hazards == []
    assert enterprise_risk_colours([world.enterprise.pk])[world.enterprise.pk] is None


def test_the_pages_show_the_exceedance_as_a_hazard_and_a_colour(
    world: Any, checklists: int, client: Any
) -> None:
    official = world.people[Role.COUNTY_OFFICIAL]
    assessment = all_compliant_with_noise(world, "92")
    client.force_login(official)
    fill = f"/hazards/assessments/{assessment.pk}/fill/"
    response = client.submit(fill, {"action": "complete"})
    assert response.status_code == 302
    report = client.get(f"/hazards/assessments/{assessment.pk}/").content.decode()
    assert "未定级" not in report
    assert "黄" in report  # the yellow grade, in Chinese
    assert "1.08" in report
    client.force_login(world.people[Role.SAFETY_MANAGER])
    listing = client.get("/hazards/list/").content.decode()
    assert "未定级" not in listing and "噪声" in listing
