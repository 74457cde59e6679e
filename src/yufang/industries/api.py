from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from yufang.accounts.models import Role
from yufang.accounts.scoping import require_role
from yufang.industries.models import Industry, RiskClassRule
from yufang.industries.selectors import (
    industry_search,
    is_key_industry,
    risk_class_history,
    risk_class_of,
)
from yufang.industries.services import risk_class_rule_set
from yufang.support.bounds import paginated

router = Router(tags=["industries"])


class IndustryOut(Schema):
    code: str
    full_code: str
    level: int
    name: str
    parent: str | None
    section: str

    @staticmethod
    def resolve_parent(obj: Industry) -> str | None:
        return obj.parent.code if obj.parent_id else None  # type: ignore[union-attr]


class IndustryDetailOut(IndustryOut):
    risk_class: int | None
    is_key_industry: bool


@router.get("", response=list[IndustryOut])
@paginated(page_size=100)
def industry_list(request: HttpRequest, q: str = "", level: int | None = None, parent: str = ""):  # type: ignore[no-untyped-def]
    """GB/T 4754-2017 industries; q matches a code prefix or a word of the name."""
    qs = industry_search(query=q, level=level).select_related("parent")
    if parent:
        qs = qs.filter(parent__code=parent)
    return qs


@router.get("/{code}", response=IndustryDetailOut)
def industry_detail(request: HttpRequest, code: str) -> Industry:
    industry = get_object_or_404(Industry.objects.select_related("parent"), code=code.upper())
    industry.risk_class = risk_class_of(industry)  # type: ignore[attr-defined]
    industry.is_key_industry = is_key_industry(industry)  # type: ignore[attr-defined]
    return industry


class RiskClassRuleIn(Schema):
    risk_class: int
    effective_from: dt.date
    reason: str


class RiskClassRuleOut(Schema):
    industry: str
    risk_class: int
    effective_from: dt.date
    source: str

    @staticmethod
    def resolve_industry(obj: RiskClassRule) -> str:
        return obj.industry.code


@router.get("/{code}/risk-classes", response=list[RiskClassRuleOut])
def risk_class_rules(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    """The dated risk-class rules that apply to an industry (its group's and division's)."""
    return risk_class_history(get_object_or_404(Industry, code=code.upper()))


@router.post("/{code}/risk-classes", response={201: RiskClassRuleOut})
def risk_class_rule_new(request: HttpRequest, code: str, payload: RiskClassRuleIn) -> Status:
    """A province official records a new class for a division or group from a date."""
    require_role(request.user, Role.PROVINCE_OFFICIAL, Role.ADMIN)
    industry = get_object_or_404(Industry, code=code.upper())
    rule = risk_class_rule_set(
        actor=request.user,
        industry=industry,
        risk_class=payload.risk_class,
        effective_from=payload.effective_from,
        reason=payload.reason,
    )
    return Status(201, rule)
