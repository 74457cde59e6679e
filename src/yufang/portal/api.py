"""The enterprise self-service API: an enterprise's HR system submits roster changes and
requests to change the bureau's data with a bearer token; the bureau decides them, records
premiums and runs the floating rate. Same services and selectors as the pages."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from yufang.accounts.models import Role
from yufang.accounts.scoping.portal import require_portal_bureau, require_portal_reader
from yufang.enterprises.selectors import enterprises_visible
from yufang.hazards.selectors import checklist_get
from yufang.portal import selectors, services
from yufang.portal.models import (
    AssessmentStatus,
    ChangeRequest,
    FloatingRate,
    FloatingRateRun,
    PremiumPaid,
    RequestStatus,
    RosterChange,
    RosterSource,
    SelfAssessment,
)
from yufang.regions.models import Region
from yufang.support.bounds import Code, Id, Name, Note, Year, paginated

router = Router(tags=["portal"])
Amount = Annotated[Decimal, Field(ge=0, lt=10**12, max_digits=14, decimal_places=2)]
ValueText = Annotated[str, Field(max_length=300)]
IdNumber = Annotated[str, Field(max_length=40)]
StatusCode = Annotated[str, Field(max_length=10)]


# --- schemas ----------------------------------------------------------------------------------


class ChangeRequestIn(Schema):
    field: Code
    requested_value: ValueText
    reason: Note
    headcount_year: Year | None = None


class ChangeRequestOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    field: str
    current_value: str
    requested_value: str
    headcount_year: int | None
    reason: str
    status: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    has_evidence: bool

    @staticmethod
    def resolve_enterprise_name(obj: ChangeRequest) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_has_evidence(obj: ChangeRequest) -> bool:
        return bool(obj.evidence)


class RequestDecisionIn(Schema):
    approve: bool
    note: Note = ""


class RosterChangeIn(Schema):
    kind: Code
    person_name: Name
    id_number: IdNumber
    effective_on: dt.date | None = None


class RosterBatchIn(Schema):
    changes: list[RosterChangeIn] = Field(..., max_length=5000)


class RosterChangeOut(Schema):
    id: int
    enterprise_id: int
    kind: str
    person_name: str
    id_masked: str
    effective_on: dt.date
    source: str
    insured_elsewhere: str
    status: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


class InsuredPersonOut(Schema):
    id: int
    enterprise_id: int
    person_name: str
    id_masked: str
    insured_from: dt.date
    insured_until: dt.date | None


class PremiumIn(Schema):
    enterprise_id: Id
    year: Year
    amount: Amount


class PremiumOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    credit_code: str
    year: int
    amount: Decimal

    @staticmethod
    def resolve_enterprise_name(obj: PremiumPaid) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_credit_code(obj: PremiumPaid) -> str:
        return obj.enterprise.credit_code


class RunIn(Schema):
    region: Code
    year: Year


class RunOut(Schema):
    id: int
    region: str
    region_name: str
    year: int
    status: str
    run_at: dt.datetime
    reviewed_at: dt.datetime | None

    @staticmethod
    def resolve_region(obj: FloatingRateRun) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: FloatingRateRun) -> str:
        return obj.region.name


class RateOut(Schema):
    id: int
    run_id: int
    year: int
    enterprise_id: int
    enterprise_name: str
    risk_class: int | None
    base_rate: Decimal | None
    grade: int
    rate: Decimal | None
    new_injuries: int
    payout: Decimal
    premiums: Decimal | None
    payout_ratio: Decimal | None
    injury_rate: Decimal | None
    occupational_hazard: bool
    moved_by: str
    hazards_closed_grade: int
    prevented_grade: int

    @staticmethod
    def resolve_year(obj: FloatingRate) -> int:
        return obj.run.year

    @staticmethod
    def resolve_enterprise_name(obj: FloatingRate) -> str:
        return obj.enterprise.name


class SelfAssessmentIn(Schema):
    checklist_id: Id


class SelfAssessmentItemOut(Schema):
    number: int
    text: str
    is_major: bool
    answer: str
    note: str


class SelfAssessmentOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    checklist_id: int
    checklist_title: str
    status: str
    failed: int
    major_failed: int
    answered: int
    done_at: dt.datetime

    @staticmethod
    def resolve_enterprise_name(obj: SelfAssessment) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_checklist_title(obj: SelfAssessment) -> str:
        return obj.checklist.title

    @staticmethod
    def resolve_answered(obj: SelfAssessment) -> int:
        return len(obj.answers)


class SelfAssessmentDetailOut(SelfAssessmentOut):
    items: list[SelfAssessmentItemOut]

    @staticmethod
    def resolve_items(obj: SelfAssessment) -> list[dict[str, Any]]:
        return [
            {
                "number": row["item"].number,
                "text": row["item"].text,
                "is_major": row["item"].is_major,
                "answer": row["answer"],
                "note": row["note"],
            }
            for row in selectors.self_assessment_rows(obj)
        ]


class SelfCheckAnswerIn(Schema):
    item: Annotated[int, Field(ge=1, le=100_000)]
    # "pass", "fail" or "na"; empty to change only the note.
    answer: Annotated[str, Field(max_length=10)] = ""
    note: Annotated[str, Field(max_length=500)] | None = None


class SelfCheckAnswersIn(Schema):
    answers: list[SelfCheckAnswerIn] = Field(..., min_length=1, max_length=1000)


class InboxItemOut(Schema):
    kind: str
    text: str
    url: str
    level: str
    when: dt.datetime | None
    unread: bool


# --- helpers ----------------------------------------------------------------------------------


def _own_enterprise(request: HttpRequest) -> Any:
    user: Any = request.user
    require_portal_reader(user)
    if user.role != Role.SAFETY_MANAGER or not user.enterprise_id:
        raise PermissionDenied(_("Only the enterprise's own safety manager submits this."))
    return get_object_or_404(enterprises_visible(user), pk=user.enterprise_id)


def _status_filter(qs: Any, status: str) -> Any:
    return qs.filter(status=status) if status in RequestStatus.values else qs


# --- requests to change the bureau's data -----------------------------------------------------


@router.get("/requests", response=list[ChangeRequestOut])
@paginated(50)
def change_requests(request: HttpRequest, status: StatusCode = ""):  # type: ignore[no-untyped-def]
    """The enterprise's own requests; for the bureau, those of its region's enterprises."""
    return _status_filter(selectors.change_requests_visible(request.user), status)


@router.post("/requests", response={201: ChangeRequestOut})
def change_request_create(request: HttpRequest, payload: ChangeRequestIn) -> Status:
    """Asks the bureau to change the enterprise's industry, size, address or insured headcount."""
    made = services.change_request_submit(
        actor=request.user,
        enterprise=_own_enterprise(request),
        field=payload.field,
        requested_value=payload.requested_value,
        reason=payload.reason,
        headcount_year=str(payload.headcount_year or ""),
    )
    return Status(201, made)


@router.get("/requests/{request_id}", response=ChangeRequestOut)
def change_request_detail(request: HttpRequest, request_id: Id) -> ChangeRequest:
    return selectors.change_request_get(request.user, request_id)


@router.post("/requests/{request_id}/decision", response=ChangeRequestOut)
def change_request_decision(
    request: HttpRequest, request_id: Id, payload: RequestDecisionIn
) -> ChangeRequest:
    """Approves (the change is applied to the registry) or refuses (with a note) a request."""
    found = selectors.change_request_get(request.user, request_id)
    return services.change_request_decide(
        actor=request.user, request=found, approve=payload.approve, note=payload.note
    )


# --- insured roster changes -------------------------------------------------------------------


@router.get("/roster-changes", response=list[RosterChangeOut])
@paginated(100)
def roster_changes(request: HttpRequest, status: StatusCode = ""):  # type: ignore[no-untyped-def]
    return _status_filter(selectors.roster_changes_visible(request.user), status)


@router.post("/roster-changes", response={201: list[RosterChangeOut]})
def roster_changes_create(request: HttpRequest, payload: RosterBatchIn) -> Status:
    """Submits roster changes (增员 add / 减员 remove), all or nothing; a person already
    insured by another enterprise of the region is flagged (`insured_elsewhere`)."""
    made = services.roster_changes_submit_many(
        actor=request.user,
        enterprise=_own_enterprise(request),
        rows=[services.RosterInput(**c.dict()) for c in payload.changes],
        source=RosterSource.API,
    )
    return Status(201, made)


@router.get("/roster-changes/{roster_change_id}", response=RosterChangeOut)
def roster_change_detail(request: HttpRequest, roster_change_id: Id) -> RosterChange:
    return selectors.roster_change_get(request.user, roster_change_id)


@router.post("/roster-changes/{roster_change_id}/decision", response=RosterChangeOut)
def roster_change_decision(
    request: HttpRequest, roster_change_id: Id, payload: RequestDecisionIn
) -> RosterChange:
    """Approves (the roster and the insured headcount follow) or refuses a roster change."""
    found = selectors.roster_change_get(request.user, roster_change_id)
    return services.roster_change_decide(
        actor=request.user, change=found, approve=payload.approve, note=payload.note
    )


@router.get("/insured-people", response=list[InsuredPersonOut])
@paginated(100)
def insured_people(request: HttpRequest, current: bool = True):  # type: ignore[no-untyped-def]
    qs = selectors.insured_people_visible(request.user)
    return qs.filter(insured_until__isnull=True) if current else qs


# --- premiums and the floating rate -----------------------------------------------------------


@router.get("/premiums", response=list[PremiumOut])
@paginated(100)
def premiums(  # type: ignore[no-untyped-def]
    request: HttpRequest,
    year: Year | None = None,
    region: Code = "",
    industry: Code = "",
    q: Annotated[str, Field(max_length=64)] = "",
):
    """Premiums paid per enterprise and year: the bureau's in its scope (filtered by year,
    region code, industry code or section letter, name or credit code); an enterprise its own."""
    chosen = selectors.PremiumFilter(year=year, region=region, industry=industry.upper(), q=q)
    return chosen.apply(selectors.premiums_visible(request.user))


@router.post("/premiums", response=PremiumOut)
def premium_record(request: HttpRequest, payload: PremiumIn) -> Any:
    """Records the premiums an enterprise paid in a year (the payout ratio's denominator)."""
    require_portal_bureau(request.user)
    enterprise = get_object_or_404(enterprises_visible(request.user), pk=payload.enterprise_id)
    return services.premium_set(
        actor=request.user, enterprise=enterprise, year=payload.year, amount=payload.amount
    )


@router.get("/rate-runs", response=list[RunOut])
@paginated(50)
def rate_runs(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.runs_visible(request.user)


@router.post("/rate-runs", response={201: RunOut})
def rate_run_create(request: HttpRequest, payload: RunIn) -> Status:
    """Computes the floating rate of every enterprise of a region for a period."""
    require_portal_bureau(request.user)
    region = get_object_or_404(Region, code=payload.region)
    return Status(
        201, services.floating_rates_run(actor=request.user, region=region, year=payload.year)
    )


@router.get("/rate-runs/{run_id}/rates", response=list[RateOut])
@paginated(100)
def rate_run_rates(request: HttpRequest, run_id: Id):  # type: ignore[no-untyped-def]
    run = selectors.run_get(request.user, run_id)
    return selectors.rates_of_run(request.user, run)


@router.post("/rate-runs/{run_id}/review", response=RunOut)
def rate_run_review(request: HttpRequest, run_id: Id) -> FloatingRateRun:
    run = selectors.run_get(request.user, run_id)
    return services.floating_rate_run_review(actor=request.user, run=run)


@router.get("/rates", response=list[RateOut])
@paginated(50)
def rates(request: HttpRequest, year: Year | None = None):  # type: ignore[no-untyped-def]
    """Floating rates the user may see (an enterprise: its own, from reviewed runs too)."""
    qs = selectors.rates_visible(request.user).order_by("-run__year", "enterprise__name")
    return qs.filter(run__year=year) if year else qs


# --- self-assessments with the official checklists ---------------------------------------------


@router.get("/self-assessments", response=list[SelfAssessmentOut])
@paginated(50)
def self_assessments(  # type: ignore[no-untyped-def]
    request: HttpRequest, status: StatusCode = "", checklist_id: Id | None = None
):
    """The enterprise's own self-assessments; for the bureau, those of its region's
    enterprises. They are kept apart from the official inspections."""
    qs = selectors.self_assessments_visible(request.user)
    if status in AssessmentStatus.values:
        qs = qs.filter(status=status)
    return qs.filter(checklist_id=checklist_id) if checklist_id else qs


@router.post("/self-assessments", response={201: SelfAssessmentDetailOut})
def self_assessment_create(request: HttpRequest, payload: SelfAssessmentIn) -> Status:
    """Starts a self-assessment on an official checklist (`GET /hazards/checklists`), to
    answer item by item and submit."""
    enterprise = _own_enterprise(request)
    made = services.self_assessment_start(
        actor=request.user, enterprise=enterprise, checklist=checklist_get(payload.checklist_id)
    )
    return Status(201, made)


@router.get("/self-assessments/{self_assessment_id}", response=SelfAssessmentDetailOut)
def self_assessment_detail(request: HttpRequest, self_assessment_id: Id) -> SelfAssessment:
    return selectors.self_assessment_get(request.user, self_assessment_id)


@router.post("/self-assessments/{self_assessment_id}/answers", response=SelfAssessmentDetailOut)
def self_assessment_answers(
    request: HttpRequest, self_assessment_id: Id, payload: SelfCheckAnswersIn
) -> SelfAssessment:
    """Answers items (in order `pass`, not in order `fail`, not applicable `na`, with a
    note); a later answer replaces an earlier one; one wrong answer keeps none."""
    found = selectors.self_assessment_get(request.user, self_assessment_id)
    return services.self_assessment_answer(
        actor=request.user,
        assessment=found,
        answers={str(a.item): a.answer for a in payload.answers if a.answer},
        notes={str(a.item): a.note for a in payload.answers if a.note is not None},
    )


@router.post("/self-assessments/{self_assessment_id}/submit", response=SelfAssessmentDetailOut)
def self_assessment_submit(request: HttpRequest, self_assessment_id: Id) -> SelfAssessment:
    """Submits a self-assessment once every item is answered; it then no longer changes."""
    found = selectors.self_assessment_get(request.user, self_assessment_id)
    return services.self_assessment_submit(actor=request.user, assessment=found)


@router.get("/inbox", response=list[InboxItemOut])
def inbox(request: HttpRequest) -> list[Any]:
    """Tasks, deadlines and decisions in one list."""
    require_portal_reader(request.user)
    return selectors.inbox_items(request.user)
