"""The hazards API: checklists, assessments, measurements, photos, hazards and their
transitions, escalations, notices and statistics. Same services and selectors as the pages."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from yufang.accounts.models import Role
from yufang.accounts.scoping.hazards import may_configure_notice_issuers
from yufang.enterprises.models import Enterprise
from yufang.enterprises.selectors import enterprises_to_pick
from yufang.hazards import selectors, services
from yufang.hazards.models import (
    OPEN_STATUSES,
    Assessment,
    Checklist,
    Hazard,
    PeriodKind,
)
from yufang.hazards.pdf import verify_path
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region
from yufang.support.bounds import (
    Code,
    Id,
    Name,
    Note,
    Search,
    Text,
    Year,
    bounded_id,
    filter_schema,
    paginated,
)

router = Router(tags=["hazards"])
# A risk-matrix score (likelihood, severity) and a quarter of the year.
Score = Annotated[int, Field(ge=1, le=5)]
Quarter = Annotated[int, Field(ge=1, le=4)]
STATISTICS_ROLES = (Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN)


# --- schemas ----------------------------------------------------------------------------------


class ChecklistOut(Schema):
    id: int
    key: str
    version: int
    title: str
    title_en: str
    topic: str
    effective_from: dt.date
    change_note: str


class ItemOut(Schema):
    id: int
    number: int
    text: str
    legal_basis: str
    is_major: bool
    is_confirmed: bool


class ChecklistDetailOut(ChecklistOut):
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Checklist) -> list[Any]:
        return list(obj.items.all())


class ItemIn(Schema):
    text: Note
    legal_basis: Note = ""
    is_major: bool = False
    is_confirmed: bool = True


class ChecklistRevisionIn(Schema):
    items: list[ItemIn] = Field(..., max_length=500)
    effective_from: dt.date
    change_note: Annotated[str, Field(max_length=500)]
    title: Name | None = None


class AssessmentOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    checklist_id: int
    checklist_key: str
    checklist_version: int
    method: str
    status: str
    is_planned: bool
    planned_on: dt.date | None
    visited_on: dt.date | None
    institution_id: int | None
    notes: str
    lec_l: Decimal | None
    lec_e: Decimal | None
    lec_c: Decimal | None
    ls_l: int | None
    ls_s: int | None

    @staticmethod
    def resolve_enterprise(obj: Assessment) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_checklist_key(obj: Assessment) -> str:
        return obj.checklist.key

    @staticmethod
    def resolve_checklist_version(obj: Assessment) -> int:
        return obj.checklist.version


class AssessmentIn(Schema):
    enterprise_id: Id
    checklist_key: Code
    method: Code
    planned_on: dt.date | None = None
    institution_id: Id | None = None
    notes: Text = ""


class ChecklistAnswerIn(Schema):
    item_id: Id
    result: Code
    note: Annotated[str, Field(max_length=500)] = ""


class RecordIn(Schema):
    answers: list[ChecklistAnswerIn] = Field([], max_length=1000)
    notes: Text | None = None
    lec_l: Code | None = None
    lec_e: Code | None = None
    lec_c: Code | None = None
    ls_l: Score | None = None
    ls_s: Score | None = None


class AssessmentScoreOut(Schema):
    lec_d: Decimal | None
    lec_colour: str | None
    ls_r: int | None
    ls_colour: str | None
    colour: str | None


class MeasurementIn(Schema):
    agent: Code
    sample_type: Code
    value: Code
    unit: Code
    sampled_on: dt.date | None = None
    location: Name = ""


class MeasurementOut(Schema):
    id: int
    agent: str
    sample_type: str
    value: Decimal
    unit: str
    sampled_on: dt.date
    location: str
    limits: str
    exceeded: bool | None
    limit_unconfirmed: bool


class AnswerOut(Schema):
    item_id: int
    number: int
    result: str | None
    note: str


class AssessmentReportOut(Schema):
    assessment: AssessmentOut
    score: AssessmentScoreOut
    answers: list[AnswerOut]
    measurements: list[MeasurementOut]
    hazard_ids: list[int]


class HazardOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    assessment_id: int | None
    checklist_item_id: int | None
    topic: str
    level: str
    description: str
    location: str
    status: str
    deadline: dt.date
    is_overdue: bool
    reported_at: dt.datetime
    submitted_at: dt.datetime | None
    verified_at: dt.datetime | None
    closed_at: dt.datetime | None
    rectification_note: str
    plan_measures: str
    plan_responsible: str
    plan_funds: Decimal | None
    plan_deadline: dt.date | None
    plan_emergency: str

    @staticmethod
    def resolve_enterprise(obj: Hazard) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_is_overdue(obj: Hazard) -> bool:
        return selectors.is_overdue(obj)


class EventOut(Schema):
    from_status: str
    to_status: str
    actor: str | None
    at: dt.datetime
    reason: str

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class HazardDetailOut(HazardOut):
    allowed_next: list[str]
    history: list[EventOut]

    @staticmethod
    def resolve_history(obj: Hazard) -> list[Any]:
        return list(obj.events.select_related("actor"))


class HazardIn(Schema):
    enterprise_id: Id
    topic: Code
    level: Code
    description: Note
    location: Name = ""


class TransitionIn(Schema):
    to: Code
    reason: Note = ""
    note: Note = ""
    deadline: dt.date | None = None


class HazardPlanIn(Schema):
    measures: Text
    responsible: Annotated[str, Field(max_length=100)]
    funds: Code
    deadline: dt.date | None
    emergency: Text


class PhotoOut(Schema):
    id: int
    kind: str
    url: str
    taken_at: dt.datetime | None
    latitude: Decimal | None
    longitude: Decimal | None

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.url


class EscalationOut(Schema):
    id: int
    hazard_id: int
    level: str
    round: int
    region: str
    cause: str
    escalated_at: dt.datetime
    answered_at: dt.datetime | None
    answer: str

    @staticmethod
    def resolve_region(obj: Any) -> str:
        return obj.region.code


class AnswerEscalationIn(Schema):
    answer: Note


class NoticeIn(Schema):
    enterprise_id: Id
    hazard_ids: list[Id] | None = Field(None, max_length=1000)


class NoticeOut(Schema):
    id: int
    number: str
    pdf_url: str
    verify_url: str


class StatisticsIn(Schema):
    kind: Code
    year: Year
    quarter: Quarter | None = None


class StatisticsFilter(Schema):
    kind: Code = PeriodKind.QUARTER
    period_start: dt.date


class StatisticOut(Schema):
    enterprise_id: int
    enterprise: str
    county: str
    period_start: dt.date
    period_end: dt.date
    found_ordinary: int
    found_major: int
    closed_ordinary: int
    closed_major: int
    open_at_end: int
    overdue_at_end: int

    @staticmethod
    def resolve_enterprise(obj: Any) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_county(obj: Any) -> str:
        return obj.county.code


HazardFilterIn = filter_schema(
    "HazardFilterIn",
    selectors.HazardFilter,
    {
        "q": Search,
        "status": Code,
        "level": Code,
        "topic": Code,
        "county": Code,
        "enterprise": Id | None,
        "assessment": Id | None,
    },
)


class EnterpriseRiskOut(Schema):
    enterprise_id: int
    risk_colour: str | None
    open_topics: list[str]


# --- checklists -----------------------------------------------------------------------------


@router.get("/checklists", response=list[ChecklistOut])
def checklists(request: HttpRequest, on: dt.date | None = None) -> list[Checklist]:
    """The version of each checklist in force on a date (today by default)."""
    return selectors.checklists_current(on)


@router.get("/checklists/{checklist_id}", response=ChecklistDetailOut)
def checklist(request: HttpRequest, checklist_id: Id) -> Checklist:
    return selectors.checklist_get(checklist_id)


@router.post("/checklists/{checklist_id}/versions", response={201: ChecklistDetailOut})
def checklist_revise(
    request: HttpRequest, checklist_id: Id, payload: ChecklistRevisionIn
) -> Status:
    """Saves an edited checklist as its next version (province and city officials)."""
    new = services.checklist_revise(
        actor=request.user,
        checklist=selectors.checklist_get(checklist_id),
        items=[services.ItemInput(**i.dict()) for i in payload.items],
        effective_from=payload.effective_from,
        change_note=payload.change_note,
        title=payload.title,
    )
    return Status(201, new)


# --- assessments ----------------------------------------------------------------------------


@router.get("/assessments", response=list[AssessmentOut])
@paginated(50)
def assessments(request: HttpRequest, status: Code = "", q: Search = ""):  # type: ignore[no-untyped-def]
    return selectors.assessment_list(request.user, status=status, q=q)


def _enterprise_for(request: HttpRequest, enterprise_id: int) -> Enterprise:
    """An enterprise the caller may work at (the picker's choices), or 404."""
    return get_object_or_404(enterprises_to_pick(request.user), pk=enterprise_id)


@router.post("/assessments", response={201: AssessmentOut})
def assessment_create(request: HttpRequest, payload: AssessmentIn) -> Status:
    """Plans a visit (`planned_on` in the future) or starts one now."""
    assessment = services.assessment_create(
        actor=request.user,
        enterprise=_enterprise_for(request, payload.enterprise_id),
        checklist_key=payload.checklist_key,
        method=payload.method,
        planned_on=payload.planned_on,
        institution_id=payload.institution_id,
        notes=payload.notes,
    )
    return Status(201, assessment)


def _measurement_out(row: selectors.MeasurementRow) -> dict[str, Any]:
    m = row.measurement
    return {
        "id": m.pk,
        "agent": m.agent,
        "sample_type": m.sample_type,
        "value": m.value,
        "unit": m.unit,
        "sampled_on": m.sampled_on,
        "location": m.location,
        "limits": row.exceedance.limit_text,
        "exceeded": row.exceedance.exceeded,
        "limit_unconfirmed": row.exceedance.unconfirmed,
    }


def _report(assessment: Assessment) -> dict[str, Any]:
    report = selectors.assessment_report(assessment)
    score = report["score"]
    return {
        "assessment": assessment,
        "score": {
            "lec_d": score.lec_d,
            "lec_colour": score.lec_colour,
            "ls_r": score.ls_r,
            "ls_colour": score.ls_colour,
            "colour": score.colour,
        },
        "answers": [
            {
                "item_id": item.pk,
                "number": item.number,
                "result": ans.result if ans else None,
                "note": ans.note if ans else "",
            }
            for item, ans in report["rows"]
        ],
        "measurements": [_measurement_out(r) for r in report["measurements"]],
        "hazard_ids": [h.pk for h in report["hazards"]],
    }


@router.get("/assessments/{assessment_id}", response=AssessmentReportOut)
def assessment(request: HttpRequest, assessment_id: Id) -> dict[str, Any]:
    """The assessment report: answers, scores and colour, measurements against limits."""
    return _report(selectors.assessment_get(request.user, assessment_id))


@router.post("/assessments/{assessment_id}/answers", response=AssessmentReportOut)
def assessment_record(request: HttpRequest, assessment_id: Id, payload: RecordIn) -> dict[str, Any]:
    a = selectors.assessment_get(request.user, assessment_id)
    fields = payload.dict(exclude_unset=True)
    services.assessment_record(
        actor=request.user,
        assessment=a,
        answers={x.item_id: (x.result, x.note) for x in payload.answers},
        notes=payload.notes,
        lec=(payload.lec_l, payload.lec_e, payload.lec_c)
        if {"lec_l", "lec_e", "lec_c"} & set(fields)
        else None,
        ls=(payload.ls_l, payload.ls_s) if {"ls_l", "ls_s"} & set(fields) else None,
    )
    return _report(selectors.assessment_get(request.user, assessment_id))


@router.post("/assessments/{assessment_id}/complete", response=AssessmentReportOut)
def assessment_complete(request: HttpRequest, assessment_id: Id) -> dict[str, Any]:
    """Completes the assessment; every failed item becomes a hazard."""
    a = selectors.assessment_get(request.user, assessment_id)
    services.assessment_complete(actor=request.user, assessment=a)
    return _report(selectors.assessment_get(request.user, assessment_id))


class CancelIn(Schema):
    reason: Annotated[str, Field(max_length=500)] = ""


@router.post("/assessments/{assessment_id}/cancel", response=AssessmentReportOut)
def assessment_cancel(request: HttpRequest, assessment_id: Id, payload: CancelIn) -> dict[str, Any]:
    """Cancels a draft (planned or in progress) started by mistake: it is kept, marked
    `cancelled`, and left out of the lists unless `status=cancelled` is asked for."""
    a = selectors.assessment_get(request.user, assessment_id)
    services.assessment_cancel(actor=request.user, assessment=a, reason=payload.reason)
    return _report(selectors.assessment_get(request.user, assessment_id))


@router.get("/assessments/{assessment_id}/measurements", response=list[MeasurementOut])
def measurements(request: HttpRequest, assessment_id: Id) -> list[dict[str, Any]]:
    a = selectors.assessment_get(request.user, assessment_id)
    return [_measurement_out(r) for r in selectors.measurement_rows(a)]


@router.post("/assessments/{assessment_id}/measurements", response={201: MeasurementOut})
def measurement_add(request: HttpRequest, assessment_id: Id, payload: MeasurementIn) -> Status:
    """Records a sample; the answer says whether it exceeds the limit in force that day."""
    a = selectors.assessment_get(request.user, assessment_id)
    m = services.measurement_add(actor=request.user, assessment=a, **payload.dict())
    row = next(r for r in selectors.measurement_rows(a) if r.measurement.pk == m.pk)
    return Status(201, _measurement_out(row))


@router.post("/assessments/{assessment_id}/photos", response={201: PhotoOut})
def assessment_photo(
    request: HttpRequest,
    assessment_id: Id,
    photo: File[UploadedFile],
    latitude: str = Form("", max_length=32),
    longitude: str = Form("", max_length=32),
) -> Status:
    a = selectors.assessment_get(request.user, assessment_id)
    photo_obj = services.photo_add(
        actor=request.user,
        upload=photo,
        kind="finding",
        assessment=a,
        latitude=latitude,
        longitude=longitude,
    )
    return Status(201, photo_obj)


# --- hazards ------------------------------------------------------------------------------------


@router.get("/hazards", response=list[HazardOut])
@paginated(50)
def hazards(request: HttpRequest, filters: Query[HazardFilterIn]):  # type: ignore[no-untyped-def,valid-type]
    """Hazards in the caller's scope, filtered like the list page."""
    return selectors.hazard_list(request.user, selectors.HazardFilter(**filters.dict()))  # type: ignore[attr-defined]


@router.post("/hazards", response={201: HazardOut})
def hazard_report(request: HttpRequest, payload: HazardIn) -> Status:
    """An ad-hoc finding (grid worker, official, expert)."""
    hazard = services.hazard_report(
        actor=request.user,
        enterprise=_enterprise_for(request, payload.enterprise_id),
        topic=payload.topic,
        level=payload.level,
        description=payload.description,
        location=payload.location,
    )
    return Status(201, hazard)


def _detail(request: HttpRequest, hazard_id: Id) -> Hazard:
    hazard = selectors.hazard_get(request.user, hazard_id)
    hazard.allowed_next = services.allowed_next(request.user, hazard)  # type: ignore[attr-defined]
    return hazard


@router.get("/hazards/{hazard_id}", response=HazardDetailOut)
def hazard(request: HttpRequest, hazard_id: Id) -> Hazard:
    """A hazard with its history and the statuses the caller may move it to."""
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/transitions", response=HazardDetailOut)
def hazard_transition(request: HttpRequest, hazard_id: Id, payload: TransitionIn) -> Hazard:
    """Moves a hazard: assigned, rectifying (start, or reject from submitted), submitted,
    verified, closed. 422 when the move is not allowed from the current state."""
    services.hazard_transition(
        actor=request.user,
        hazard=selectors.hazard_get(request.user, hazard_id),
        to=payload.to,
        reason=payload.reason,
        note=payload.note,
        deadline=payload.deadline,
    )
    return _detail(request, hazard_id)


@router.post("/hazards/{hazard_id}/plan", response=HazardDetailOut)
def hazard_plan(request: HttpRequest, hazard_id: Id, payload: HazardPlanIn) -> Hazard:
    """The five-in-place plan of a major hazard."""
    h = selectors.hazard_get(request.user, hazard_id)
    services.hazard_plan_set(actor=request.user, hazard=h, **payload.dict())
    return _detail(request, hazard_id)


@router.get("/hazards/{hazard_id}/photos", response=list[PhotoOut])
def hazard_photos(request: HttpRequest, hazard_id: Id) -> list[Any]:
    return list(selectors.hazard_get(request.user, hazard_id).photos.all())


@router.post("/hazards/{hazard_id}/photos", response={201: PhotoOut})
def hazard_photo(
    request: HttpRequest,
    hazard_id: Id,
    photo: File[UploadedFile],
    kind: str = Form("evidence", max_length=32),
    latitude: str = Form("", max_length=32),
    longitude: str = Form("", max_length=32),
) -> Status:
    """A finding photo, or (the enterprise, while rectifying) an evidence photo."""
    h = selectors.hazard_get(request.user, hazard_id)
    photo_obj = services.photo_add(
        actor=request.user,
        upload=photo,
        kind=kind,
        hazard=h,
        latitude=latitude,
        longitude=longitude,
    )
    return Status(201, photo_obj)


@router.get("/open-topics", response=list[EnterpriseRiskOut])
def open_topics(request: HttpRequest, enterprise: Search = "") -> list[dict[str, Any]]:
    """The targeted-training hook: open hazard topics and risk colour per enterprise the
    caller may see (`enterprise`: comma-separated ids, optional)."""
    visible = selectors.hazards_visible(request.user).filter(status__in=OPEN_STATUSES)
    wanted = [i for i in (bounded_id(p) for p in enterprise.split(",")) if i is not None]
    if wanted:
        visible = visible.filter(enterprise_id__in=wanted)
    ids = sorted(set(visible.values_list("enterprise_id", flat=True)))[:500]
    # Topics of the hazards the caller may see, not of every hazard of those enterprises.
    topics = selectors.open_hazard_topics(
        enterprise_ids=ids, hazards=selectors.hazards_visible(request.user)
    )
    colours = selectors.enterprise_risk_colours(ids)
    return [
        {
            "enterprise_id": i,
            "risk_colour": colours.get(i),
            "open_topics": sorted(topics.get(i, set())),
        }
        for i in ids
    ]


# --- escalations, notices, board, statistics ------------------------------------------------------


@router.get("/escalations", response=list[EscalationOut])
@paginated(50)
def escalations(request: HttpRequest, open_only: bool = True):  # type: ignore[no-untyped-def]
    return selectors.escalations_for(request.user, open_only=open_only)


@router.post("/escalations/{escalation_id}/answer", response=EscalationOut)
def escalation_answer(request: HttpRequest, escalation_id: Id, payload: AnswerEscalationIn) -> Any:
    escalation = get_object_or_404(
        selectors.escalations_for(request.user, open_only=False), pk=escalation_id
    )
    return services.escalation_answer(
        actor=request.user, escalation=escalation, answer=payload.answer
    )


@router.post("/notices", response={201: NoticeOut})
def notice_issue(request: HttpRequest, payload: NoticeIn) -> Status:
    """Issues a rectification notice for open hazards of an enterprise (all, or the ids)."""
    qs = selectors.hazards_visible(request.user).filter(
        enterprise_id=payload.enterprise_id, status__in=OPEN_STATUSES
    )
    enterprise = _enterprise_for(request, payload.enterprise_id)
    if payload.hazard_ids is not None:
        qs = selectors.hazards_visible(request.user).filter(pk__in=payload.hazard_ids)
        if qs.count() != len(set(payload.hazard_ids)):
            raise InvalidInput(_("One of these hazards is not one you may see."), "hazard_ids")
    notice = services.notice_issue(actor=request.user, enterprise=enterprise, hazards=qs)
    body = {
        "id": notice.pk,
        "number": notice.number,
        "pdf_url": reverse("hazards:notice_pdf", args=[notice.pk]),
        "verify_url": verify_path(notice),
    }
    return Status(201, body)


class IssuerOut(Schema):
    region: str
    region_name: str
    level: str
    name: str
    configured: bool
    seal_url: str | None


def _issuer_out(row: selectors.IssuerRow) -> dict[str, Any]:
    issuer = row.issuer
    return {
        "region": row.region.code,
        "region_name": row.region.name,
        "level": "city" if row.region.level == Region.Level.CITY else "county",
        "name": row.name,
        "configured": issuer is not None,
        "seal_url": reverse("hazards:notice_issuer_seal", args=[issuer.pk])
        if issuer is not None and issuer.seal_path
        else None,
    }


def _issuer_rows(request: HttpRequest) -> list[selectors.IssuerRow]:
    from django.core.exceptions import PermissionDenied

    if not may_configure_notice_issuers(request.user):
        raise PermissionDenied(_("Province and city officials configure the issuing authority."))
    return selectors.notice_issuer_rows(request.user)


@router.get("/issuers", response=list[IssuerOut])
def notice_issuers(request: HttpRequest) -> list[dict[str, Any]]:
    """The cities and counties whose issuing authority of rectification notices the caller
    may configure (province and city officials), with the authority notices go out under
    now: the region's own, else its city's, else the city's bureau by name."""
    return [_issuer_out(r) for r in _issuer_rows(request)]


@router.post("/issuers/{region}", response=IssuerOut)
def notice_issuer_set(
    request: HttpRequest,
    region: Code,
    name: str = Form(..., max_length=100),
    seal: UploadedFile | None = File(None),  # noqa: B008 - Ninja reads the default
    remove_seal: bool = Form(False),
) -> dict[str, Any]:
    """Sets a city's or county's issuing authority (multipart: `name`, optionally a `seal`
    PNG or JPEG up to 2 MB, or `remove_seal`). Notices already issued keep theirs. 404 for a
    region the caller may not configure."""
    rows = {r.region.code: r for r in _issuer_rows(request)}
    row = rows.get(region)
    if row is None:
        raise Http404
    services.notice_issuer_set(
        actor=request.user, region=row.region, name=name, seal=seal, remove_seal=remove_seal
    )
    fresh = {r.region.code: r for r in selectors.notice_issuer_rows(request.user)}
    return _issuer_out(fresh[region])


@router.get("/board")
def board(request: HttpRequest, county: Code = "") -> dict[str, Any]:
    """The figures of the hazard board (officials)."""
    figures = selectors.hazard_board(request.user, county=county)
    figures["by_county"] = list(figures["by_county"])
    return figures


@router.get("/statistics", response=list[StatisticOut])
@paginated(50)
def statistics(request: HttpRequest, filters: Query[StatisticsFilter]):  # type: ignore[no-untyped-def]
    return selectors.statistics_rows(
        request.user, kind=filters.kind, period_start=filters.period_start
    ).order_by("county__code", "enterprise__name")


@router.post("/statistics", response={201: dict})
def statistics_generate(request: HttpRequest, payload: StatisticsIn) -> Status:
    """(Re)generates a period's statistics (officials)."""
    from django.core.exceptions import PermissionDenied

    if getattr(request.user, "role", None) not in STATISTICS_ROLES:
        raise PermissionDenied(_("Officials generate statistics."))
    if payload.kind not in PeriodKind.values:
        raise InvalidInput(_("Choose quarterly or annual."), "kind")
    rows = services.statistics_generate(
        kind=payload.kind, year=payload.year, quarter=payload.quarter
    )
    start, end = services.period_bounds(payload.kind, payload.year, payload.quarter)
    body = {
        "rows": rows,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "due": services.statistics_due(payload.kind, end).isoformat(),
    }
    return Status(201, body)
