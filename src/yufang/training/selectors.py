"""Reads of the training domain. Every selector takes the user and returns only what the
user may see (yufang.accounts.scoping); statistics count attendances, never bookings."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    ScopePaths,
    own_records_q,
    person_phone_shown,
    scope_q,
    scope_queryset,
    sees_person_names,
    training_enrollments_q,
    training_read_q,
    training_sessions_q,
)
from yufang.enterprises.models import Enterprise
from yufang.lib.documents import cjk_font, qr_png
from yufang.lib.topics import Topic
from yufang.regions.models import Region
from yufang.support.bounds import bounded_id, bounded_year
from yufang.training.models import (
    AttemptItem,
    Campaign,
    Certificate,
    Course,
    Enrollment,
    Exam,
    ExamAttempt,
    Feedback,
    Hall,
    KeyRole,
    Lesson,
    LessonProgress,
    Material,
    Question,
    QuestionType,
    SessionPhoto,
    Trainee,
    TrainingBase,
    TrainingSession,
)

ENTERPRISE_PATHS = ScopePaths(city="city", county="county", grid="grid", enterprise="pk")
STAFF_ROLES = frozenset(
    {
        Role.PROVINCE_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.INSTITUTION_STAFF,
        Role.ADMIN,
        Role.AUDITOR,
    }
)


def _none(user: Any) -> bool:
    return not getattr(user, "is_authenticated", False) or not user.is_active


# ---------------------------------------------------------------- sessions, bases


def sessions_visible(user: Any) -> QuerySet[TrainingSession]:
    """Sessions held in the user's scope or booked by its enterprises; an enterprise's people
    also see the hall sessions of their city, to book (`scoping.training_sessions_q`)."""
    qs = TrainingSession.objects.select_related(
        "hall__base", "enterprise", "institution", "city", "county", "campaign"
    )
    if _none(user):
        return qs.none()
    q = training_sessions_q(user, Enrollment.objects.all())
    return qs if q is None else qs.filter(q)


@dataclass
class SessionFilter:
    q: str = ""
    kind: str = ""
    topic: str = ""
    city: str = ""
    base: int | None = None
    campaign: int | None = None
    month: str = ""  # YYYY-MM
    year: int | None = None
    status: str = ""
    upcoming: bool = False

    @classmethod
    def from_params(cls, params: Any) -> SessionFilter:
        def num(name: str) -> int | None:
            return (
                bounded_year(params.get(name)) if name == "year" else bounded_id(params.get(name))
            )

        return cls(
            q=params.get("q", "").strip(),
            kind=params.get("kind", ""),
            topic=params.get("topic", ""),
            city=params.get("city", ""),
            base=num("base"),
            campaign=num("campaign"),
            month=params.get("month", ""),
            year=num("year"),
            status=params.get("status", ""),
            upcoming=params.get("upcoming") == "1",
        )


def session_list(user: Any, filters: SessionFilter | None = None) -> QuerySet[TrainingSession]:
    f = filters or SessionFilter()
    qs = sessions_visible(user).annotate(
        booked=Count("enrollments", filter=Q(enrollments__status=Enrollment.Status.BOOKED)),
        # Person-times of the session (PERSON_TIMES_DEFINITION; a cancelled one has none).
        attended=Count(
            "enrollments",
            filter=Q(enrollments__checked_in_at__isnull=False, status="scheduled"),
        ),
    )
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(trainer__icontains=f.q))
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.topic:
        qs = qs.filter(topic=f.topic)
    if f.city:
        qs = qs.filter(city__code=f.city)
    if f.base:
        qs = qs.filter(hall__base_id=f.base)
    if f.campaign:
        qs = qs.filter(campaign_id=f.campaign)
    if f.year:
        qs = qs.filter(starts_at__year=f.year)
    if len(f.month) == 7 and f.month[:4].isdigit() and f.month[5:].isdigit():
        qs = qs.filter(starts_at__year=int(f.month[:4]), starts_at__month=int(f.month[5:]))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.upcoming:
        qs = qs.filter(ends_at__gt=timezone.now(), status=TrainingSession.Status.SCHEDULED)
        return qs.order_by("starts_at", "id")
    return qs.order_by("-starts_at", "id")


def session_get(user: Any, pk: int) -> TrainingSession:
    return get_object_or_404(sessions_visible(user), pk=pk)


SESSION_EXPORT_COLUMNS = [
    ("title", "title"),
    ("kind", "kind"),
    ("topic", "topic"),
    ("place", "place"),
    ("city", "city"),
    ("trainer", "trainer"),
    ("starts_at", "starts at"),
    ("class_hours", "class hours"),
    ("capacity", "capacity"),
    ("booked", "booked"),
    ("attended", "person-times"),
    ("status", "status"),
]


def session_export_rows(qs: QuerySet[TrainingSession]) -> Iterator[list[Any]]:
    for s in qs:
        yield [
            s.title,
            s.get_kind_display(),
            s.get_topic_display(),
            str(s.hall) if s.hall else f"{s.enterprise} {s.location}",
            s.city.name,
            s.trainer,
            timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M"),
            s.class_hours,
            s.capacity,
            getattr(s, "booked", None),
            getattr(s, "attended", None),
            s.get_status_display(),
        ]


def session_photo_get(user: Any, pk: int) -> SessionPhoto:
    """A photo of a session the user sees, or 404."""
    return get_object_or_404(
        SessionPhoto.objects.filter(session__in=sessions_visible(user).values("pk")), pk=pk
    )


def bases_visible(user: Any) -> QuerySet[TrainingBase]:
    qs = TrainingBase.objects.select_related("city", "institution")
    if _none(user):
        return qs.none()
    if user.role in (Role.SAFETY_MANAGER, Role.WORKER) and user.enterprise_id:
        return qs.filter(city_id=user.enterprise.city_id)
    if user.role == Role.GRID_WORKER and user.grid_id:
        return qs.filter(city_id=user.grid.city_id)
    q = scope_q(user, ScopePaths(city="city", institution="institution"))
    if user.role == Role.COUNTY_OFFICIAL and user.region_id:
        q = Q(city_id=user.region.city_id)
    return qs if q is None else qs.filter(q)


def base_get(user: Any, pk: int) -> TrainingBase:
    return get_object_or_404(bases_visible(user), pk=pk)


def halls_of(base: TrainingBase) -> QuerySet[Hall]:
    year = timezone.localdate().year
    return base.halls.annotate(
        sessions_this_year=Count(
            "sessions",
            filter=Q(sessions__starts_at__year=year, sessions__status="scheduled"),
        )
    ).order_by("name")


def halls_visible(user: Any) -> QuerySet[Hall]:
    return Hall.objects.filter(base__in=bases_visible(user)).select_related("base")


# ---------------------------------------------------------------- enrollments, trainees


def enrollments_visible(user: Any) -> QuerySet[Enrollment]:
    qs = Enrollment.objects.select_related(
        "session", "session__hall__base", "trainee", "trainee__enterprise", "enterprise"
    )
    if _none(user):
        return qs.none()
    q = training_enrollments_q(user)
    return qs if q is None else qs.filter(q)


def enrollments_of_session(user: Any, session: TrainingSession) -> QuerySet[Enrollment]:
    return enrollments_visible(user).filter(session=session).order_by("status", "created_at", "id")


def session_enterprises(user: Any, session: TrainingSession) -> QuerySet[Enterprise]:
    """The enterprises with people booked on a session, as far as the user sees them."""
    booked = enrollments_of_session(user, session).values("enterprise_id")
    return Enterprise.objects.filter(pk__in=booked)


def enrollment_get(user: Any, pk: int) -> Enrollment:
    return get_object_or_404(enrollments_visible(user), pk=pk)


def trainees_visible(user: Any) -> QuerySet[Trainee]:
    qs = Trainee.objects.select_related("enterprise", "enterprise__city", "user")
    if _none(user):
        return qs.none()
    own = own_records_q(user, "user")
    if own is not None:
        return qs.filter(own)
    if user.role == Role.INSTITUTION_STAFF:
        return qs.filter(
            pk__in=Enrollment.objects.filter(session__institution_id=user.institution_id).values(
                "trainee_id"
            )
        )
    return scope_queryset(user, qs, ScopePaths.via_enterprise("enterprise"))


def trainee_get(user: Any, pk: int) -> Trainee:
    return get_object_or_404(trainees_visible(user), pk=pk)


def trainee_for_user(user: Any) -> Trainee | None:
    if _none(user):
        return None
    return Trainee.objects.filter(user=user).select_related("enterprise").first()


@dataclass(frozen=True)
class PersonShown:
    """A trainee as one user may see them (docs/security.md, "Personal data"): the name in
    full or masked (王**), the ID number masked or not at all (None), the mobile number in
    full, masked (138****1234) or not at all (None)."""

    name: str
    id_number: str | None
    phone: str | None


def masked_phone(phone: str) -> str:
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def trainee_shown(user: Any, trainee: Trainee) -> PersonShown:
    if not sees_person_names(user):
        return PersonShown(name=trainee.name[:1] + "**", id_number=None, phone=None)
    phone = person_phone_shown(user, employer_id=trainee.enterprise_id)
    return PersonShown(
        name=trainee.name,
        id_number=trainee.id_masked,
        phone=trainee.phone if phone == "full" else masked_phone(trainee.phone),
    )


def trainee_search(user: Any, qs: QuerySet[Any], q: str, *, path: str = "") -> QuerySet[Any]:
    """Filter by a trainee's name; not for those who see names masked (a search by name would
    tell whose masked row is whose)."""
    if not q or not sees_person_names(user):
        return qs
    return qs.filter(**{f"{path}name__icontains": q})


# ---------------------------------------------------------------- courses, bank, exams


def courses_visible(user: Any) -> QuerySet[Course]:
    qs = (
        Course.objects.select_related("institution")
        .annotate(lesson_count=Count("lessons"))
        .order_by("title", "id")
    )
    if _none(user):
        return qs.none()
    if user.role == Role.INSTITUTION_STAFF:
        return qs.filter(Q(is_published=True) | Q(institution_id=user.institution_id))
    if user.role in (Role.PROVINCE_OFFICIAL, Role.ADMIN, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL):
        return qs
    return qs.filter(is_published=True)


def course_get(user: Any, pk: int) -> Course:
    return get_object_or_404(courses_visible(user), pk=pk)


def lesson_get(user: Any, pk: int) -> Lesson:
    """A lesson of a course the user sees, or 404."""
    return get_object_or_404(
        Lesson.objects.select_related("course").filter(course__in=courses_visible(user)), pk=pk
    )


def completed_lessons(trainee: Trainee | None, course: Course) -> set[int]:
    if trainee is None:
        return set()
    return set(
        LessonProgress.objects.filter(
            trainee=trainee, lesson__course=course, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def lesson_progress(trainee: Trainee | None, lesson: Lesson) -> LessonProgress | None:
    if trainee is None:
        return None
    return LessonProgress.objects.filter(trainee=trainee, lesson=lesson).first()


def completed_course_ids(trainee_ids: Iterable[int]) -> dict[int, set[int]]:
    """Trainee id → ids of courses whose every lesson the trainee completed."""
    lessons = dict(
        Lesson.objects.values("course_id").annotate(n=Count("id")).values_list("course_id", "n")
    )
    done: dict[int, set[int]] = defaultdict(set)
    rows = (
        LessonProgress.objects.filter(trainee_id__in=list(trainee_ids), completed_at__isnull=False)
        .values("trainee_id", "lesson__course_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        if row["n"] >= lessons.get(row["lesson__course_id"], 10**9):
            done[row["trainee_id"]].add(row["lesson__course_id"])
    return done


def course_progress_of(user: Any, course: Course) -> QuerySet[Trainee]:
    """Learners of a course in the user's scope with the lessons each completed."""
    return (
        trainees_visible(user)
        .filter(progress__lesson__course=course)
        .annotate(
            done=Count(
                "progress",
                filter=Q(progress__lesson__course=course, progress__completed_at__isnull=False),
            )
        )
        .order_by("-done", "name")
    )


def questions_visible(user: Any) -> QuerySet[Question]:
    if _none(user) or user.role not in STAFF_ROLES:
        return Question.objects.none()
    return Question.objects.all()


def question_get(user: Any, pk: int) -> Question:
    return get_object_or_404(questions_visible(user), pk=pk)


def question_statistics(user: Any, *, exam: Exam | None = None) -> QuerySet[Question]:
    """Per question: times asked in submitted attempts and difficulty (share answered right)."""
    flt = Q(items__attempt__status=ExamAttempt.Status.SUBMITTED)
    if exam is not None:
        flt &= Q(items__attempt__exam=exam)
    if user.role == Role.INSTITUTION_STAFF:
        flt &= Q(items__attempt__exam__institution_id=user.institution_id)
    return (
        questions_visible(user)
        .annotate(
            asked=Count("items", filter=flt),
            right=Count("items", filter=flt & Q(items__correct=True)),
        )
        .order_by("code")
    )


def exams_visible(user: Any) -> QuerySet[Exam]:
    qs = Exam.objects.select_related("course", "institution", "required_session")
    if _none(user):
        return qs.none()
    if user.role == Role.INSTITUTION_STAFF:
        return qs.filter(institution_id=user.institution_id)
    if user.role in STAFF_ROLES:
        return qs
    return qs.filter(is_open=True)


def exam_get(user: Any, pk: int) -> Exam:
    return get_object_or_404(exams_visible(user), pk=pk)


def attempts_visible(user: Any) -> QuerySet[ExamAttempt]:
    qs = ExamAttempt.objects.select_related("exam", "trainee", "trainee__enterprise")
    if _none(user):
        return qs.none()
    own = own_records_q(user, "trainee__user")
    if own is not None:
        return qs.filter(own)
    return scope_queryset(
        user,
        qs,
        ScopePaths.via_enterprise("trainee__enterprise", institution="exam__institution"),
    )


def attempt_get(user: Any, pk: int) -> ExamAttempt:
    return get_object_or_404(attempts_visible(user), pk=pk)


def attempt_items(attempt: ExamAttempt) -> QuerySet[AttemptItem]:
    return attempt.items.select_related("question").order_by("position")


@dataclass
class ItemRow:
    """An exam item as shown: options labelled for reading (a true/false question shows 正确 /
    错误, not its keys T and F), the answers given and expected in the same words."""

    item: AttemptItem
    options: list[tuple[str, str]]
    chosen: str
    answer: str


def attempt_item_rows(attempt: ExamAttempt) -> list[ItemRow]:
    rows = []
    for item in attempt_items(attempt):
        q = item.question
        texts = {str(o["key"]): str(o["text"]) for o in q.options}
        if q.type == QuestionType.TRUE_FALSE:
            options = [(key, text) for key, text in texts.items()]

            def say(keys: list[str], texts: dict[str, str] = texts) -> str:
                return "、".join(texts.get(k, k) for k in keys)
        else:
            options = [(key, f"{key}. {text}") for key, text in texts.items()]

            def say(keys: list[str], texts: dict[str, str] = texts) -> str:
                return "、".join(sorted(keys))

        rows.append(ItemRow(item, options, say(item.chosen or []), say(q.answer)))
    return rows


def exam_results(user: Any, exam: Exam) -> dict[str, Any]:
    qs = attempts_visible(user).filter(exam=exam).exclude(status=ExamAttempt.Status.STARTED)
    figures = qs.aggregate(
        attempts=Count("id"),
        passed=Count("id", filter=Q(passed=True)),
        late=Count("id", filter=Q(status=ExamAttempt.Status.EXPIRED)),
        average=Avg("score"),
        trainees=Count("trainee", distinct=True),
    )
    figures["pass_rate"] = _rate(figures["passed"], figures["attempts"])
    return figures


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"))


# ---------------------------------------------------------------- certificates


def certificates_visible(user: Any) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related("trainee", "trainee__enterprise", "course")
    if _none(user):
        return qs.none()
    own = own_records_q(user, "trainee__user")
    if own is not None:
        return qs.filter(own)
    return scope_queryset(
        user,
        qs,
        ScopePaths.via_enterprise("trainee__enterprise", institution="attempt__exam__institution"),
    )


def certificate_get(user: Any, pk: int) -> Certificate:
    return get_object_or_404(certificates_visible(user), pk=pk)


def certificate_status(certificate: Certificate, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.expires_on < today:
        return "expired"
    return "valid"


def certificate_status_label(status: str) -> str:
    return {"valid": _("valid"), "expired": _("expired"), "revoked": _("revoked")}[status]


def certificate_by_code(code: str) -> Certificate | None:
    """For the public verification page: anyone holding the code may check it."""
    return Certificate.objects.select_related("trainee").filter(code=code).first()


def certificates_expiring(user: Any, *, today: dt.date | None = None) -> QuerySet[Certificate]:
    today = today or timezone.localdate()
    days = int(policy.value("training_certificate_reminder_days", today))
    return certificates_visible(user).filter(
        revoked_at__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + dt.timedelta(days=days),
    )


def certificate_pdf(certificate: Certificate, *, verify_url: str) -> bytes:
    """The certificate as an A4 landscape PDF in Chinese with a QR code to verify it."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = cjk_font()
    out = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(out, pagesize=(width, height))
    pdf.setTitle(f"{certificate.code}")
    pdf.setStrokeColorRGB(0.13, 0.42, 0.77)
    pdf.setLineWidth(3)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setFont(font, 30)
    pdf.drawCentredString(width / 2, height - 45 * mm, "工伤预防培训合格证书")
    pdf.setFont(font, 16)
    trainee = certificate.trainee
    lines = [
        f"学员：{trainee.name}    身份证号：{trainee.id_masked}",
        f"单位：{trainee.enterprise.name if trainee.enterprise else '—'}",
        f"培训项目：{certificate.title}",
        f"发证日期：{certificate.issued_on:%Y年%m月%d日}    "
        f"有效期至：{certificate.expires_on:%Y年%m月%d日}",
        f"证书编号：{certificate.code}",
    ]
    y = height - 75 * mm
    for line in lines:
        pdf.drawString(35 * mm, y, line)
        y -= 12 * mm
    if certificate.revoked_at is not None:
        pdf.setFillColorRGB(0.8, 0.1, 0.1)
        pdf.setFont(font, 24)
        pdf.drawString(35 * mm, y - 4 * mm, "本证书已撤销")
        pdf.setFillColorRGB(0, 0, 0)
    qr = ImageReader(io.BytesIO(qr_png(verify_url)))
    pdf.drawImage(qr, width - 75 * mm, 25 * mm, 45 * mm, 45 * mm)
    pdf.setFont(font, 10)
    pdf.drawCentredString(width - 52.5 * mm, 20 * mm, "扫码核验证书真伪")
    pdf.setFont(font, 12)
    pdf.drawString(35 * mm, 30 * mm, "山东省工伤预防培训管理平台")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


# ---------------------------------------------------------------- campaigns


def campaigns_visible(user: Any) -> QuerySet[Campaign]:
    qs = Campaign.objects.select_related("region", "city")
    if _none(user):
        return qs.none()
    if user.role in (Role.PROVINCE_OFFICIAL, Role.ADMIN) or (
        user.role == Role.AUDITOR and user.region_id is None
    ):
        return qs
    if user.role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.AUDITOR):
        region = user.region
        if region is None:
            return qs.none()
        if region.level == Region.Level.CITY:
            return qs.filter(Q(city_id=region.pk) | Q(region__level=Region.Level.PROVINCE))
        return qs.filter(
            Q(region_id=region.pk)
            | Q(region_id=region.city_id)
            | Q(region__level=Region.Level.PROVINCE)
        )
    if user.role in (Role.SAFETY_MANAGER, Role.WORKER) and user.enterprise_id:
        return qs.filter(enterprises=user.enterprise_id)
    if user.role == Role.INSTITUTION_STAFF:
        return qs.filter(sessions__institution_id=user.institution_id).distinct()
    if user.role == Role.GRID_WORKER and user.grid_id:
        return qs.filter(enterprises__grid_id=user.grid_id).distinct()
    return qs.none()


def campaign_get(user: Any, pk: int) -> Campaign:
    return get_object_or_404(campaigns_visible(user), pk=pk)


def campaign_progress(campaign: Campaign) -> dict[str, Any]:
    """Progress against target: enterprises reached and person-times (one per person per
    session), in total and per city."""
    attended = person_times_of(Enrollment.objects.filter(session__campaign=campaign))
    person_times = attended.count()
    reached_ids = set(
        attended.exclude(trainee__enterprise__isnull=True).values_list(
            "trainee__enterprise_id", flat=True
        )
    ) | set(
        attended.filter(session__enterprise__isnull=False).values_list(
            "session__enterprise_id", flat=True
        )
    )
    targets = set(campaign.enterprises.values_list("pk", flat=True))
    by_city: dict[int, dict[str, Any]] = {}
    city_names = dict(Region.objects.filter(level=Region.Level.CITY).values_list("pk", "name"))
    codes = dict(Region.objects.filter(level=Region.Level.CITY).values_list("pk", "code"))
    for row in attended.values("session__city_id").annotate(n=Count("id")):
        cid = row["session__city_id"]
        by_city[cid] = {
            "city": city_names.get(cid, ""),
            "code": codes.get(cid, ""),
            "person_times": row["n"],
            "sessions": 0,
            "enterprises_reached": 0,
            "target_enterprises": 0,
        }
    for row in (
        campaign.sessions.filter(status=TrainingSession.Status.SCHEDULED)
        .values("city_id")
        .annotate(n=Count("id"))
    ):
        by_city.setdefault(
            row["city_id"],
            {
                "city": city_names.get(row["city_id"], ""),
                "code": codes.get(row["city_id"], ""),
                "person_times": 0,
                "enterprises_reached": 0,
                "target_enterprises": 0,
            },
        )["sessions"] = row["n"]
    for e in Enterprise.objects.filter(pk__in=targets | reached_ids).values("pk", "city_id"):
        entry = by_city.setdefault(
            e["city_id"],
            {
                "city": city_names.get(e["city_id"], ""),
                "code": codes.get(e["city_id"], ""),
                "person_times": 0,
                "sessions": 0,
                "enterprises_reached": 0,
                "target_enterprises": 0,
            },
        )
        entry.setdefault("sessions", 0)
        if e["pk"] in targets:
            entry["target_enterprises"] += 1
        if e["pk"] in reached_ids:
            entry["enterprises_reached"] += 1
    return {
        "person_times": person_times,
        "enterprises_reached": len(reached_ids),
        "sessions": campaign.sessions.filter(status=TrainingSession.Status.SCHEDULED).count(),
        "person_times_share": _rate(person_times, campaign.target_person_times),
        "enterprises_share": _rate(len(reached_ids), campaign.target_enterprises),
        "by_city": sorted(by_city.values(), key=lambda r: r["code"]),
    }


# ---------------------------------------------------------------- materials, feedback


def materials_visible(user: Any) -> QuerySet[Material]:
    if _none(user):
        return Material.objects.none()
    return Material.objects.all()


def material_get(user: Any, pk: int) -> Material:
    return get_object_or_404(materials_visible(user), pk=pk)


def feedback_visible(user: Any) -> QuerySet[Feedback]:
    qs = Feedback.objects.select_related("session", "session__institution", "trainee")
    if _none(user):
        return qs.none()
    own = own_records_q(user, "trainee__user")
    if own is not None:
        return qs.filter(own)
    if user.role == Role.SAFETY_MANAGER:
        return qs.filter(trainee__enterprise_id=user.enterprise_id)
    q = training_read_q(user, session="session", enterprise="trainee__enterprise")
    return qs if q is None else qs.filter(q)


def feedback_scores(user: Any) -> list[dict[str, Any]]:
    """Average rating per institution and per session kind, over feedback in scope."""
    return list(
        feedback_visible(user)
        .values("session__institution_id", "session__institution__name")
        .annotate(ratings=Count("id"), average=Avg("rating"))
        .order_by("-average")
    )


def session_feedback(session: TrainingSession) -> dict[str, Any]:
    return session.feedback.aggregate(ratings=Count("id"), average=Avg("rating"))


# ---------------------------------------------------------------- statistics


# 人次 (person-times), one definition for the home page, the statistics, campaign progress and
# the API: a person checked in at a session that was not cancelled, once per person per session
# (one enrollment per trainee and session), counted in the year the session starts. Bookings,
# waitlists and online lessons are not person-times.
PERSON_TIMES_DEFINITION = gettext_lazy(
    "Person-times: people checked in at a session that was not cancelled, each person once per "
    "session, counted in the year the session starts. Bookings do not count."
)


def person_times_of(qs: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """The enrollments that are person-times (see PERSON_TIMES_DEFINITION)."""
    return qs.filter(checked_in_at__isnull=False, session__status=TrainingSession.Status.SCHEDULED)


def attendances(user: Any, *, year: int | None = None) -> QuerySet[Enrollment]:
    """Person-times in scope."""
    qs = person_times_of(enrollments_visible(user))
    return qs.filter(session__starts_at__year=year) if year else qs


def sessions_held(user: Any, *, year: int | None = None) -> QuerySet[TrainingSession]:
    qs = sessions_visible(user).filter(
        status=TrainingSession.Status.SCHEDULED, starts_at__lte=timezone.now()
    )
    return qs.filter(starts_at__year=year) if year else qs


def training_card(user: Any, *, year: int | None = None) -> dict[str, Any]:
    """The headline "N sessions in <year>, M person-times in <year>": the same figures as the
    totals of the tables by month, city, base or topic under it."""
    year = year or timezone.localdate().year
    return {
        "year": year,
        "sessions_this_year": sessions_held(user, year=year).count(),
        "person_times_this_year": attendances(user, year=year).count(),
        "person_times_total": attendances(user).count(),
        "person_times_definition": str(PERSON_TIMES_DEFINITION),
    }


STAT_DIMENSIONS = ("city", "base", "topic", "month")


def _label_maps(dimension: str) -> dict[Any, tuple[str, str]]:
    """Group key → (label, filter value for the session list)."""
    if dimension == "city":
        return {
            pk: (name, code)
            for pk, name, code in Region.objects.filter(level=Region.Level.CITY).values_list(
                "pk", "name", "code"
            )
        }
    if dimension == "base":
        return {pk: (name, str(pk)) for pk, name in TrainingBase.objects.values_list("pk", "name")}
    if dimension == "topic":
        return {value: (str(label), value) for value, label in Topic.choices}
    return {m: (f"{m:02d}", f"{m:02d}") for m in range(1, 13)}


def training_statistics(user: Any, *, year: int, dimension: str) -> list[dict[str, Any]]:
    """Sessions, person-times, enterprises reached and pass rates grouped by a dimension."""
    if dimension not in STAT_DIMENSIONS:
        dimension = "city"
    session_key = {
        "city": "city_id",
        "base": "hall__base_id",
        "topic": "topic",
        "month": "month",
    }[dimension]
    sessions = sessions_held(user, year=year)
    attended = attendances(user, year=year)
    attempts = attempts_visible(user).filter(
        submitted_at__year=year,
        status__in=[ExamAttempt.Status.SUBMITTED, ExamAttempt.Status.EXPIRED],
    )
    if dimension == "month":
        sessions = sessions.annotate(month=ExtractMonth("starts_at"))
        attended = attended.annotate(month=ExtractMonth("session__starts_at"))
        attempts = attempts.annotate(month=ExtractMonth("submitted_at"))
    attempt_key = {
        "city": "trainee__enterprise__city_id",
        "base": "exam__institution__training_bases",
        "topic": "exam__course__topic",
        "month": "month",
    }[dimension]
    rows: dict[Any, dict[str, Any]] = defaultdict(
        lambda: {"sessions": 0, "person_times": 0, "enterprises": 0, "attempts": 0, "passed": 0}
    )
    for r in sessions.values(session_key).annotate(n=Count("id", distinct=True)):
        rows[r[session_key]]["sessions"] = r["n"]
    att_key = "session__" + session_key if dimension != "month" else "month"
    for r in attended.values(att_key).annotate(
        n=Count("id"), e=Count("trainee__enterprise", distinct=True)
    ):
        rows[r[att_key]]["person_times"] = r["n"]
        rows[r[att_key]]["enterprises"] = r["e"]
    for r in attempts.values(attempt_key).annotate(
        n=Count("id"), p=Count("id", filter=Q(passed=True))
    ):
        if r[attempt_key] is None:
            continue
        rows[r[attempt_key]]["attempts"] = r["n"]
        rows[r[attempt_key]]["passed"] = r["p"]
    labels = _label_maps(dimension)
    session_url = reverse("training:sessions")
    result = []
    for key, figures in rows.items():
        if key is None:
            # Sessions on site in enterprises have no base: a row of their own, so the table
            # adds up to the headline.
            label, value = str(_("on site in enterprises")), "onsite"
            param = "kind"
        else:
            label, value = labels.get(key, (str(key), str(key)))
            param = {"city": "city", "base": "base", "topic": "topic", "month": "month"}[dimension]
        if dimension == "month":
            value = f"{year}-{value}"
        result.append(
            {
                "key": value,
                "label": label,
                **figures,
                "pass_rate": _rate(figures["passed"], figures["attempts"]),
                "url": f"{session_url}?{param}={value}&year={year}",
            }
        )
    return sorted(
        result,
        key=lambda r: (r["key"], 0) if dimension in ("month", "city") else ("", -r["person_times"]),
    )


def statistics_total(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The total row of a statistics table."""
    total = {k: sum(r[k] for r in rows) for k in ("sessions", "person_times", "attempts", "passed")}
    total["pass_rate"] = _rate(total["passed"], total["attempts"])
    return total


def months_chart(rows: list[dict[str, Any]], *, title: str) -> dict[str, Any]:
    return {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": [r["label"] for r in rows]},
        "yAxis": {"type": "value"},
        "series": [
            {
                "name": title,
                "type": "bar",
                "data": [{"value": r["person_times"], "url": r["url"]} for r in rows],
            }
        ],
    }


# ---------------------------------------------------------------- targeting


def _hazard_topics(enterprise_ids: list[int] | None) -> dict[int, set[str]]:
    from yufang.hazards.selectors import open_hazard_topics

    return dict(open_hazard_topics(enterprise_ids=enterprise_ids))


def _priority_ids(user: Any) -> list[int]:
    """The latest prevention-priority list (injury data lag the calendar year)."""
    from yufang.injuries.selectors import priority_enterprise_ids

    limit = int(policy.value("training_priority_list_length", timezone.localdate()))
    return list(priority_enterprise_ids(user, limit=limit))


def enterprises_trained(*, year: int, enterprise_ids: Iterable[int] | None = None) -> set[int]:
    """Enterprises with at least one attendance (an employee, or on site) in the year."""
    attended = person_times_of(Enrollment.objects.filter(session__starts_at__year=year))
    if enterprise_ids is not None:
        ids = list(enterprise_ids)
        attended = attended.filter(
            Q(trainee__enterprise_id__in=ids) | Q(session__enterprise_id__in=ids)
        )
    trained = set(
        attended.exclude(trainee__enterprise__isnull=True).values_list(
            "trainee__enterprise_id", flat=True
        )
    )
    trained |= set(
        attended.exclude(session__enterprise__isnull=True).values_list(
            "session__enterprise_id", flat=True
        )
    )
    return trained


@dataclass
class Target:
    enterprise: Enterprise
    topics: list[str]
    on_priority_list: bool
    priority_rank: int | None

    @property
    def topic_choices(self) -> list[tuple[str, str]]:
        return [(t, str(Topic(t).label)) for t in self.topics if t in Topic.values]


def training_targets(user: Any, *, year: int | None = None) -> list[Target]:
    """Enterprises in scope with open hazards or high on the priority list, untrained this year."""
    year = year or timezone.localdate().year
    scoped = scope_queryset(user, Enterprise.objects.all(), ENTERPRISE_PATHS)
    q = scope_q(user, ENTERPRISE_PATHS)
    scoped_ids = None if q is None else list(scoped.values_list("pk", flat=True))
    hazards = _hazard_topics(scoped_ids)
    priority = _priority_ids(user)
    rank = {pk: i + 1 for i, pk in enumerate(priority)}
    candidates = set(hazards) | set(priority)
    if scoped_ids is not None:
        candidates &= set(scoped_ids)
    candidates -= enterprises_trained(year=year, enterprise_ids=candidates)
    enterprises = Enterprise.objects.filter(pk__in=candidates).select_related(
        "city", "county", "industry"
    )
    targets = [
        Target(
            enterprise=e,
            topics=sorted(hazards.get(e.pk, set())),
            on_priority_list=e.pk in rank,
            priority_rank=rank.get(e.pk),
        )
        for e in enterprises
    ]
    return sorted(
        targets, key=lambda t: (t.priority_rank or 10**6, -len(t.topics), t.enterprise.name)
    )


def recommendations_for(user: Any, topics: Iterable[str]) -> dict[str, Any]:
    """Courses, halls and upcoming sessions that teach the topics of open hazards."""
    topics = [t for t in topics if t in Topic.values]
    return {
        "courses": list(courses_visible(user).filter(topic__in=topics, is_published=True)[:10]),
        "halls": list(halls_visible(user).filter(topic__in=topics)[:10]),
        "sessions": list(
            session_list(user, SessionFilter(upcoming=True)).filter(topic__in=topics)[:10]
        ),
    }


@dataclass
class KeyPersonHours:
    trainee: Trainee
    offline_hours: Decimal
    online_hours: Decimal

    @property
    def total_hours(self) -> Decimal:
        return self.offline_hours + self.online_hours

    def meets_rule(self, on: dt.date) -> bool:
        required = Decimal(str(policy.value("training_key_person_class_hours", on)))
        share = Decimal(str(policy.value("training_key_person_offline_share", on)))
        total = self.total_hours
        return total >= required and self.offline_hours >= share * total

    @property
    def offline_share(self) -> Decimal | None:
        if not self.total_hours:
            return None
        return (self.offline_hours * 100 / self.total_hours).quantize(Decimal("0.1"))


def key_people_hours(user: Any, *, role: str = "") -> list[KeyPersonHours]:
    """Class hours of the key people of key-industry enterprises in scope: offline from
    attended sessions, online from completed courses (鲁人社字〔2022〕14号)."""
    qs = (
        trainees_visible(user)
        .filter(enterprise__is_key_industry=True)
        .exclude(key_role=KeyRole.OTHER)
    )
    if role:
        qs = qs.filter(key_role=role)
    qs = qs.annotate(
        offline=Sum(
            "enrollments__session__class_hours",
            filter=Q(
                enrollments__checked_in_at__isnull=False,
                enrollments__session__status=TrainingSession.Status.SCHEDULED,
            ),
        )
    ).order_by("enterprise__name", "name")
    trainees = list(qs)
    done = completed_course_ids(t.pk for t in trainees)
    hours = dict(Course.objects.values_list("pk", "class_hours"))
    return [
        KeyPersonHours(
            trainee=t,
            offline_hours=t.offline or Decimal("0"),  # type: ignore[attr-defined]
            online_hours=sum((hours[c] for c in done.get(t.pk, set())), Decimal("0")),
        )
        for t in trainees
    ]


def key_people_coverage(rows: list[KeyPersonHours], *, on: dt.date) -> dict[str, Any]:
    met = sum(1 for r in rows if r.meets_rule(on))
    trained = sum(1 for r in rows if r.total_hours > 0)
    return {
        "people": len(rows),
        "trained": trained,
        "met": met,
        "coverage": _rate(met, len(rows)),
        "required_hours": policy.value("training_key_person_class_hours", on),
        "offline_share": policy.value("training_key_person_offline_share", on),
    }


# ---------------------------------------------------------------- to-dos


def training_todos(user: Any) -> list[Any]:
    from yufang.home.todos import Todo

    if _none(user):
        return []
    todos: list[Todo] = []
    today = timezone.localdate()
    if user.role in (Role.SAFETY_MANAGER, Role.WORKER, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL):
        expiring = certificates_expiring(user, today=today).count()
        if expiring:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)s training certificate expires soon: plan recertification",
                        "%(n)s training certificates expire soon: plan recertification",
                        expiring,
                    )
                    % {"n": expiring},
                    reverse("training:certificates") + "?expiring=1",
                    "warning",
                )
            )
    if user.role == Role.SAFETY_MANAGER:
        soon = (
            enrollments_visible(user)
            .filter(
                status=Enrollment.Status.BOOKED,
                session__starts_at__gte=timezone.now(),
                session__starts_at__lte=timezone.now() + dt.timedelta(days=7),
                session__status=TrainingSession.Status.SCHEDULED,
            )
            .values("session_id")
            .distinct()
            .count()
        )
        if soon:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)s session with your employees booked in the next 7 days",
                        "%(n)s sessions with your employees booked in the next 7 days",
                        soon,
                    )
                    % {"n": soon},
                    reverse("training:my_enrollments"),
                    "info",
                )
            )
    if user.role == Role.WORKER:
        trainee = trainee_for_user(user)
        if trainee is not None:
            passed = ExamAttempt.objects.filter(trainee=trainee, passed=True).values("exam_id")
            open_exams = Exam.objects.filter(is_open=True).exclude(pk__in=passed).count()
            if open_exams:
                todos.append(
                    Todo(
                        ngettext("%(n)s exam open to you", "%(n)s exams open to you", open_exams)
                        % {"n": open_exams},
                        reverse("training:exams"),
                        "info",
                    )
                )
    if user.role == Role.INSTITUTION_STAFF:
        today_sessions = sessions_visible(user).filter(
            starts_at__date=today, status=TrainingSession.Status.SCHEDULED
        )
        n = today_sessions.count()
        if n:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)s session today: check trainees in",
                        "%(n)s sessions today: check trainees in",
                        n,
                    )
                    % {"n": n},
                    reverse("training:sessions") + f"?month={today:%Y-%m}",
                    "info",
                )
            )
    return todos


def last_attendance(trainee: Trainee) -> dt.datetime | None:
    return trainee.enrollments.aggregate(m=Max("checked_in_at"))["m"]
