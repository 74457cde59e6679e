"""The rules that turn numbers into judgements: LEC and L×S colours, exposure-limit
exceedance, the enterprise's risk colour. Pure functions over the dated parameters in
`policy/`; no rule number is written here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yufang import policy
from yufang.hazards.models import COLOUR_RANK, RiskColour, SampleType

# Which kind of limit each sample type is compared with; a MAC applies to any sample.
LIMIT_TYPE = {
    SampleType.TWA_8H: "PC-TWA",
    SampleType.STEL_15MIN: "PC-STEL",
    SampleType.CEILING: "MAC",
}
EXPOSURE_PARAMETERS = ("exposure_limits_noise", "exposure_limits_chemicals")


def _scores(name: str, on: dt.date) -> dict[Decimal, str]:
    return {Decimal(k): v for k, v in policy.value(name, on).items()}


def lec_scales(on: dt.date) -> dict[str, dict[Decimal, str]]:
    return {
        "l": _scores("lec_l_scores", on),
        "e": _scores("lec_e_scores", on),
        "c": _scores("lec_c_scores", on),
    }


def lec_colour(d: Decimal, on: dt.date) -> RiskColour:
    for band in policy.value("lec_bands", on):
        if d > Decimal(str(band["above"])):
            return RiskColour(band["colour"])
    return RiskColour.BLUE


def ls_colour(r: int, on: dt.date) -> RiskColour:
    for band in policy.value("ls_bands", on):
        if r >= int(band["min"]):
            return RiskColour(band["colour"])
    return RiskColour.BLUE


def worst(*colours: RiskColour | None) -> RiskColour | None:
    present = [c for c in colours if c]
    return min(present, key=lambda c: COLOUR_RANK[RiskColour(c)]) if present else None


def exceedance_colour(ratio: Decimal | None, on: dt.date) -> RiskColour | None:
    """The colour a measurement at `ratio` times its exposure limit gives; None at or below
    the limit."""
    if ratio is None or ratio <= 1:
        return None
    for band in policy.value("exposure_exceedance_bands", on):
        if ratio >= Decimal(str(band["min_ratio"])):
            return RiskColour(band["colour"])
    return None


@dataclass(frozen=True)
class AssessmentScore:
    lec_d: Decimal | None
    lec_colour: RiskColour | None
    ls_r: int | None
    ls_colour: RiskColour | None
    colour: RiskColour | None
    exposure_ratio: Decimal | None = None
    exposure_colour: RiskColour | None = None


def assessment_score(
    assessment: Any, *, found_major: bool, exposure_ratio: Decimal | None = None
) -> AssessmentScore:
    """The stated rule for an assessment's colour: the worst of its LEC colour, its L×S
    colour, the colour of its worst measurement above an exposure limit (`exposure_ratio`:
    the largest measured value / limit) and red when it found a major hazard (a major hazard
    is a red risk in the four-colour grading). None when the assessment has no score, no
    exceedance and no major finding."""
    on = assessment.visited_on or assessment.planned_on or timezone.localdate()
    d = r = None
    lc = sc = None
    if None not in (assessment.lec_l, assessment.lec_e, assessment.lec_c):
        d = Decimal(assessment.lec_l) * Decimal(assessment.lec_e) * Decimal(assessment.lec_c)
        lc = lec_colour(d, on)
    if assessment.ls_l and assessment.ls_s:
        r = assessment.ls_l * assessment.ls_s
        sc = ls_colour(r, on)
    ec = exceedance_colour(exposure_ratio, on)
    colour = worst(lc, sc, ec, RiskColour.RED if found_major else None)
    return AssessmentScore(
        lec_d=d,
        lec_colour=lc,
        ls_r=r,
        ls_colour=sc,
        colour=colour,
        exposure_ratio=exposure_ratio if ec else None,
        exposure_colour=ec,
    )


@dataclass(frozen=True)
class ExposureLimit:
    agent: str
    name: str
    name_en: str
    cas: str
    type: str
    fraction: str
    value: Decimal
    unit: str
    confirmed: bool
    source: str


def exposure_limits(on: dt.date) -> list[ExposureLimit]:
    """Every limit in force on a date; a standard not yet in force contributes nothing."""
    found = []
    for name in EXPOSURE_PARAMETERS:
        try:
            dated = policy.parameter(name).on(on)
        except policy.ParameterError:
            continue
        for e in dated.value:
            found.append(
                ExposureLimit(
                    agent=e["agent"],
                    name=e["name"],
                    name_en=e["name_en"],
                    cas=e["cas"],
                    type=e["type"],
                    fraction=e["fraction"],
                    value=Decimal(str(e["value"])),
                    unit=e["unit"],
                    confirmed=bool(e["confirmed"]),
                    source=dated.source,
                )
            )
    return found


def agents(on: dt.date) -> dict[str, tuple[str, str, str]]:
    """agent key → (Chinese name, English name, unit), for forms and validation."""
    return {e.agent: (e.name, e.name_en, e.unit) for e in exposure_limits(on)}


@dataclass(frozen=True)
class Exceedance:
    limits: list[ExposureLimit]
    exceeded: bool | None  # None: no limit of this kind for the agent on that date
    value: Decimal | None = None

    @property
    def worst(self) -> ExposureLimit | None:
        """The limit the value exceeds most (by ratio), when it exceeds one."""
        if not self.exceeded or self.value is None:
            return None
        return max(self.limits, key=lambda lim: self.value / lim.value)  # type: ignore[operator]

    @property
    def ratio(self) -> Decimal | None:
        """The measured value / the limit it exceeds most, to two decimals; None within
        limits."""
        lim = self.worst
        if lim is None or self.value is None:
            return None
        return (self.value / lim.value).quantize(Decimal("0.01"))

    @property
    def limit_text(self) -> str:
        return "; ".join(f"{lim.type} {lim.value} {lim.unit}" for lim in self.limits)

    @property
    def unconfirmed(self) -> bool:
        return any(not lim.confirmed for lim in self.limits)


def exceedance(*, agent: str, sample_type: str, value: Decimal, sampled_on: dt.date) -> Exceedance:
    wanted = {LIMIT_TYPE[SampleType(sample_type)], "MAC"}
    limits = [
        lim for lim in exposure_limits(sampled_on) if lim.agent == agent and lim.type in wanted
    ]
    if not limits:
        return Exceedance([], None)
    return Exceedance(limits, any(value > lim.value for lim in limits), value)
