import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from yufang.enterprises.models import Enterprise
from yufang.enterprises.selectors import (
    EnterpriseFilter,
    enterprise_get,
    enterprise_list,
    headcounts_of,
)
from yufang.enterprises.services import enterprise_create, enterprise_update, headcount_set
from yufang.support.bounds import Code, Search, filter_schema

router = Router(tags=["enterprises"])


EnterpriseFilterIn = filter_schema(
    "EnterpriseFilterIn",
    EnterpriseFilter,
    {
        "q": Search,
        "city": Code,
        "county": Code,
        "township": Code,
        "grid": Code,
        "industry": Code,
        "size": Code,
        "risk_class": Annotated[int, Field(ge=1, le=8)] | None,
    },
    # The same as `q` (a name fragment or the start of a credit code), as pickers ask it.
    extra={"search": (Search, "")},
)


class EnterpriseOut(Schema):
    id: int
    credit_code: str
    name: str
    address: str
    contact_person: str
    contact_phone: str
    city: str
    county: str
    township: str | None
    grid: str | None
    industry: str
    industry_name: str
    risk_class: int | None
    risk_class_is_override: bool
    risk_class_override: int | None
    risk_class_override_reason: str
    size: str
    latitude: Decimal | None
    longitude: Decimal | None
    is_key_industry: bool
    updated_at: dt.datetime

    @staticmethod
    def resolve_risk_class_override(obj: Enterprise) -> int | None:
        return obj.risk_class if obj.risk_class_is_override else None

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
    contact_person: str = ""
    contact_phone: str = ""
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


class EnterprisePatchIn(Schema):
    """The fields to change; a field left out keeps its value. Which fields a role may
    change: officials all, a grid worker or the enterprise's safety manager the contact and
    location details (address, contact_person, contact_phone, latitude, longitude)."""

    credit_code: str | None = None
    credit_code_exception: str | None = None
    name: str | None = None
    address: str | None = None
    contact_person: str | None = None
    contact_phone: str | None = None
    county: str | None = None
    township: str | None = None
    grid: str | None = None
    industry: str | None = None
    size: str | None = None
    risk_class_override: int | None = None
    risk_class_override_reason: str | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    is_key_industry: bool | None = None
    headcount_year: int | None = None
    insured_headcount: int | None = None


class EnterpriseHeadcountIn(Schema):
    insured_headcount: int
    hours_worked: Decimal | None = None


class EnterpriseHeadcountOut(Schema):
    year: int
    insured_headcount: int
    hours_worked: Decimal | None


def _as_input(payload: Schema, *, sent_only: bool = False) -> dict[str, Any]:
    data = payload.dict(exclude_unset=sent_only)
    return {
        k: ("" if v is None else ("1" if v is True else "0" if v is False else v))
        for k, v in data.items()
    }


@router.get("", response=list[EnterpriseOut])
@paginate(PageNumberPagination, page_size=50)
def enterprises(request: HttpRequest, filters: Query[EnterpriseFilterIn]):  # type: ignore[no-untyped-def,valid-type]
    """Enterprises in the caller's scope, filtered like the list page."""
    params = filters.dict()  # type: ignore[attr-defined]
    search = params.pop("search")
    params["q"] = params["q"] or search
    return enterprise_list(request.user, EnterpriseFilter(**params))


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


@router.patch("/{enterprise_id}", response=EnterpriseOut)
def enterprise_patch(
    request: HttpRequest, enterprise_id: int, payload: EnterprisePatchIn
) -> Enterprise:
    """Change some fields; a field the caller's role may not change is a 422 naming it."""
    enterprise = enterprise_get(request.user, enterprise_id)
    enterprise_update(
        actor=request.user, enterprise=enterprise, data=_as_input(payload, sent_only=True)
    )
    return enterprise_get(request.user, enterprise_id)


@router.get("/{enterprise_id}/headcounts", response=list[EnterpriseHeadcountOut])
def headcounts(request: HttpRequest, enterprise_id: int):  # type: ignore[no-untyped-def]
    return headcounts_of(enterprise_get(request.user, enterprise_id))


@router.put("/{enterprise_id}/headcounts/{year}", response=EnterpriseHeadcountOut)
def headcount_put(
    request: HttpRequest, enterprise_id: int, year: int, payload: EnterpriseHeadcountIn
):  # type: ignore[no-untyped-def]
    enterprise = enterprise_get(request.user, enterprise_id)
    return headcount_set(
        actor=request.user,
        enterprise=enterprise,
        year=year,
        insured_headcount=payload.insured_headcount,
        hours_worked=payload.hours_worked,
    )
