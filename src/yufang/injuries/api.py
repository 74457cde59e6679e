# No `from __future__ import annotations`: Ninja resolves the Query[...] schemas at import.
import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from yufang.accounts.scoping import sees_person_names
from yufang.enterprises.selectors import enterprise_get
from yufang.injuries.models import InjuryCase
from yufang.injuries.selectors import (
    GROUPS,
    CaseFilter,
    CaseQuery,
    RateFilter,
    case_get,
    case_list,
    dashboard_focus,
    dashboard_target_region,
    headcounts_visible,
    latest_year,
    pilot_comparison,
    priority_list,
    rate_rows,
    rates_need_a_region,
    target_progress,
    targets_overview,
)
from yufang.injuries.services import (
    case_create,
    case_delete,
    case_reveal_id_number,
    case_update,
    exposure_set,
    priority_ranking_refresh,
)
from yufang.lib.errors import InvalidInput
from yufang.support.bounds import (
    MAX_BIGINT,
    Code,
    Count,
    Id,
    Search,
    Year,
    filter_schema,
    paginated,
)

router = Router(tags=["injuries"])

# The case's columns (see InjuryCase): longer text is refused on the field, not truncated.
CaseNumber = Annotated[str, Field(max_length=40)]
PersonName = Annotated[str, Field(max_length=60)]
IdNumber = Annotated[str, Field(max_length=18)]
Disease = Annotated[str, Field(max_length=100)]
# Grade, workdays and payout are checked by `case_clean` with the other fields (so a 422 names
# them all at once); the schema only keeps them within what the check can read.
Grade = Annotated[int, Field(ge=-MAX_BIGINT, le=MAX_BIGINT)]
Workdays = Annotated[int, Field(ge=-MAX_BIGINT, le=2**31 - 1)]
RiskClass = Annotated[int, Field(ge=1, le=8)]
Payout = Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
Hours = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=1)]
IndustryLevel = Annotated[int, Field(ge=1, le=4)]
Limit = Annotated[int, Field(ge=1, le=5000)]


RateFilterIn = filter_schema(
    "RateFilterIn",
    RateFilter,
    {
        "year_from": Year | None,
        "year_to": Year | None,
        "city": Code,
        "county": Code,
        "grid": Code,
        "industry": Code,
        "risk_class": RiskClass | None,
        "size": Code,
        "enterprise": Id | None,
    },
    # One year, as the pages ask it (year_from = year_to).
    extra={"year": (Year | None, None)},
)
CaseFilterIn = filter_schema(
    "CaseFilterIn",
    CaseQuery,
    {"q": Search, "kind": Code, "accident_category": Code},
    extra={name: (info.annotation, info) for name, info in RateFilterIn.model_fields.items()},
)


def _params(filters: Schema) -> dict[str, str]:
    """A query schema's values as the pages' parameters, which the selectors' filters read
    (`from_params`): one reading of the bounds and blanks for both."""
    return {
        k: ("1" if v else "0") if isinstance(v, bool) else ("" if v is None else str(v))
        for k, v in filters.dict().items()
        if v is not False or k not in ("counted", "missing_headcount")
    }


class CaseOut(Schema):
    id: int
    case_number: str
    enterprise_id: int
    enterprise_name: str
    person_name: str
    id_number_masked: str | None
    accident_date: dt.date
    recognition_date: dt.date
    kind: str
    occupational_disease: str
    is_death: bool
    disability_grade: int | None
    lost_workdays: int | None
    accident_category: str
    body_part: str
    payout: Decimal
    updated_at: dt.datetime

    @staticmethod
    def resolve_enterprise_name(obj: InjuryCase) -> str:
        return obj.enterprise.name

    # Roles that read statistics see the person masked (see docs/injuries.md).
    @staticmethod
    def resolve_person_name(obj: InjuryCase, context: dict[str, Any]) -> str:
        return obj.person_name if _sees_names(context) else obj.person_name_masked

    @staticmethod
    def resolve_id_number_masked(obj: InjuryCase, context: dict[str, Any]) -> str | None:
        return obj.id_number_masked if _sees_names(context) else None


def _sees_names(context: dict[str, Any] | None) -> bool:
    request = (context or {}).get("request")
    return request is not None and sees_person_names(request.user)


class CaseIn(Schema):
    case_number: CaseNumber
    enterprise_id: Id
    person_name: PersonName
    id_number: IdNumber = ""
    accident_date: dt.date
    recognition_date: dt.date
    kind: Code
    occupational_disease: Disease = ""
    is_death: bool = False
    disability_grade: Grade | None = None
    lost_workdays: Workdays | None = None
    accident_category: Code
    body_part: Code
    payout: Payout = Decimal("0")


class RevealOut(Schema):
    id_number: str


class HeadcountOut(Schema):
    enterprise_id: int
    year: int
    insured_headcount: int
    hours_worked: Decimal | None


class HeadcountIn(Schema):
    insured_headcount: Count
    hours_worked: Hours | None = None


def _case_data(request: HttpRequest, payload: CaseIn) -> dict[str, Any]:
    data: dict[str, Any] = payload.dict()
    data["enterprise"] = enterprise_get(request.user, data.pop("enterprise_id"))
    for name in ("disability_grade", "lost_workdays"):
        data[name] = "" if data[name] is None else str(data[name])
    for name in ("accident_date", "recognition_date"):
        data[name] = data[name].isoformat()
    data["payout"] = str(data["payout"])
    return data


@router.get("/cases", response=list[CaseOut])
@paginated(50)
def cases(request: HttpRequest, filters: Query[CaseFilterIn]):  # type: ignore[no-untyped-def,valid-type]
    return case_list(request.user, CaseFilter.from_params(_params(filters)))


@router.post("/cases", response={201: CaseOut})
def case_new(request: HttpRequest, payload: CaseIn) -> Status:
    return Status(201, case_create(actor=request.user, data=_case_data(request, payload)))


@router.get("/cases/{case_id}", response=CaseOut)
def case_detail(request: HttpRequest, case_id: Id) -> InjuryCase:
    return case_get(request.user, case_id)


@router.put("/cases/{case_id}", response=CaseOut)
def case_edit(request: HttpRequest, case_id: Id, payload: CaseIn) -> InjuryCase:
    case = case_get(request.user, case_id)
    return case_update(actor=request.user, case=case, data=_case_data(request, payload))


@router.delete("/cases/{case_id}", response={204: None})
def case_remove(request: HttpRequest, case_id: Id) -> Status:
    case_delete(actor=request.user, case=case_get(request.user, case_id))
    return Status(204, None)


@router.post("/cases/{case_id}/reveal", response=RevealOut)
def case_reveal(request: HttpRequest, case_id: Id) -> dict[str, str]:
    """The full ID number, for officials of the case's region; the reveal is audited."""
    case = case_get(request.user, case_id)
    return {"id_number": case_reveal_id_number(actor=request.user, case=case)}


@router.get("/headcounts", response=list[HeadcountOut])
@paginated(50)
def headcounts(request: HttpRequest, filters: Query[RateFilterIn]):  # type: ignore[no-untyped-def,valid-type]
    return headcounts_visible(request.user, RateFilter.from_params(_params(filters)))


@router.put("/headcounts/{enterprise_id}/{year}", response=HeadcountOut)
def headcount_put(request: HttpRequest, enterprise_id: Id, year: Year, payload: HeadcountIn):  # type: ignore[no-untyped-def]
    enterprise = enterprise_get(request.user, enterprise_id)
    return exposure_set(
        actor=request.user,
        enterprise=enterprise,
        year=year,
        insured_headcount=payload.insured_headcount,
        hours_worked=payload.hours_worked,
    )


@router.get("/rates")
def rates(
    request: HttpRequest,
    filters: Query[RateFilterIn],  # type: ignore[valid-type]
    by: Code = "year",
    per_year: bool = False,
    industry_level: IndustryLevel = 1,
) -> dict[str, Any]:
    """Injury rate (‰), death rate (per 100,000), OSHA rate (per 200,000 h) and LTIFR
    (per 1,000,000 h), each with its exact 95% Poisson interval, grouped by `by`."""
    if by not in GROUPS:
        raise InvalidInput({"by": f"one of {', '.join(GROUPS)}"})
    f = RateFilter.from_params(_params(filters))
    narrow = rates_need_a_region(request.user, by, f)
    if narrow:
        raise InvalidInput({"city": narrow})
    rows = rate_rows(
        request.user,
        by=by,
        filters=f,
        per_year=per_year,
        industry_level=industry_level,
    )
    return {"by": by, "rows": [r.as_dict() for r in rows]}


@router.get("/targets")
def targets(request: HttpRequest) -> dict[str, Any]:
    return {
        "targets": [t.as_dict() for t in targets_overview(request.user)],
        "pilot_comparison": pilot_comparison(request.user),
    }


@router.get("/priority")
def priority(
    request: HttpRequest,
    filters: Query[RateFilterIn],  # type: ignore[valid-type]
    order: Code = "smoothed",
    limit: Limit = 200,
) -> dict[str, Any]:
    """Enterprises ranked for prevention (empirical-Bayes smoothed injury rate or excess
    cases), with the numbers behind each rank."""
    f = RateFilter.from_params(_params(filters))
    priority_ranking_refresh(year=f.year_to or latest_year(request.user))
    rows = priority_list(
        request.user,
        year=f.year_to,
        filters=dataclasses.replace(f, year_from=None, year_to=None),
        order="excess" if order == "excess" else "smoothed",
        limit=limit,
    )
    return {"rows": [r.as_dict() for r in rows]}


@router.get("/dashboard")
def dashboard(
    request: HttpRequest, year: Year | None = None, city: Code = "", county: Code = ""
) -> dict[str, Any]:
    """The figures of the province (or a city's / county's) dashboard for one year: rates by
    area, trend by year, by industry section and by accident category, and target progress."""
    user = request.user
    city_region, county_region = dashboard_focus(user, city_code=city, county_code=county)
    year = year or latest_year(user)
    base = RateFilter(
        city=city_region.code if city_region else "",
        county=county_region.code if county_region else "",
        year_to=max(year, latest_year(user)),
    )
    this_year = dataclasses.replace(base, year_from=year, year_to=year)
    area = "county" if city_region and not county_region else "city"
    region = dashboard_target_region(user, city=city_region, county=county_region)
    return {
        "year": year,
        "total": [r.as_dict() for r in rate_rows(user, by="total", filters=this_year)],
        "areas": []
        if county_region
        else [r.as_dict() for r in rate_rows(user, by=area, filters=this_year)],
        "trend": [r.as_dict() for r in rate_rows(user, by="year", filters=base)],
        "industries": [r.as_dict() for r in rate_rows(user, by="industry", filters=this_year)],
        "categories": [r.as_dict() for r in rate_rows(user, by="category", filters=this_year)],
        "targets": [t.as_dict() for t in target_progress(user, region=region)] if region else [],
    }
