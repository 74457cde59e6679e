"""The training API at /api/v1/training/: the same services and selectors as the pages.

No `from __future__ import annotations` here: Ninja resolves the `Query[...]` schemas at import.
"""

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any, get_type_hints

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import create_model

from yufang.enterprises.selectors import enterprises_to_pick, enterprises_visible
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region
from yufang.support.bounds import Id, Year, paginated
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import (
    Campaign,
    Certificate,
    Enrollment,
    Exam,
    ExamAttempt,
    Hall,
    Material,
    Question,
    Trainee,
    TrainingBase,
    TrainingSession,
)

router = Router(tags=["training"])


# ---------------------------------------------------------------- schemas


class BaseOut(Schema):
    id: int
    name: str
    city: str
    address: str
    institution: str

    @staticmethod
    def resolve_city(obj: TrainingBase) -> str:
        return obj.city.code

    @staticmethod
    def resolve_institution(obj: TrainingBase) -> str:
        return obj.institution.name


class BaseIn(Schema):
    name: str
    city: str
    address: str = ""
    institution_id: int | None = None


class HallOut(Schema):
    id: int
    base_id: int
    name: str
    topic: str
    capacity: int


class HallIn(Schema):
    name: str
    topic: str
    capacity: int


class SessionOut(Schema):
    id: int
    kind: str
    title: str
    topic: str
    hall_id: int | None
    enterprise_id: int | None
    location: str
    institution_id: int | None
    city: str
    campaign_id: int | None
    trainer: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    class_hours: Decimal
    status: str

    @staticmethod
    def resolve_city(obj: TrainingSession) -> str:
        return obj.city.code


class SessionIn(Schema):
    kind: str
    title: str
    topic: str
    trainer: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    class_hours: Decimal
    capacity: int | None = None
    hall_id: int | None = None
    enterprise_credit_code: str = ""
    location: str = ""
    campaign_id: int | None = None


def filter_schema(name: str, filters: type, bounds: dict[str, Any]) -> type[Schema]:
    """The API's query schema for a selector's filter dataclass: the same fields and defaults
    (one list of filters, not two), each number held to its bound (`bounds`)."""
    hints = get_type_hints(filters)
    fields: dict[str, Any] = {
        f.name: (bounds.get(f.name, hints[f.name]), f.default) for f in dataclasses.fields(filters)
    }
    return create_model(name, __base__=Schema, **fields)


SessionFilterIn = filter_schema(
    "SessionFilterIn",
    sel.SessionFilter,
    {"base": Id | None, "campaign": Id | None, "year": Year | None},
)


class ReasonIn(Schema):
    reason: str


class EnrollmentOut(Schema):
    id: int
    session_id: int
    trainee_id: int
    trainee_name: str
    trainee_id_number: str | None
    enterprise_id: int | None
    status: str
    created_at: dt.datetime
    checked_in_at: dt.datetime | None

    @staticmethod
    def resolve_trainee_name(obj: Enrollment, context: dict[str, Any]) -> str:
        return _shown(context, obj.trainee).name

    @staticmethod
    def resolve_trainee_id_number(obj: Enrollment, context: dict[str, Any]) -> str | None:
        return _shown(context, obj.trainee).id_number


class RosterPerson(Schema):
    name: str
    id_number: str
    phone: str = ""
    key_role: str = ""


class GroupBookingIn(Schema):
    trainee_ids: list[int] = []
    people: list[RosterPerson] = []
    # Book the valid people and list the others in `skipped` (default: all or nothing).
    partial: bool = False


class RowErrorOut(Schema):
    row: int
    field: str
    message: str


class BookingOut(Schema):
    booked: list[int]
    waitlisted: list[int]
    skipped: list[RowErrorOut] = []


class CheckInManyIn(Schema):
    enrollment_ids: list[int]


class RefusedOut(Schema):
    id: int
    message: str


class CheckInManyOut(Schema):
    checked_in: list[int]
    refused: list[RefusedOut]


class SignUpIn(Schema):
    id_number: str = ""
    phone: str = ""


class TokenIn(Schema):
    token: str


class TokenOut(Schema):
    token: str
    url: str


class FeedbackIn(Schema):
    rating: int
    comment: str = ""


def _shown(context: dict[str, Any] | None, trainee: Trainee) -> sel.PersonShown:
    """A trainee as the caller may see them (docs/security.md, "Personal data")."""
    request = (context or {}).get("request")
    return sel.trainee_shown(getattr(request, "user", None), trainee)


class TraineeOut(Schema):
    id: int
    name: str
    # Masked (370211********1234); null for roles that read statistics.
    id_number: str | None
    # In full for the employer's safety manager and the institution's staff, masked
    # (138****1234) for other roles, null for roles that read statistics.
    phone: str | None
    enterprise_id: int | None
    key_role: str

    @staticmethod
    def resolve_name(obj: Trainee, context: dict[str, Any]) -> str:
        return _shown(context, obj).name

    @staticmethod
    def resolve_id_number(obj: Trainee, context: dict[str, Any]) -> str | None:
        return _shown(context, obj).id_number

    @staticmethod
    def resolve_phone(obj: Trainee, context: dict[str, Any]) -> str | None:
        return _shown(context, obj).phone


class CourseOut(Schema):
    id: int
    title: str
    topic: str
    description: str
    class_hours: Decimal
    institution_id: int | None
    is_published: bool


class CourseIn(Schema):
    title: str
    topic: str
    class_hours: Decimal
    description: str = ""


class LessonOut(Schema):
    id: int
    position: int
    title: str
    kind: str
    body: str
    file_url: str | None
    minutes: int
    completed: bool = False

    @staticmethod
    def resolve_file_url(obj: Any) -> str | None:
        return obj.url or None


class CourseDetailOut(CourseOut):
    lessons: list[LessonOut]


class QuestionOption(Schema):
    key: str
    text: str


class QuestionIn(Schema):
    code: str = ""
    topic: str
    type: str
    stem: str
    options: list[QuestionOption]
    answer: list[str]
    explanation: str = ""
    basis: str = ""


class QuestionOut(Schema):
    id: int
    code: str
    topic: str
    type: str
    stem: str
    options: list[QuestionOption]
    answer: list[str]
    explanation: str
    basis: str
    is_active: bool
    # The owner: both null for the province's shared bank (docs/training.md, "Who owns what").
    region_id: int | None
    institution_id: int | None


class ItemStatOut(Schema):
    id: int
    code: str
    stem: str
    asked: int
    right: int
    difficulty: Decimal | None

    @staticmethod
    def resolve_difficulty(obj: Any) -> Decimal | None:
        return sel._rate(obj.right, obj.asked)


class ExamIn(Schema):
    title: str
    topics: list[str] = []
    single_count: int = 0
    multiple_count: int = 0
    true_false_count: int = 0
    pass_mark: int | None = None
    time_limit_minutes: int | None = None
    max_attempts: int | None = None
    course_id: int | None = None
    requires_lessons: bool = False
    required_session_id: int | None = None


class ExamOut(Schema):
    id: int
    title: str
    course_id: int | None
    topics: list[str]
    single_count: int
    multiple_count: int
    true_false_count: int
    pass_mark: int
    time_limit_minutes: int
    max_attempts: int
    is_open: bool


class ExamResultsOut(Schema):
    attempts: int
    trainees: int
    passed: int
    late: int
    average: Decimal | None
    pass_rate: Decimal | None
    items: list[ItemStatOut]


class AttemptQuestionOut(Schema):
    question_id: int
    position: int
    type: str
    stem: str
    options: list[QuestionOption]
    chosen: list[str]
    correct: bool | None


class AttemptOut(Schema):
    id: int
    exam_id: int
    trainee_id: int
    number: int
    started_at: dt.datetime
    deadline: dt.datetime
    submitted_at: dt.datetime | None
    status: str
    score: Decimal | None
    passed: bool | None
    certificate_id: int | None = None
    items: list[AttemptQuestionOut] = []


class AnswerIn(Schema):
    question_id: int
    chosen: list[str]


class SubmitIn(Schema):
    answers: list[AnswerIn]


class CertificateOut(Schema):
    id: int
    code: str
    trainee_id: int
    trainee_name: str
    title: str
    issued_on: dt.date
    expires_on: dt.date
    status: str
    revoked_reason: str
    verify_url: str
    pdf_url: str

    @staticmethod
    def resolve_trainee_name(obj: Certificate, context: dict[str, Any]) -> str:
        return _shown(context, obj.trainee).name

    @staticmethod
    def resolve_status(obj: Certificate) -> str:
        return sel.certificate_status(obj)

    @staticmethod
    def resolve_verify_url(obj: Certificate) -> str:
        return reverse("training:verify", args=[obj.code])

    @staticmethod
    def resolve_pdf_url(obj: Certificate) -> str:
        return reverse("training:certificate_pdf", args=[obj.pk])


class VerificationOut(Schema):
    code: str
    name: str
    id_number: str
    title: str
    issued_on: dt.date
    expires_on: dt.date
    status: str


class CampaignIn(Schema):
    name: str
    region: str
    starts_on: dt.date
    ends_on: dt.date
    target_enterprises: int
    target_person_times: int
    description: str = ""


class CampaignOut(Schema):
    id: int
    name: str
    description: str
    region: str
    starts_on: dt.date
    ends_on: dt.date
    target_enterprises: int
    target_person_times: int

    @staticmethod
    def resolve_region(obj: Campaign) -> str:
        return obj.region.code


class CampaignCityOut(Schema):
    city: str
    code: str
    sessions: int = 0
    person_times: int
    enterprises_reached: int
    target_enterprises: int


class CampaignProgressOut(Schema):
    campaign: CampaignOut
    sessions: int
    person_times: int
    enterprises_reached: int
    person_times_share: Decimal | None
    enterprises_share: Decimal | None
    by_city: list[CampaignCityOut]


class CampaignLinkIn(Schema):
    enterprise_credit_codes: list[str] = []
    course_ids: list[int] = []
    session_ids: list[int] = []


class TargetOut(Schema):
    enterprise_id: int
    name: str
    credit_code: str
    city: str
    county: str
    open_hazard_topics: list[str]
    priority_rank: int | None


class KeyPersonOut(Schema):
    trainee_id: int
    name: str
    enterprise_id: int | None
    key_role: str
    offline_hours: Decimal
    online_hours: Decimal
    meets_rule: bool


class KeyPeopleOut(Schema):
    people: int
    trained: int
    met: int
    coverage: Decimal | None
    required_hours: Decimal
    offline_share: Decimal
    rows: list[KeyPersonOut]


class RecommendationOut(Schema):
    courses: list[CourseOut]
    halls: list[HallOut]
    sessions: list[SessionOut]


class MaterialOut(Schema):
    id: int
    title: str
    kind: str
    topic: str
    series: str
    authors: str
    publisher: str
    year: int | None
    description: str
    download_count: int
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Material) -> str:
        return reverse("training:material_download", args=[obj.pk])


class CardOut(Schema):
    year: int
    sessions_this_year: int
    person_times_this_year: int
    person_times_total: int
    person_times_definition: str


class StatRowOut(Schema):
    key: str
    label: str
    sessions: int
    person_times: int
    enterprises: int
    attempts: int
    passed: int
    pass_rate: Decimal | None
    url: str


class ScoreOut(Schema):
    institution_id: int | None
    institution: str | None
    ratings: int
    average: float | None


class Created(Schema):
    id: int


# ---------------------------------------------------------------- bases, halls, sessions


@router.get("/bases", response=list[BaseOut])
def bases(request: HttpRequest):  # type: ignore[no-untyped-def]
    return sel.bases_visible(request.user)


@router.post("/bases", response={201: BaseOut})
def base_new(request: HttpRequest, payload: BaseIn) -> Status:
    from yufang.funds.models import Institution

    user: Any = request.user
    city = Region.objects.filter(code=payload.city, level=Region.Level.CITY).first()
    institution = (
        user.institution
        if user.role == "institution"
        else Institution.objects.filter(pk=payload.institution_id or 0).first()
    )
    if city is None:
        raise InvalidInput({"city": _("Unknown city code.")})
    if institution is None:
        raise InvalidInput({"institution_id": _("Unknown institution.")})
    base = svc.base_create(
        actor=user, name=payload.name, city=city, address=payload.address, institution=institution
    )
    return Status(201, base)


@router.get("/bases/{base_id}/halls", response=list[HallOut])
def halls(request: HttpRequest, base_id: int):  # type: ignore[no-untyped-def]
    return sel.base_get(request.user, base_id).halls.all()


@router.post("/bases/{base_id}/halls", response={201: HallOut})
def hall_new(request: HttpRequest, base_id: int, payload: HallIn) -> Status:
    base = sel.base_get(request.user, base_id)
    hall = svc.hall_create(actor=request.user, base=base, **payload.dict())
    return Status(201, hall)


@router.get("/sessions", response=list[SessionOut])
@paginated(50)
def sessions(request: HttpRequest, filters: Query[SessionFilterIn]):  # type: ignore[no-untyped-def,valid-type]
    return sel.session_list(request.user, sel.SessionFilter(**filters.dict()))  # type: ignore[attr-defined]


@router.post("/sessions", response={201: SessionOut})
def session_new(request: HttpRequest, payload: SessionIn) -> Status:
    user: Any = request.user
    hall: Hall | None = None
    if payload.hall_id:
        hall = sel.halls_visible(user).filter(pk=payload.hall_id).first()
        if hall is None:
            raise InvalidInput({"hall_id": _("Unknown hall.")})
    enterprise = None
    if payload.enterprise_credit_code:
        # Only an enterprise the caller may work at: one outside is as unknown as a missing
        # one (never a hint that it exists elsewhere).
        enterprise = (
            enterprises_to_pick(user)
            .filter(credit_code=payload.enterprise_credit_code.strip().upper())
            .first()
        )
        if enterprise is None:
            raise InvalidInput(
                {"enterprise_credit_code": _("No enterprise with this credit code.")}
            )
    campaign = (
        sel.campaigns_visible(user).filter(pk=payload.campaign_id).first()
        if payload.campaign_id
        else None
    )
    session = svc.session_schedule(
        actor=user,
        data=svc.SessionFields(
            kind=payload.kind,
            title=payload.title,
            topic=payload.topic,
            trainer=payload.trainer,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            class_hours=payload.class_hours,
            capacity=payload.capacity,
            hall=hall,
            enterprise=enterprise,
            location=payload.location,
            campaign=campaign,
        ),
    )
    return Status(201, session)


@router.get("/sessions/{session_id}", response=SessionOut)
def session_detail(request: HttpRequest, session_id: int) -> TrainingSession:
    return sel.session_get(request.user, session_id)


@router.post("/sessions/{session_id}/cancel", response=SessionOut)
def session_cancel(request: HttpRequest, session_id: int, payload: ReasonIn) -> TrainingSession:
    session = sel.session_get(request.user, session_id)
    return svc.session_cancel(actor=request.user, session=session, reason=payload.reason)


@router.get("/sessions/{session_id}/enrollments", response=list[EnrollmentOut])
@paginated(100)
def session_enrollments(request: HttpRequest, session_id: int):  # type: ignore[no-untyped-def]
    return sel.enrollments_of_session(request.user, sel.session_get(request.user, session_id))


def _booking(result: svc.BookingResult) -> dict[str, Any]:
    return {
        "booked": [e.pk for e in result.booked],
        "waitlisted": [e.pk for e in result.waitlisted],
        "skipped": [{**e, "message": str(e["message"])} for e in result.skipped],
    }


def _checked_in(result: svc.CheckInResult) -> dict[str, Any]:
    return {
        "checked_in": [e.pk for e in result.checked_in],
        "refused": [{"id": e.pk, "message": m} for e, m in result.refused],
    }


@router.post("/sessions/{session_id}/book", response=BookingOut)
def session_book(request: HttpRequest, session_id: int, payload: GroupBookingIn) -> Any:
    """An enterprise books its employees: known trainees by id, or people by ID number."""
    user: Any = request.user
    session = sel.session_get(user, session_id)
    if not user.enterprise_id:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the enterprise's safety manager books its employees."))
    if payload.people:
        from yufang.lib.spreadsheets import write_csv

        data = write_csv(
            ["姓名", "身份证号", "手机号", "岗位"],
            [[p.name, p.id_number, p.phone, p.key_role] for p in payload.people],
        )
        result = svc.enrollment_book_roster(
            actor=user,
            session=session,
            enterprise=user.enterprise,
            data=data,
            partial=payload.partial,
        )
    else:
        trainees = list(sel.trainees_visible(user).filter(pk__in=payload.trainee_ids))
        result = svc.enrollment_book_group(
            actor=user, session=session, enterprise=user.enterprise, trainees=trainees
        )
    return _booking(result)


@router.post("/sessions/{session_id}/roster", response=BookingOut)
def session_roster(
    request: HttpRequest, session_id: int, file: File[UploadedFile], partial: Form[bool] = False
) -> Any:
    """Book a roster file (XLSX or CSV: 姓名, 身份证号, 手机号, 岗位 — any post); all rows or
    none, or with `partial` the valid rows, the others listed in `skipped`."""
    user: Any = request.user
    session = sel.session_get(user, session_id)
    if not user.enterprise_id:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the enterprise's safety manager books its employees."))
    result = svc.enrollment_book_roster(
        actor=user, session=session, enterprise=user.enterprise, data=file.read(), partial=partial
    )
    return _booking(result)


@router.get("/roster-template")
def roster_template(request: HttpRequest, format: str = "xlsx") -> Any:  # noqa: A002
    """The empty roster with its Chinese headers (XLSX, or CSV with format=csv)."""
    from django.http import HttpResponse

    kind = "csv" if format == "csv" else "xlsx"
    content_type = (
        "text/csv; charset=utf-8"
        if kind == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(svc.roster_template(kind=kind), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="roster.{kind}"'
    return response


@router.post("/sessions/{session_id}/check-in", response=CheckInManyOut)
def session_check_in_many(request: HttpRequest, session_id: int, payload: CheckInManyIn) -> Any:
    """Mark several enrollments present at once; those that cannot be come back in `refused`."""
    session = sel.session_get(request.user, session_id)
    if not payload.enrollment_ids:
        raise InvalidInput({"enrollment_ids": _("Choose at least one person to check in.")})
    chosen = list(
        sel.enrollments_of_session(request.user, session).filter(pk__in=payload.enrollment_ids)
    )
    unknown = set(payload.enrollment_ids) - {e.pk for e in chosen}
    if unknown:
        raise InvalidInput(
            {
                "enrollment_ids": _("Not enrollments of this session: %(ids)s")
                % {"ids": ", ".join(str(i) for i in sorted(unknown))}
            }
        )
    result = svc.enrollment_check_in_many(actor=request.user, session=session, enrollments=chosen)
    return _checked_in(result)


@router.get("/sessions/{session_id}/group-code", response=TokenOut)
def session_group_code(
    request: HttpRequest, session_id: int, enterprise_id: Id | None = None
) -> Any:
    """The group code of an enterprise's people in the session (the safety manager's own
    group; staff name the enterprise)."""
    from django.core.exceptions import PermissionDenied

    user: Any = request.user
    session = sel.session_get(user, session_id)
    if user.role == "safety_manager" and user.enterprise_id:
        enterprise = user.enterprise
    elif svc.may_run_session(user, session):
        # A group is the people an enterprise booked on this session: any other enterprise,
        # in the caller's scope or not, is not found.
        enterprise = get_object_or_404(
            sel.session_enterprises(user, session), pk=enterprise_id or 0
        )
    else:
        raise PermissionDenied(_("Only the group's safety manager or the session's staff."))
    token = svc.group_check_in_token(session, enterprise)
    return {"token": token, "url": reverse("training:check_in_group", args=[token])}


@router.post("/check-in/group", response=CheckInManyOut)
def check_in_group(request: HttpRequest, payload: TokenIn) -> Any:
    """Staff scanned a group code: everyone the enterprise booked is marked present."""
    return _checked_in(svc.check_in_group_by_token(actor=request.user, token=payload.token))


@router.post("/sessions/{session_id}/sign-up", response={201: EnrollmentOut})
def session_sign_up(request: HttpRequest, session_id: int, payload: SignUpIn) -> Status:
    session = sel.session_get(request.user, session_id)
    enrollment = svc.enrollment_sign_up(
        actor=request.user, session=session, id_number=payload.id_number, phone=payload.phone
    )
    return Status(201, enrollment)


@router.get("/sessions/{session_id}/check-in-code", response=TokenOut)
def session_check_in_code(request: HttpRequest, session_id: int) -> Any:
    """The session's QR payload, for staff to show at the hall."""
    from django.core.exceptions import PermissionDenied

    session = sel.session_get(request.user, session_id)
    if not svc.may_run_session(request.user, session):
        raise PermissionDenied(_("Only the session's staff show its check-in code."))
    token = svc.session_qr_token(session)
    return {"token": token, "url": reverse("training:check_in_session", args=[token])}


@router.post("/sessions/{session_id}/photos", response={201: Created})
def session_photo(
    request: HttpRequest, session_id: int, image: File[UploadedFile], caption: Form[str] = ""
) -> Status:
    session = sel.session_get(request.user, session_id)
    photo = svc.session_photo_add(actor=request.user, session=session, image=image, caption=caption)
    return Status(201, {"id": photo.pk})


@router.post("/sessions/{session_id}/feedback", response={201: Created})
def session_feedback(request: HttpRequest, session_id: int, payload: FeedbackIn) -> Status:
    session = sel.session_get(request.user, session_id)
    feedback = svc.feedback_submit(
        actor=request.user, session=session, rating=payload.rating, comment=payload.comment
    )
    return Status(201, {"id": feedback.pk})


@router.get("/enrollments", response=list[EnrollmentOut])
@paginated(50)
def enrollments(request: HttpRequest):  # type: ignore[no-untyped-def]
    return sel.enrollments_visible(request.user).order_by("-session__starts_at", "id")


@router.get("/enrollments/{enrollment_id}/check-in-code", response=TokenOut)
def enrollment_check_in_code(request: HttpRequest, enrollment_id: int) -> Any:
    """A trainee's QR payload, to show on their phone."""
    enrollment = sel.enrollment_get(request.user, enrollment_id)
    token = svc.check_in_token(enrollment)
    return {"token": token, "url": reverse("training:check_in", args=[token])}


@router.post("/enrollments/{enrollment_id}/cancel", response=EnrollmentOut)
def enrollment_cancel(request: HttpRequest, enrollment_id: int) -> Enrollment:
    enrollment = sel.enrollment_get(request.user, enrollment_id)
    return svc.enrollment_cancel(actor=request.user, enrollment=enrollment)


@router.post("/enrollments/{enrollment_id}/check-in", response=EnrollmentOut)
def enrollment_check_in(request: HttpRequest, enrollment_id: int) -> Enrollment:
    enrollment = sel.enrollment_get(request.user, enrollment_id)
    return svc.enrollment_check_in(actor=request.user, enrollment=enrollment)


@router.post("/check-in", response=EnrollmentOut)
def check_in(request: HttpRequest, payload: TokenIn) -> Enrollment:
    """Staff scanned a trainee's code."""
    return svc.check_in_by_token(actor=request.user, token=payload.token)


@router.post("/check-in/session", response=EnrollmentOut)
def check_in_session(request: HttpRequest, payload: TokenIn) -> Enrollment:
    """A trainee scanned the session's code."""
    return svc.check_in_to_session(actor=request.user, token=payload.token)


@router.get("/trainees", response=list[TraineeOut])
@paginated(50)
def trainees(request: HttpRequest, q: str = "", key_role: str = ""):  # type: ignore[no-untyped-def]
    qs = sel.trainee_search(request.user, sel.trainees_visible(request.user), q)
    if key_role:
        qs = qs.filter(key_role=key_role)
    return qs


@router.get("/trainees/{trainee_id}", response=TraineeOut)
def trainee_detail(request: HttpRequest, trainee_id: int) -> Trainee:
    return sel.trainee_get(request.user, trainee_id)


# ---------------------------------------------------------------- courses


@router.get("/courses", response=list[CourseOut])
@paginated(50)
def courses(request: HttpRequest, topic: str = ""):  # type: ignore[no-untyped-def]
    qs = sel.courses_visible(request.user)
    return qs.filter(topic=topic) if topic else qs


@router.post("/courses", response={201: CourseOut})
def course_new(request: HttpRequest, payload: CourseIn) -> Status:
    return Status(201, svc.course_create(actor=request.user, **payload.dict()))


@router.get("/courses/{course_id}", response=CourseDetailOut)
def course_detail(request: HttpRequest, course_id: int) -> Any:
    course = sel.course_get(request.user, course_id)
    done = sel.completed_lessons(sel.trainee_for_user(request.user), course)
    lessons = list(course.lessons.all())
    for lesson in lessons:
        lesson.completed = lesson.pk in done  # type: ignore[attr-defined]
    return {
        **{f: getattr(course, f) for f in CourseOut.model_fields},
        "lessons": lessons,
    }


@router.post("/courses/{course_id}/lessons", response={201: LessonOut})
def lesson_new(
    request: HttpRequest,
    course_id: int,
    title: Form[str],
    kind: Form[str],
    body: Form[str] = "",
    file: File[UploadedFile] | None = None,
    minutes: Form[int] = 10,
) -> Status:
    course = sel.course_get(request.user, course_id)
    lesson = svc.lesson_add(
        actor=request.user,
        course=course,
        title=title,
        kind=kind,
        body=body,
        file=file,
        minutes=minutes,
    )
    return Status(201, lesson)


@router.post("/lessons/{lesson_id}/complete", response=LessonOut)
def lesson_complete(request: HttpRequest, lesson_id: int) -> Any:
    from yufang.training.models import Lesson

    lesson = Lesson.objects.select_related("course").filter(pk=lesson_id).first()
    if lesson is None:
        from django.http import Http404

        raise Http404
    sel.course_get(request.user, lesson.course_id)
    svc.lesson_complete(actor=request.user, lesson=lesson)
    lesson.completed = True  # type: ignore[attr-defined]
    return lesson


class HeartbeatIn(Schema):
    position: float | None = None


class HeartbeatOut(Schema):
    seconds_followed: int
    required_seconds: int
    completed: bool


@router.post("/lessons/{lesson_id}/heartbeat", response=HeartbeatOut)
def lesson_heartbeat(request: HttpRequest, lesson_id: int, payload: HeartbeatIn) -> Any:
    """A beat from a learner's open lesson (video: `position` in seconds). The server credits
    the time it measured since the previous beat; the lesson completes at its length."""
    from yufang.training.models import Lesson

    lesson = Lesson.objects.select_related("course").filter(pk=lesson_id).first()
    if lesson is None:
        from django.http import Http404

        raise Http404
    sel.course_get(request.user, lesson.course_id)
    progress = svc.lesson_heartbeat(actor=request.user, lesson=lesson, position=payload.position)
    return {
        "seconds_followed": progress.seconds_followed,
        "required_seconds": svc.lesson_required_seconds(lesson),
        "completed": progress.completed_at is not None,
    }


# ---------------------------------------------------------------- question bank and exams


@router.get("/questions", response=list[QuestionOut])
@paginated(100)
def questions(request: HttpRequest, topic: str = "", type: str = ""):  # type: ignore[no-untyped-def]  # noqa: A002
    qs = sel.questions_visible(request.user)
    if topic:
        qs = qs.filter(topic=topic)
    if type:
        qs = qs.filter(type=type)
    return qs


def _question_fields(payload: QuestionIn) -> svc.QuestionFields:
    return svc.QuestionFields(
        topic=payload.topic,
        type=payload.type,
        stem=payload.stem,
        options=[o.dict() for o in payload.options],
        answer=payload.answer,
        explanation=payload.explanation,
        basis=payload.basis,
    )


@router.post("/questions", response={201: QuestionOut})
def question_new(request: HttpRequest, payload: QuestionIn) -> Status:
    question = svc.question_save(
        actor=request.user, data=_question_fields(payload), code=payload.code
    )
    return Status(201, question)


@router.put("/questions/{question_id}", response=QuestionOut)
def question_edit(request: HttpRequest, question_id: int, payload: QuestionIn) -> Question:
    question = sel.question_get(request.user, question_id)
    return svc.question_save(actor=request.user, data=_question_fields(payload), question=question)


@router.get("/question-statistics", response=list[ItemStatOut])
def question_statistics(request: HttpRequest):  # type: ignore[no-untyped-def]
    return sel.question_statistics(request.user)


@router.get("/exams", response=list[ExamOut])
def exams(request: HttpRequest):  # type: ignore[no-untyped-def]
    return sel.exams_visible(request.user)


@router.post("/exams", response={201: ExamOut})
def exam_new(request: HttpRequest, payload: ExamIn) -> Status:
    data = payload.dict()
    course_id = data.pop("course_id")
    course = sel.courses_visible(request.user).filter(pk=course_id).first() if course_id else None
    if course_id and course is None:
        raise InvalidInput({"course_id": _("Unknown course.")})
    session_id = data.pop("required_session_id")
    session = (
        sel.sessions_visible(request.user).filter(pk=session_id).first() if session_id else None
    )
    if session_id and session is None:
        raise InvalidInput({"required_session_id": _("Unknown session.")})
    exam = svc.exam_create(actor=request.user, course=course, required_session=session, **data)
    return Status(201, exam)


@router.get("/exams/{exam_id}/results", response=ExamResultsOut)
def exam_results(request: HttpRequest, exam_id: int) -> Any:
    exam = sel.exam_get(request.user, exam_id)
    figures = sel.exam_results(request.user, exam)
    items = sel.question_statistics(request.user, exam=exam).filter(asked__gt=0)  # type: ignore[misc]
    return {**figures, "items": list(items)}


def _attempt_out(attempt: ExamAttempt) -> dict[str, Any]:
    reveal = attempt.status != ExamAttempt.Status.STARTED
    certificate = Certificate.objects.filter(attempt=attempt).values_list("pk", flat=True).first()
    return {
        **{
            f: getattr(attempt, f)
            for f in AttemptOut.model_fields
            if f not in ("items", "certificate_id")
        },
        "certificate_id": certificate,
        "items": [
            {
                "question_id": i.question_id,
                "position": i.position,
                "type": i.question.type,
                "stem": i.question.stem,
                "options": i.question.options,
                "chosen": i.chosen,
                "correct": i.correct if reveal else None,
            }
            for i in sel.attempt_items(attempt)
        ],
    }


@router.post("/exams/{exam_id}/attempts", response={201: AttemptOut})
def attempt_start(request: HttpRequest, exam_id: int) -> Status:
    exam: Exam = sel.exam_get(request.user, exam_id)
    attempt = svc.exam_attempt_start(actor=request.user, exam=exam)
    return Status(201, _attempt_out(attempt))


@router.get("/attempts/{attempt_id}", response=AttemptOut)
def attempt_detail(request: HttpRequest, attempt_id: int) -> Any:
    return _attempt_out(sel.attempt_get(request.user, attempt_id))


@router.post("/attempts/{attempt_id}/submit", response=AttemptOut)
def attempt_submit(request: HttpRequest, attempt_id: int, payload: SubmitIn) -> Any:
    attempt = sel.attempt_get(request.user, attempt_id)
    attempt = svc.exam_attempt_submit(
        actor=request.user,
        attempt=attempt,
        answers={a.question_id: a.chosen for a in payload.answers},
    )
    return _attempt_out(attempt)


# ---------------------------------------------------------------- certificates


@router.get("/certificates", response=list[CertificateOut])
@paginated(50)
def certificates(request: HttpRequest, expiring: bool = False):  # type: ignore[no-untyped-def]
    if expiring:
        return sel.certificates_expiring(request.user)
    return sel.certificates_visible(request.user)


@router.get("/certificates/verify/{code}", response={200: VerificationOut, 404: dict}, auth=None)
def certificate_verify(request: HttpRequest, code: str) -> Any:
    """Public: check a certificate by its number (the QR code on the PDF)."""
    certificate = sel.certificate_by_code(code)
    if certificate is None:
        return Status(404, {"detail": "No certificate has this number."})
    return {
        "code": certificate.code,
        "name": certificate.trainee.name[:1] + "**",
        "id_number": certificate.trainee.id_masked,
        "title": certificate.title,
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "status": sel.certificate_status(certificate),
    }


@router.get("/certificates/{certificate_id}", response=CertificateOut)
def certificate_detail(request: HttpRequest, certificate_id: int) -> Certificate:
    return sel.certificate_get(request.user, certificate_id)


@router.post("/certificates/{certificate_id}/revoke", response=CertificateOut)
def certificate_revoke(request: HttpRequest, certificate_id: int, payload: ReasonIn) -> Certificate:
    certificate = sel.certificate_get(request.user, certificate_id)
    return svc.certificate_revoke(
        actor=request.user, certificate=certificate, reason=payload.reason
    )


# ---------------------------------------------------------------- campaigns, targeting


@router.get("/campaigns", response=list[CampaignOut])
def campaigns(request: HttpRequest):  # type: ignore[no-untyped-def]
    return sel.campaigns_visible(request.user)


@router.post("/campaigns", response={201: CampaignOut})
def campaign_new(request: HttpRequest, payload: CampaignIn) -> Status:
    data = payload.dict()
    region = Region.objects.filter(code=data.pop("region")).first()
    if region is None:
        raise InvalidInput({"region": _("Unknown region code.")})
    return Status(201, svc.campaign_create(actor=request.user, region=region, **data))


@router.get("/campaigns/{campaign_id}", response=CampaignProgressOut)
def campaign_detail(request: HttpRequest, campaign_id: int) -> Any:
    campaign = sel.campaign_get(request.user, campaign_id)
    return {"campaign": campaign, **sel.campaign_progress(campaign)}


@router.post("/campaigns/{campaign_id}/links", response=CampaignProgressOut)
def campaign_links(request: HttpRequest, campaign_id: int, payload: CampaignLinkIn) -> Any:
    user: Any = request.user
    campaign = sel.campaign_get(user, campaign_id)
    codes = [c.strip().upper() for c in payload.enterprise_credit_codes]
    found = list(enterprises_visible(user).filter(credit_code__in=codes))
    missing = sorted(set(codes) - {e.credit_code for e in found})
    if missing:
        raise InvalidInput(
            {
                "enterprise_credit_codes": _("Unknown credit codes: %(codes)s")
                % {"codes": ", ".join(missing)}
            }
        )
    svc.campaign_link(
        actor=user,
        campaign=campaign,
        enterprises=found,
        courses=list(sel.courses_visible(user).filter(pk__in=payload.course_ids)),
        sessions=list(sel.sessions_visible(user).filter(pk__in=payload.session_ids)),
    )
    return {"campaign": campaign, **sel.campaign_progress(campaign)}


@router.get("/targeting", response=list[TargetOut])
def targeting(request: HttpRequest, year: Year | None = None) -> Any:
    """Enterprises with open hazards or high on the priority list and no training this year."""
    return [
        {
            "enterprise_id": t.enterprise.pk,
            "name": t.enterprise.name,
            "credit_code": t.enterprise.credit_code,
            "city": t.enterprise.city.code,
            "county": t.enterprise.county.code,
            "open_hazard_topics": t.topics,
            "priority_rank": t.priority_rank,
        }
        for t in sel.training_targets(request.user, year=year)
    ]


@router.get("/recommendations", response=RecommendationOut)
def recommendations(request: HttpRequest, topics: str = "") -> Any:
    """Courses, halls and upcoming sessions for comma-separated topics (e.g. open hazards)."""
    return sel.recommendations_for(request.user, [t for t in topics.split(",") if t])


@router.get("/key-people", response=KeyPeopleOut)
def key_people(request: HttpRequest, key_role: str = "") -> Any:
    today = timezone.localdate()
    rows = sel.key_people_hours(request.user, role=key_role)
    return {
        **sel.key_people_coverage(rows, on=today),
        "rows": [
            {
                "trainee_id": r.trainee.pk,
                "name": sel.trainee_shown(request.user, r.trainee).name,
                "enterprise_id": r.trainee.enterprise_id,
                "key_role": r.trainee.key_role,
                "offline_hours": r.offline_hours,
                "online_hours": r.online_hours,
                "meets_rule": r.meets_rule(today),
            }
            for r in rows
        ],
    }


# ---------------------------------------------------------------- materials, statistics


@router.get("/materials", response=list[MaterialOut])
@paginated(50)
def materials(request: HttpRequest, topic: str = ""):  # type: ignore[no-untyped-def]
    qs = sel.materials_visible(request.user)
    return qs.filter(topic=topic) if topic else qs


@router.post("/materials", response={201: MaterialOut})
def material_new(
    request: HttpRequest,
    file: File[UploadedFile],
    title: Form[str],
    kind: Form[str],
    topic: Form[str],
    series: Form[str] = "",
    authors: Form[str] = "",
    publisher: Form[str] = "",
    year: Form[int | None] = None,
    description: Form[str] = "",
) -> Status:
    material = svc.material_create(
        actor=request.user,
        title=title,
        kind=kind,
        topic=topic,
        file=file,
        series=series,
        authors=authors,
        publisher=publisher,
        year=year,
        description=description,
    )
    return Status(201, material)


@router.get("/card", response=CardOut)
def card(request: HttpRequest, year: Year | None = None) -> Any:
    """The headline: sessions held and person-times in the year (and over all years), with the
    definition of person-times the statistics and campaigns use."""
    return sel.training_card(request.user, year=year)


@router.get("/statistics", response=list[StatRowOut])
def statistics(request: HttpRequest, year: Year | None = None, by: str = "city") -> Any:
    """Sessions, person-times, enterprises reached and pass rates by city, base, topic or month."""
    return sel.training_statistics(
        request.user, year=year or timezone.localdate().year, dimension=by
    )


@router.get("/feedback/scores", response=list[ScoreOut])
def feedback_scores(request: HttpRequest) -> Any:
    return [
        {
            "institution_id": r["session__institution_id"],
            "institution": r["session__institution__name"],
            "ratings": r["ratings"],
            "average": r["average"],
        }
        for r in sel.feedback_scores(request.user)
    ]
