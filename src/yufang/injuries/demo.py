"""Five years of recognised injury cases for the demo enterprises.

Each enterprise-year draws a Poisson number of cases from a base rate of its insurance risk
class; the rate falls each year, faster in the pilot cities, so the dashboards show what the
generated data holds: pilot cities meeting the five-year target, the others behind it.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from django.db import transaction

from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.injuries.services import cases_check, cases_create_many, rollup_rebuild
from yufang.lib.identifiers import id_number_check_character
from yufang.support.demo import DemoContext

ORDER = 50

# Demo base rates per 1,000 insured by risk class (class 1 lowest risk ... class 8 highest);
# invented for the demo, in the range of China's reported ~4 ‰ recognised-injury incidence.
BASE_RATE = {1: 1.2, 2: 1.8, 3: 2.5, 4: 3.2, 5: 4.0, 6: 5.0, 7: 6.2, 8: 7.5}
FALL_PILOT = 0.065  # yearly relative fall of the rate in pilot cities
FALL_OTHER = 0.018
# GB 6441 categories most common per GB/T 4754 section (construction falls, mining roof falls).
CATEGORY_WEIGHTS = {
    "B": {"11": 5, "01": 3, "15": 1, "03": 2, "20": 1, "09": 1},
    "C": {"03": 6, "01": 3, "07": 2, "04": 1, "19": 1, "20": 2, "09": 1},
    "E": {"09": 6, "01": 4, "10": 2, "05": 1, "04": 1, "20": 1},
    "G": {"02": 7, "01": 2, "09": 1, "20": 2},
}
DEFAULT_CATEGORIES = {"01": 3, "02": 2, "03": 2, "09": 2, "20": 4, "07": 1, "05": 1}
BODY_PARTS = {
    "hand": 8,
    "upper_limb": 3,
    "lower_limb": 4,
    "foot": 3,
    "head": 2,
    "eye": 1,
    "trunk": 2,
    "multiple": 1,
}
DISEASES = ["尘肺病", "职业性噪声聋", "职业性化学中毒", "职业性皮肤病"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志"


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _pick(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _id_number(rng: random.Random, county: str) -> str:
    born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 36))
    body = f"{county}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return body + id_number_check_character(body)


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    pilots = set(ctx.shared.get("pilot_cities", []))
    enterprises = list(
        Enterprise.objects.select_related("industry", "city", "county").order_by("pk")
    )
    headcounts = {
        (eid, year): (n, hours)
        for eid, year, n, hours in InsuredHeadcount.objects.values_list(
            "enterprise_id", "year", "insured_headcount", "hours_worked"
        )
    }
    rows = []
    seq = 0
    for enterprise in enterprises:
        base = BASE_RATE.get(enterprise.risk_class or 4, 3.2) / 1000
        fall = FALL_PILOT if enterprise.city.code in pilots else FALL_OTHER
        categories = CATEGORY_WEIGHTS.get(enterprise.industry.section, DEFAULT_CATEGORIES)
        for year in ctx.years:
            exposure = headcounts.get((enterprise.pk, year))
            if not exposure or exposure[0] == 0:
                continue
            lam = exposure[0] * base * (1 - fall) ** (year - ctx.years.start)
            for _ in range(_poisson(rng, lam)):
                seq += 1
                accident = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
                recognition = min(ctx.today, accident + dt.timedelta(days=rng.randint(20, 120)))
                roll = rng.random()
                kind = (
                    "work_injury"
                    if roll < 0.92
                    else "deemed"
                    if roll < 0.97
                    else "occupational_disease"
                )
                death = kind != "occupational_disease" and rng.random() < 0.006
                grade = (
                    ""
                    if death or rng.random() > 0.22
                    else str(rng.choices(range(1, 11), weights=[1, 1, 1, 2, 3, 4, 6, 8, 10, 12])[0])
                )
                days = rng.randint(3, 150)
                payout = Decimal(
                    round(
                        (600_000 if death else 0)
                        + (int(grade) and (11 - int(grade)) * 25_000 if grade else 0)
                        + days * rng.uniform(150, 300),
                        2,
                    )
                ).quantize(Decimal("0.01"))
                data = {
                    "case_number": f"RS{year}{enterprise.county.code}{seq:06d}",
                    "enterprise": enterprise,
                    "person_name": rng.choice(SURNAMES)
                    + "".join(rng.choices(GIVEN, k=rng.randint(1, 2))),
                    "id_number": _id_number(rng, enterprise.county.code),
                    "accident_date": accident.isoformat(),
                    "recognition_date": recognition.isoformat(),
                    "kind": kind,
                    "occupational_disease": rng.choice(DISEASES)
                    if kind == "occupational_disease"
                    else "",
                    "is_death": death,
                    "disability_grade": grade,
                    "lost_workdays": str(days),
                    "accident_category": _pick(rng, categories),
                    "body_part": "whole_body" if death else _pick(rng, BODY_PARTS),
                    "payout": str(payout),
                }
                rows.append((seq, data))
    with transaction.atomic():
        batch = cases_check(rows, user=None, today=ctx.today)
        if batch.errors:
            raise ValueError(f"demo cases invalid: {batch.errors[:5]}")
        cases_create_many(actor=None, batch=batch)
        # The registry's demo wrote headcounts directly: build the rollup from everything.
        rollup_rebuild()
    ctx.log.write(f"injuries: {len(rows)} cases over {ctx.years.start}-{ctx.years.stop - 1}")
