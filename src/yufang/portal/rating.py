"""The floating grade from an enterprise's indicators and the dated rules (policy
`floating_rate_*`). Pure: the rules come in as arguments, so it is tested without a
database."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Rules:
    grades: dict[str, list[int]]
    fixed_classes: list[int]
    payout_bands: dict[str, list[list[Any]]]
    occupational_step: int
    max_step: int


@dataclass(frozen=True)
class Graded:
    grade: int
    moved_by: str


def payout_ratio(payout: Decimal, premiums: Decimal | None) -> Decimal | None:
    """Fund payout ÷ premiums paid, in percent; None when the premiums are not known (or
    nothing was paid), except that no payout is a ratio of 0."""
    if premiums is None or premiums <= 0:
        return Decimal(0) if payout == 0 else None
    return (payout * 100 / premiums).quantize(Decimal("0.1"))


def _band_grade(bands: list[list[Any]], ratio: Decimal) -> int:
    for limit, grade in bands:
        if limit is None or ratio <= Decimal(str(limit)):
            return int(grade)
    return int(bands[-1][1])


def floating_grade(
    rules: Rules,
    *,
    risk_class: int | None,
    new_injuries: int,
    ratio: Decimal | None,
    occupational: bool,
) -> Graded:
    if risk_class is None or str(risk_class) not in rules.grades:
        return Graded(100, "no_class")
    if risk_class in rules.fixed_classes:
        return Graded(100, "fixed_class")
    grades = rules.grades[str(risk_class)]
    if ratio is None:
        grade, moved_by = 100, "payout_unknown"
    elif new_injuries:
        grade = _band_grade(rules.payout_bands["new_injury"], ratio)
        moved_by = "payout_ratio" if grade > 100 else "new_injury"
    else:
        grade = _band_grade(rules.payout_bands["no_new_injury"], ratio)
        moved_by = "no_new_injury" if grade < 100 else "payout_ratio"
    index = _nearest(grades, grade)
    if occupational and rules.occupational_step:
        index += rules.occupational_step
        moved_by = "occupational_hazard"
    base = _nearest(grades, 100)
    index = max(base - rules.max_step, min(base + rules.max_step, index))
    index = max(0, min(len(grades) - 1, index))
    return Graded(grades[index], moved_by)


def _nearest(grades: list[int], grade: int) -> int:
    return min(range(len(grades)), key=lambda i: (abs(grades[i] - grade), i))
