from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.hazards import scoring, services
from yufang.hazards.models import AnswerResult, Measurement, RiskColour
from yufang.hazards.selectors import enterprise_risk_colours, measurement_rows

ON = dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("d", "colour"),
    [
        (Decimal(108), RiskColour.YELLOW),  # punch press without guarding, C = 3
        (Decimal(252), RiskColour.ORANGE),  # the same with C = 7
        (Decimal(320), RiskColour.ORANGE),  # boundaries fall in the lower band
        (Decimal(321), RiskColour.RED),
        (Decimal(70), RiskColour.BLUE),
        (Decimal("70.5"), RiskColour.YELLOW),
        (Decimal(1), RiskColour.BLUE),
    ],
)
def test_lec_bands(d: Decimal, colour: RiskColour) -> None:
    assert scoring.lec_colour(d, ON) == colour


@pytest.mark.parametrize(
    ("r", "colour"),
    [
        (25, RiskColour.RED),
        (20, RiskColour.RED),
        (16, RiskColour.ORANGE),
        (9, RiskColour.ORANGE),
        (8, RiskColour.YELLOW),
        (4, RiskColour.YELLOW),
        (3, RiskColour.BLUE),
        (1, RiskColour.BLUE),
    ],
)
def test_risk_matrix_bands(r: int, colour: RiskColour) -> None:
    assert scoring.ls_colour(r, ON) == colour


@pytest.mark.parametrize(
    ("agent", "sample_type", "value", "exceeded"),
    [
        ("noise", "twa_8h", "86", True),
        ("noise", "twa_8h", "85", False),
        ("benzene", "twa_8h", "6.5", True),
        ("benzene", "stel_15min", "9", False),
        ("benzene", "stel_15min", "10.1", True),
        ("hydrogen_sulfide", "twa_8h", "11", True),  # a MAC applies to any sample
        ("phenol", "stel_15min", "50", None),  # no PC-STEL for phenol
        ("silica_10_50_respirable", "twa_8h", "0.8", True),
    ],
)
def test_exceedance_against_the_limits_in_force(
    agent: str, sample_type: str, value: str, exceeded: bool | None
) -> None:
    result = scoring.exceedance(
        agent=agent, sample_type=sample_type, value=Decimal(value), sampled_on=ON
    )
    assert result.exceeded is exceeded


def test_no_chemical_limit_before_gbz_2_1_2019_came_into_force() -> None:
    before = scoring.exceedance(
        agent="benzene", sample_type="twa_8h", value=Decimal(100), sampled_on=dt.date(2019, 1, 1)
    )
    assert before.exceeded is None
    noise = scoring.exceedance(
        agent="noise", sample_type="twa_8h", value=Decimal(90), sampled_on=dt.date(2019, 1, 1)
    )
    assert noise.exceeded is True


def test_unconfirmed_dust_limits_are_marked() -> None:
    result = scoring.exceedance(
        agent="coal_dust_total", sample_type="twa_8h", value=Decimal(1), sampled_on=ON
    )
    assert result.unconfirmed and not result.exceeded


@pytest.fixture
def assessment(world: Any, checklists: int) -> Any:
    return services.assessment_create(
        actor=world.people[Role.COUNTY_OFFICIAL],
        enterprise=world.enterprise,
        checklist_key="T16",
        method="environmental_monitoring",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("agent", "unit", "value", "field"),
    [
        ("noise", "dB(A)", "-3", "value"),
        ("noise", "dB(A)", "250", "value"),
        ("noise", "mg/m³", "80", "unit"),
        ("benzene", "mg/m³", "abc", "value"),
        ("benzene", "mg/m³", "1.23456", "value"),
        ("unobtainium", "mg/m³", "1", "agent"),
    ],
)
def test_impossible_measurements_are_refused(
    world: Any, assessment: Any, agent: str, unit: str, value: str, field: str
) -> None:
    with pytest.raises(services.HazardInvalid) as exc:
        services.measurement_add(
            actor=world.people[Role.COUNTY_OFFICIAL],
            assessment=assessment,
            agent=agent,
            sample_type="twa_8h",
            value=value,
            unit=unit,
        )
    assert field in exc.value.errors
    assert Measurement.objects.count() == 0


@pytest.mark.django_db
def test_measurement_exceedance_is_shown_on_the_report(world: Any, assessment: Any) -> None:
    services.measurement_add(
        actor=world.people[Role.COUNTY_OFFICIAL],
        assessment=assessment,
        agent="noise",
        sample_type="twa_8h",
        value="91.5",
        unit="dB(A)",
        location="冲压车间",
    )
    [row] = measurement_rows(assessment)
    assert row.exceedance.exceeded is True and "85" in row.exceedance.limit_text


@pytest.mark.django_db
def test_scores_must_be_on_the_configured_scales(world: Any, assessment: Any) -> None:
    official = world.people[Role.COUNTY_OFFICIAL]
    with pytest.raises(services.HazardInvalid) as exc:
        services.assessment_record(
            actor=official, assessment=assessment, answers={}, lec=("5", "6", "3"), ls=("6", "1")
        )
    assert {"lec_l", "ls_l"} <= set(exc.value.errors)


@pytest.mark.django_db
def test_enterprise_colour_follows_its_latest_completed_assessment(
    world: Any, checklists: int
) -> None:
    official = world.people[Role.COUNTY_OFFICIAL]

    def visit(lec: tuple[str, str, str], fail_major: bool) -> None:
        a = services.assessment_create(
            actor=official, enterprise=world.enterprise, checklist_key="T09", method="site_patrol"
        )
        items = list(a.checklist.items.all())
        answers = {i.pk: (AnswerResult.PASS, "") for i in items}
        if fail_major:
            major = next(i for i in items if i.is_major)
            answers[major.pk] = (AnswerResult.FAIL, "")
        services.assessment_record(actor=official, assessment=a, answers=answers, lec=lec)
        services.assessment_complete(actor=official, assessment=a)

    assert enterprise_risk_colours([world.enterprise.pk]) == {world.enterprise.pk: None}
    visit(("6", "6", "7"), fail_major=False)  # D = 252
    assert enterprise_risk_colours([world.enterprise.pk])[world.enterprise.pk] == "orange"
    visit(("1", "3", "3"), fail_major=True)  # D = 9 but a major hazard was found
    assert enterprise_risk_colours([world.enterprise.pk])[world.enterprise.pk] == "red"
    visit(("1", "3", "3"), fail_major=False)
    assert enterprise_risk_colours([world.enterprise.pk])[world.enterprise.pk] == "blue"
