from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from yufang import policy
from yufang.industries.models import Industry, RiskClassRule
from yufang.industries.services import risk_class_candidates


def industry_search(*, query: str = "", level: int | None = None) -> QuerySet[Industry]:
    qs = Industry.objects.all()
    if query:
        qs = qs.filter(code__startswith=query) | qs.filter(name__icontains=query)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("full_code")


def risk_class_rules_on(codes: Iterable[str], on: dt.date) -> dict[str, RiskClassRule]:
    """The rule in force on a date for each industry code that has one."""
    found: dict[str, RiskClassRule] = {}
    rules = (
        RiskClassRule.objects.filter(industry__code__in=list(codes), effective_from__lte=on)
        .select_related("industry")
        .order_by("effective_from")
    )
    for rule in rules:
        found[rule.industry.code] = rule
    return found


def risk_class_of(industry: Industry, on: dt.date | None = None) -> int | None:
    on = on or timezone.localdate()
    candidates = risk_class_candidates(industry)
    rules = risk_class_rules_on(candidates, on)
    for code in candidates:
        if code in rules:
            return rules[code].risk_class
    return None


def risk_class_map(on: dt.date | None = None) -> dict[str, int]:
    """Industry code (division or group) → class in force: one query for bulk work."""
    on = on or timezone.localdate()
    return {
        code: rule.risk_class
        for code, rule in risk_class_rules_on(
            Industry.objects.filter(level__in=[2, 3]).values_list("code", flat=True), on
        ).items()
    }


def risk_class_from_map(industry_code: str, classes: dict[str, int]) -> int | None:
    for code in (
        (industry_code[:3], industry_code[:2]) if len(industry_code) >= 3 else (industry_code[:2],)
    ):
        if code in classes:
            return classes[code]
    return None


def is_key_industry(industry: Industry, on: dt.date | None = None) -> bool:
    on = on or timezone.localdate()
    return industry.division_code in set(policy.value("key_industry_divisions", on))


def risk_class_history(industry: Industry) -> QuerySet[RiskClassRule]:
    return (
        RiskClassRule.objects.filter(industry__code__in=risk_class_candidates(industry))
        .select_related("industry", "recorded_by")
        .order_by("-effective_from")
    )
