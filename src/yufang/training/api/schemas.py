"""The training API's request and response schemas (filters derived from the selectors' filter dataclasses)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.urls import reverse
from ninja import Field, Schema

from yufang.support.bounds import Code, Id, Name, Note, Text, Year, filter_schema
from yufang.training import selectors as sel
from yufang.training.models import (
    Campaign,
    Certificate,
    Enrollment,
    Material,
    Trainee,
    TrainingBase,
    TrainingSession,
)

# Columns narrower than the shared bounds: a trainee's name, a hall's, a trainer's (100) and a
# question's code (20).
PersonName = Annotated[str, Field(max_length=100)]
QuestionCode = Annotated[str, Field(max_length=20)]


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
    name: Name
    city: Code
    address: Note = ""
    institution_id: Id | None = None


class HallOut(Schema):
    id: int
    base_id: int
    name: str
    topic: str
    capacity: int


class HallIn(Schema):
    name: PersonName
    topic: Code
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
    kind: Code
    title: Name
    topic: Code
    trainer: PersonName
    starts_at: dt.datetime
    ends_at: dt.datetime
    class_hours: Decimal
    capacity: int | None = None
    hall_id: Id | None = None
    enterprise_credit_code: Code = ""
    location: Name = ""
    campaign_id: Id | None = None


SessionFilterIn = filter_schema(
    "SessionFilterIn",
    sel.SessionFilter,
    {"base": Id | None, "campaign": Id | None, "year": Year | None},
)


class EnrollmentReasonIn(Schema):
    reason: Note


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
    name: PersonName
    id_number: Code
    phone: Code = ""
    key_role: Code = ""


class GroupBookingIn(Schema):
    trainee_ids: list[Id] = []
    people: list[RosterPerson] = []
    # Book the valid people and list the others in `skipped` (default: all or nothing).
    partial: bool = False


class RosterRowErrorOut(Schema):
    row: int
    field: str
    message: str


class BookingOut(Schema):
    booked: list[int]
    waitlisted: list[int]
    skipped: list[RosterRowErrorOut] = []


class CheckInManyIn(Schema):
    enrollment_ids: list[Id]


class RefusedOut(Schema):
    id: int
    message: str


class CheckInManyOut(Schema):
    checked_in: list[int]
    refused: list[RefusedOut]


class SignUpIn(Schema):
    id_number: Code = ""
    phone: Code = ""


class CheckInTokenIn(Schema):
    token: Note


class CheckInTokenOut(Schema):
    token: str
    url: str


class FeedbackIn(Schema):
    rating: int
    comment: Note = ""


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
    title: Name
    topic: Code
    class_hours: Decimal
    description: Note = ""


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
    key: Code
    text: Note


class QuestionIn(Schema):
    code: QuestionCode = ""
    topic: Code
    type: Code
    stem: Text
    options: list[QuestionOption]
    answer: list[Code]
    explanation: Note = ""
    basis: Note = ""


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
    title: Name
    topics: list[Code] = []
    single_count: int = 0
    multiple_count: int = 0
    true_false_count: int = 0
    pass_mark: int | None = None
    time_limit_minutes: int | None = None
    max_attempts: int | None = None
    course_id: Id | None = None
    requires_lessons: bool = False
    required_session_id: Id | None = None


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


class ExamAnswerIn(Schema):
    question_id: Id
    chosen: list[Code]


class SubmitIn(Schema):
    answers: list[ExamAnswerIn]


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
    name: Name
    region: Code
    starts_on: dt.date
    ends_on: dt.date
    target_enterprises: int
    target_person_times: int
    description: Note = ""


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
    enterprise_credit_codes: list[Code] = []
    course_ids: list[Id] = []
    session_ids: list[Id] = []


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


class FeedbackScoreOut(Schema):
    institution_id: int | None
    institution: str | None
    ratings: int
    average: float | None


class Created(Schema):
    id: int
