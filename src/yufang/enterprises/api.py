import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from yufang.enterprises.models import Enterprise
from yufang.enterprises.selectors import (
    EnterpriseFilter,
    enterprise_get,
    enterprise_list,
    headcounts_of,
)
from yufang.enterprises.services import enterprise_create, enterprise_update, headcount_set

router = Router(tags=["enterprises"])


class EnterpriseFilterIn(Schema):
    q: str = ""
    city: str = ""
    county: str = ""
    township: str = ""
    grid: str = ""
    industry: str = ""
    risk_class: int | None = None
    size: str = ""
    key_industry: bool | None = None


class EnterpriseOut(Schema):
    id: int
    credit_code: str
    name: str
    address: str
    city: str
    county: str
    township: str | None
    grid: str | None
    industry: str
    industry_name: str
    risk_class: int | None
    risk_class_is_override: bool
    size: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_key_industry: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_city(obj: Enterprise) -> str:
        return obj.city.code

    @staticmethod
    def resolve_county(obj: Enterprise) -> str:
        return obj.county.code

    @staticmethod
    def resolve_township(obj: Enterprise) -> str | None:
        return obj.township.code if obj.township else None

    @staticmethod
    def resolve_grid(obj: Enterprise) -> str | None:
        return obj.grid.code if obj.grid else None

    @staticmethod
    def resolve_industry(obj: Enterprise) -> str:
        return obj.industry.code

    @staticmethod
    def resolve_industry_name(obj: Enterprise) -> str:
        return obj.industry.name


class EnterpriseIn(Schema):
    """Codes, as in the import file: county, township and grid codes, a GB/T 4754 code."""

    credit_code: str
    credit_code_exception: str = ""
    name: str
    address: str = ""
    county: str
    township: str = ""
    grid: str = ""
    industry: str
    size: str
    risk_class_override: int | None = None
    risk_class_override_reason: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_key_industry: bool | None = None
    headcount_year: int | None = None
    insured_headcount: int | None = None


class HeadcountIn(Schema):
    insured_headcount: int
    hours_worked: Decimal | None = None


class HeadcountOut(Schema):
    year: int
    insured_headcount: int
    hours_worked: Decimal | None


def _as_input(payload: EnterpriseIn) -> dict[str, Any]:
    data = payload.dict()
    return {
        k: ("" if v is None else ("1" if v is True else "0" if v is False else v))
        for k, v in data.items()
    }


@router.get("", response=list[EnterpriseOut])
@paginate(PageNumberPagination, page_size=50)
def enterprises(request: HttpRequest, filters: Query[EnterpriseFilterIn]):  # type: ignore[no-untyped-def]
    """Enterprises in the caller's scope, filtered like the list page."""
    return enterprise_list(request.user, EnterpriseFilter(**filters.dict()))


@router.get("/{enterprise_id}", response=EnterpriseOut)
def enterprise_detail(request: HttpRequest, enterprise_id: int) -> Enterprise:
    return enterprise_get(request.user, enterprise_id)


@router.post("", response={201: EnterpriseOut})
def enterprise_new(request: HttpRequest, payload: EnterpriseIn) -> Status:
    enterprise = enterprise_create(actor=request.user, data=_as_input(payload))
    return Status(201, enterprise_get(request.user, enterprise.pk))


@router.put("/{enterprise_id}", response=EnterpriseOut)
def enterprise_edit(request: HttpRequest, enterprise_id: int, payload: EnterpriseIn) -> Enterprise:
    enterprise = enterprise_get(request.user, enterprise_id)
    enterprise_update(actor=request.user, enterprise=enterprise, data=_as_input(payload))
    return enterprise_get(request.user, enterprise_id)


@router.get("/{enterprise_id}/headcounts", response=list[HeadcountOut])
def headcounts(request: HttpRequest, enterprise_id: int):  # type: ignore[no-untyped-def]
    return headcounts_of(enterprise_get(request.user, enterprise_id))


@router.put("/{enterprise_id}/headcounts/{year}", response=HeadcountOut)
def headcount_put(request: HttpRequest, enterprise_id: int, year: int, payload: HeadcountIn):  # type: ignore[no-untyped-def]
    enterprise = enterprise_get(request.user, enterprise_id)
    return headcount_set(
        actor=request.user,
        enterprise=enterprise,
        year=year,
        insured_headcount=payload.insured_headcount,
        hours_worked=payload.hours_worked,
    )
