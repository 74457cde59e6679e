"""The recognition API: accident reports (an enterprise's HR system submits them), recognition
applications with their materials, and the bureau's steps. Same services and selectors as the
pages; a record outside the caller's scope is 404, a role with no business here 403."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from yufang.accounts.scoping.recognition import recognition_role, require_recognition_reader
from yufang.enterprises.selectors import enterprises_to_pick
from yufang.lib.errors import InvalidInput
from yufang.recognition import clock, selectors, services
from yufang.recognition.letter import DECISION, letter_of, letter_pdf, letters
from yufang.recognition.models import AccidentReport, RecognitionApplication
from yufang.support.bounds import (
    FIRST_YEAR,
    LAST_YEAR,
    Code,
    Count,
    Id,
    Name,
    Note,
    Text,
    paginated,
)

router = Router(tags=["recognition"])
Loss = Annotated[Decimal, Field(ge=0, le=Decimal("999999999999.99"), decimal_places=2)]


# --- schemas ----------------------------------------------------------------------------------


class ReportIn(Schema):
    enterprise_id: Id | None = None
    occurred_at: dt.datetime
    place: Name
    description: Text
    deaths: Count = 0
    serious_injuries: Count = 0
    minor_injuries: Count = 0
    missing: Count = 0
    direct_loss: Loss = Decimal(0)
    measures: Text = ""
    late_reason: Note = ""


class ReportOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    occurred_at: dt.datetime
    reported_at: dt.datetime
    place: str
    description: str
    deaths: int
    serious_injuries: int
    minor_injuries: int
    missing: int
    direct_loss: Decimal
    measures: str
    grade: str
    report_due: dt.datetime
    is_late: bool
    late_reason: str
    apply_by: dt.date
    extension_reason: str
    extended_until: dt.date | None

    @staticmethod
    def resolve_enterprise(obj: AccidentReport) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_grade(obj: AccidentReport) -> str:
        return str(clock.report_grade(obj).value)

    @staticmethod
    def resolve_report_due(obj: AccidentReport) -> dt.datetime:
        return clock.report_due(obj.occurred_at)

    @staticmethod
    def resolve_is_late(obj: AccidentReport) -> bool:
        return clock.report_is_late(obj)

    @staticmethod
    def resolve_apply_by(obj: AccidentReport) -> dt.date:
        return clock.report_application_limit(obj)


class ExtensionRequestIn(Schema):
    reason: Note


class ExtensionApprovalIn(Schema):
    extended_until: dt.date


class ApplicationIn(Schema):
    enterprise_id: Id | None = None
    accident_report_id: Id | None = None
    applicant_kind: Code = "employer"
    applicant_name: Name
    applicant_phone: Code = ""
    worker_name: Name
    worker_id_number: Code
    accident_date: dt.date
    accident_place: Name
    description: Text
    injury: Note
    kind: Code = "work_injury"
    occupational_disease: Name = ""
    accident_category: Code
    body_part: Code
    is_death: bool = False
    late_reason: Note = ""
    pause_claimed: bool = False


class RecognitionMaterialOut(Schema):
    id: int
    kind: str
    original_name: str
    size: int
    uploaded_at: dt.datetime


class LimitPauseOut(Schema):
    id: int
    started_on: dt.date
    ended_on: dt.date
    days: int
    reason: str
    evidence: str


class ApplicationOut(Schema):
    id: int
    enterprise_id: int
    enterprise: str
    accident_report_id: int | None
    applicant_kind: str
    applicant_name: str
    worker_name: str
    worker_id_masked: str
    accident_date: dt.date
    accident_place: str
    description: str
    injury: str
    kind: str
    occupational_disease: str
    accident_category: str
    body_part: str
    is_death: bool
    received_on: dt.date
    status: str
    application_deadline: dt.date
    is_late: bool
    late_reason: str
    pause_claimed: bool
    pause_claim_open: bool
    paused_days: int
    limit_pauses: list[LimitPauseOut]
    missing_materials: list[str]
    requested_materials: list[str]
    request_note: str
    materials_requested_on: dt.date | None
    check_due: dt.date | None
    accepted_on: dt.date | None
    is_clear_case: bool
    decision_due: dt.date | None
    suspended_days: int
    is_overdue: bool
    decided_on: dt.date | None
    decided_late: bool
    decision_reason: str
    not_accepted_on: dt.date | None
    accepting_bureau: str
    case_number: str
    bureau_name: str
    injury_case_id: int | None
    letter_url: str | None
    letters: dict[str, str]
    materials: list[RecognitionMaterialOut]

    @staticmethod
    def resolve_enterprise(obj: RecognitionApplication) -> str:
        return obj.enterprise.name

    @staticmethod
    def resolve_application_deadline(obj: RecognitionApplication) -> dt.date:
        return clock.application_deadline(obj)

    @staticmethod
    def resolve_is_late(obj: RecognitionApplication) -> bool:
        return clock.application_is_late(obj)

    @staticmethod
    def resolve_missing_materials(obj: RecognitionApplication) -> list[str]:
        return services.missing_materials(obj)

    @staticmethod
    def resolve_check_due(obj: RecognitionApplication) -> dt.date | None:
        return clock.check_due(obj)

    @staticmethod
    def resolve_decision_due(obj: RecognitionApplication) -> dt.date | None:
        return clock.decision_due(obj)

    @staticmethod
    def resolve_suspended_days(obj: RecognitionApplication) -> int:
        return clock.clock_of(obj).suspended_days

    @staticmethod
    def resolve_is_overdue(obj: RecognitionApplication) -> bool:
        return clock.clock_of(obj).overdue

    @staticmethod
    def resolve_decided_late(obj: RecognitionApplication) -> bool:
        return clock.decision_was_late(obj)

    @staticmethod
    def resolve_letter_url(obj: RecognitionApplication) -> str | None:
        if obj.decided_on is None:
            return None
        return reverse("api:recognition_letter", args=[obj.pk]) + f"?document={DECISION}"

    @staticmethod
    def resolve_letters(obj: RecognitionApplication) -> dict[str, str]:
        base = reverse("api:recognition_letter", args=[obj.pk])
        return {name: f"{base}?document={name}" for name in letters(obj)}

    @staticmethod
    def resolve_paused_days(obj: RecognitionApplication) -> int:
        return clock.paused_days(obj)

    @staticmethod
    def resolve_pause_claim_open(obj: RecognitionApplication) -> bool:
        return clock.pause_claim_open(obj)

    @staticmethod
    def resolve_limit_pauses(obj: RecognitionApplication) -> list[Any]:
        return list(obj.limit_pauses.all())

    @staticmethod
    def resolve_materials(obj: RecognitionApplication) -> list[Any]:
        return list(obj.materials.all())


class RequestMaterialsIn(Schema):
    materials: list[Code] = Field([], max_length=20)
    note: Note = ""


class SupplementIn(Schema):
    note: Note = ""


class AcceptIn(Schema):
    is_clear_case: bool = False


class ReasonIn(Schema):
    reason: Note


class LimitPauseIn(Schema):
    started_on: dt.date
    ended_on: dt.date
    reason: Note
    evidence: Note


class RecognitionDecisionIn(Schema):
    recognised: bool
    reason: Note
    case_number: Annotated[str, Field(max_length=40)] = ""


# --- helpers ----------------------------------------------------------------------------------


def _enterprise(request: HttpRequest, enterprise_id: int | None) -> Any:
    """The safety manager's own enterprise (another's id is 404), or one an official picks."""
    user: Any = request.user
    require_recognition_reader(user)
    if recognition_role(user) not in ("enterprise", "bureau"):
        raise PermissionDenied(_("Your role may read but not change records."))
    if recognition_role(user) == "enterprise":
        if enterprise_id is not None and enterprise_id != user.enterprise_id:
            raise_404()
        return user.enterprise
    if enterprise_id is None:
        raise InvalidInput(_("Choose an enterprise."), "enterprise_id")
    return get_object_or_404(enterprises_to_pick(user), pk=enterprise_id)


def raise_404() -> None:
    raise Http404(_("No such enterprise."))


def _aware(value: dt.datetime, field: str) -> dt.datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise InvalidInput(_("Not a plausible date."), field)
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _application(request: HttpRequest, application_id: int) -> RecognitionApplication:
    return selectors.application_get(request.user, application_id)


# --- accident reports -------------------------------------------------------------------------


@router.get("/reports", response=list[ReportOut])
@paginated(50)
def reports(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.reports_visible(request.user)


@router.post("/reports", response={201: ReportOut})
def report_create(request: HttpRequest, payload: ReportIn) -> Status:
    """Reports an accident; after the one-hour duty it needs `late_reason` and is flagged."""
    report = services.report_create(
        actor=request.user,
        enterprise=_enterprise(request, payload.enterprise_id),
        occurred_at=_aware(payload.occurred_at, "occurred_at"),
        place=payload.place,
        description=payload.description,
        deaths=payload.deaths,
        serious_injuries=payload.serious_injuries,
        minor_injuries=payload.minor_injuries,
        missing=payload.missing,
        direct_loss=payload.direct_loss,
        measures=payload.measures,
        late_reason=payload.late_reason,
    )
    return Status(201, report)


@router.get("/reports/{report_id}", response=ReportOut)
def report(request: HttpRequest, report_id: Id) -> AccidentReport:
    return selectors.report_get(request.user, report_id)


@router.post("/reports/{report_id}/extension-request", response=ReportOut)
def report_extension_request(
    request: HttpRequest, report_id: Id, payload: ExtensionRequestIn
) -> AccidentReport:
    return services.report_extension_request(
        actor=request.user,
        report=selectors.report_get(request.user, report_id),
        reason=payload.reason,
    )


@router.post("/reports/{report_id}/extension-approval", response=ReportOut)
def report_extension_approve(
    request: HttpRequest, report_id: Id, payload: ExtensionApprovalIn
) -> AccidentReport:
    return services.report_extension_approve(
        actor=request.user,
        report=selectors.report_get(request.user, report_id),
        until=payload.extended_until,
    )


# --- applications -----------------------------------------------------------------------------


@router.get("/applications", response=list[ApplicationOut])
@paginated(50)
def applications(request: HttpRequest, status: Code = ""):  # type: ignore[no-untyped-def]
    qs = selectors.applications_visible(request.user).prefetch_related("materials")
    return qs.filter(status=status) if status else qs


@router.post("/applications", response={201: ApplicationOut})
def application_submit(request: HttpRequest, payload: ApplicationIn) -> Status:
    """Submits an application; materials follow with `/materials`. After the time limit it
    needs `late_reason` and is flagged."""
    report = (
        selectors.report_get(request.user, payload.accident_report_id)
        if payload.accident_report_id
        else None
    )
    enterprise = report.enterprise if report else _enterprise(request, payload.enterprise_id)
    if report is not None and payload.enterprise_id not in (None, report.enterprise_id):
        raise InvalidInput(_("The accident report is of another enterprise."), "accident_report_id")
    application = services.application_submit(
        actor=request.user,
        enterprise=enterprise,
        accident_report=report,
        applicant_kind=payload.applicant_kind,
        applicant_name=payload.applicant_name,
        applicant_phone=payload.applicant_phone,
        worker_name=payload.worker_name,
        worker_id_number=payload.worker_id_number,
        accident_date=payload.accident_date,
        accident_place=payload.accident_place,
        description=payload.description,
        injury=payload.injury,
        kind=payload.kind,
        occupational_disease=payload.occupational_disease,
        accident_category=payload.accident_category,
        body_part=payload.body_part,
        is_death=payload.is_death,
        late_reason=payload.late_reason,
        pause_claimed=payload.pause_claimed,
    )
    return Status(201, application)


@router.get("/applications/{application_id}", response=ApplicationOut)
def application(request: HttpRequest, application_id: Id) -> RecognitionApplication:
    return _application(request, application_id)


@router.post("/applications/{application_id}/materials", response={201: ApplicationOut})
def material_add(
    request: HttpRequest,
    application_id: Id,
    file: File[UploadedFile],
    kind: str = Form(..., max_length=32),
) -> Status:
    """Uploads a PDF or an image of one material (checked by its content)."""
    a = _application(request, application_id)
    services.material_add(actor=request.user, application=a, kind=kind, upload=file)
    return Status(201, _application(request, application_id))


@router.post("/applications/{application_id}/supplement", response=ApplicationOut)
def application_supplement(
    request: HttpRequest, application_id: Id, payload: SupplementIn
) -> RecognitionApplication:
    """The applicant's answer to the bureau's request: the materials are complete."""
    return services.application_supplement(
        actor=request.user, application=_application(request, application_id), note=payload.note
    )


@router.post("/applications/{application_id}/request-materials", response=ApplicationOut)
def application_request_materials(
    request: HttpRequest, application_id: Id, payload: RequestMaterialsIn
) -> RecognitionApplication:
    """The bureau asks once for everything missing."""
    return services.application_request_materials(
        actor=request.user,
        application=_application(request, application_id),
        materials=list(payload.materials),
        note=payload.note,
    )


@router.post("/applications/{application_id}/accept", response=ApplicationOut)
def application_accept(
    request: HttpRequest, application_id: Id, payload: AcceptIn
) -> RecognitionApplication:
    return services.application_accept(
        actor=request.user,
        application=_application(request, application_id),
        is_clear_case=payload.is_clear_case,
    )


@router.post("/applications/{application_id}/refuse", response=ApplicationOut)
def application_refuse(
    request: HttpRequest, application_id: Id, payload: ReasonIn
) -> RecognitionApplication:
    return services.application_refuse(
        actor=request.user, application=_application(request, application_id), reason=payload.reason
    )


@router.post("/applications/{application_id}/suspend", response=ApplicationOut)
def application_suspend(
    request: HttpRequest, application_id: Id, payload: ReasonIn
) -> RecognitionApplication:
    return services.application_suspend(
        actor=request.user, application=_application(request, application_id), reason=payload.reason
    )


@router.post("/applications/{application_id}/resume", response=ApplicationOut)
def application_resume(request: HttpRequest, application_id: Id) -> RecognitionApplication:
    return services.application_resume(
        actor=request.user, application=_application(request, application_id)
    )


@router.post("/applications/{application_id}/decide", response=ApplicationOut)
def application_decide(
    request: HttpRequest, application_id: Id, payload: RecognitionDecisionIn
) -> RecognitionApplication:
    """Decides; a recognised injury becomes an injury case under `case_number`."""
    return services.application_decide(
        actor=request.user,
        application=_application(request, application_id),
        recognised=payload.recognised,
        reason=payload.reason,
        case_number=payload.case_number,
    )


@router.post("/applications/{application_id}/limit-pauses", response={201: ApplicationOut})
def application_pause_record(
    request: HttpRequest, application_id: Id, payload: LimitPauseIn
) -> Status:
    """The bureau records time the worker, a relative or the union lost through no fault of
    theirs: it does not count in their one-year limit to apply (R10 第七条)."""
    application = _application(request, application_id)
    services.application_pause_record(
        actor=request.user,
        application=application,
        started_on=payload.started_on,
        ended_on=payload.ended_on,
        reason=payload.reason,
        evidence=payload.evidence,
    )
    return Status(201, _application(request, application_id))


LetterKind = Literal["", "acceptance", "not_accepted", "decision"]


@router.get(
    "/applications/{application_id}/letter",
    url_name="recognition_letter",
    response={200: None},
    openapi_extra={
        "responses": {200: {"description": "The letter", "content": {"application/pdf": {}}}}
    },
)
def letter(request: HttpRequest, application_id: Id, document: LetterKind = "") -> HttpResponse:
    """A letter of the bureau as a PDF: `acceptance` (受理决定书), `not_accepted` (不予受理决定书)
    or `decision` (认定工伤决定书 / 不予认定工伤决定书); the latest without `document`; 404 when
    the application has no such letter."""
    a = _application(request, application_id)
    chosen = letter_of(a, document)
    if chosen is None:
        raise Http404(_("This application has no such letter yet."))
    response = HttpResponse(letter_pdf(a, chosen), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{chosen}-{a.pk}.pdf"'
    return response
