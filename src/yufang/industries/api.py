from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from yufang.industries.models import Industry
from yufang.industries.selectors import industry_search, is_key_industry, risk_class_of

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
@paginate(PageNumberPagination, page_size=100)
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
