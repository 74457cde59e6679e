"""A year of training: the Qingdao training base with its experience halls and sessions
(group bookings, one of 127 employees, check-ins, cancellations), the 百企万人 campaign's
on-site sessions in Liaocheng workshops, online courses over the seed question bank, exams
taken and certificates issued, textbooks, ratings.

It runs after the accounts (ORDER 90) so that the demo `worker` is a trainee and the demo
`institution` account runs the base. Bulk inserts, no per-row services: this is seed data.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from yufang import policy
from yufang.accounts.models import User
from yufang.enterprises.models import Enterprise
from yufang.lib.documents import cjk_font
from yufang.lib.identifiers import id_number_check_character, mask_id_number
from yufang.lib.protected import id_number_digest, id_number_encrypt
from yufang.organisations.models import Institution
from yufang.regions.models import Region
from yufang.support.demo import DemoContext
from yufang.training import services as svc
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
    SessionKind,
    Trainee,
    TrainingBase,
    TrainingSession,
)

ORDER = 95
T = TypeVar("T")
QUESTION_BANK = Path(__file__).resolve().parents[1] / "data" / "question_bank.json"

HALLS = [
    ("道路交通安全体验馆", "road_transport", 60),
    ("消防安全体验馆", "fire", 80),
    ("建筑施工安全体验馆", "construction", 60),
    ("机械制造安全体验馆", "machinery", 50),
    ("有限空间作业体验馆", "confined_space", 40),
    ("危险化学品安全体验馆", "chemicals", 50),
    ("电气安全体验馆", "electrical", 50),
    ("高处作业体验馆", "work_at_height", 40),
    ("职业健康体验馆", "occupational_health", 60),
    ("粉尘防爆体验馆", "dust_explosion", 40),
    ("工伤保险政策展厅", "injury_insurance", 100),
    ("综合实训报告厅", "general_management", 200),
]
TRAINERS = ["王建国", "李红梅", "张志强", "刘海燕", "陈立新", "杨帆", "赵振华", "孙丽"]
EXPERTS = ["周明", "吴国栋", "郑小兵", "冯雪", "褚卫东"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰海波鹏辉宇浩然"
COURSES = [
    (
        "工伤保险政策与工伤认定",
        "injury_insurance",
        "4",
        [
            "谁缴纳工伤保险费：用人单位缴纳，职工个人不缴纳。",
            "工伤认定申请时限：用人单位 30 日，职工或近亲属 1 年。",
            "工伤待遇：医疗、停工留薪期、伤残待遇由工伤保险基金和用人单位分别支付。",
        ],
    ),
    (
        "危险化学品企业关键岗位安全培训",
        "chemicals",
        "8",
        [
            "危险化学品的分类与安全技术说明书（SDS）。",
            "储存、装卸与动火作业的风险控制。",
            "泄漏、火灾的应急处置与个体防护。",
            "事故案例：违章动火引发的爆炸。",
        ],
    ),
    (
        "有限空间作业安全",
        "confined_space",
        "4",
        [
            "有限空间的辨识与作业审批。",
            "先通风、再检测、后作业。",
            "监护与救援：严禁盲目施救。",
        ],
    ),
    (
        "班组长安全管理",
        "general_management",
        "6",
        [
            "班组安全职责与班前会。",
            "隐患排查与整改闭环。",
            "岗位安全操作规程的落实。",
        ],
    ),
    (
        "电气安全与触电急救",
        "electrical",
        "3",
        ["临时用电的接地与漏电保护。", "触电急救：先断电，后施救。"],
    ),
]
MATERIALS = [
    ("危险化学品安全生产基础知识", "textbook", "chemicals", "危险化学品安全生产系列教材（第一册）"),
    ("危险化学品储存与运输安全", "textbook", "chemicals", "危险化学品安全生产系列教材（第二册）"),
    ("化工过程安全管理", "textbook", "chemicals", "危险化学品安全生产系列教材（第三册）"),
    ("危险化学品事故应急处置", "textbook", "chemicals", "危险化学品安全生产系列教材（第四册）"),
    ("工伤保险政策问答", "handout", "injury_insurance", ""),
    ("有限空间作业安全口袋书", "handout", "confined_space", ""),
    ("班组长安全管理手册", "handout", "general_management", ""),
]


def _pick(ctx: DemoContext, items: Sequence[T], n: int) -> list[T]:
    return ctx.rng.sample(list(items), min(n, len(items)))


def _aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class _People:
    """Trainees made in bulk, with unique synthetic ID numbers."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.serial = 0
        self.pending: list[Trainee] = []

    def make(self, enterprise: Enterprise, key_role: str = KeyRole.OTHER, **extra: Any) -> Trainee:
        self.serial += 1
        rng = self.ctx.rng
        # Blocks of 1,000 serials get birth days of distinct residues mod 10, so the
        # (birth date, sequence) pair, hence the number, never repeats.
        born = dt.date(1965, 1, 1) + dt.timedelta(
            days=(self.serial // 1000) % 10 + 10 * rng.randrange(0, 1200)
        )
        body = f"{enterprise.county.code[:6]}{born:%Y%m%d}{self.serial % 1000:03d}"
        number = body + id_number_check_character(body)
        trainee = Trainee(
            name=extra.pop("name", None)
            or rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            id_digest=id_number_digest(number),
            id_masked=mask_id_number(number),
            id_encrypted=id_number_encrypt(number),
            phone=f"13{rng.randrange(100000000, 999999999)}",
            enterprise=enterprise,
            key_role=key_role,
            **extra,
        )
        self.pending.append(trainee)
        return trainee

    def staff_of(self, enterprise: Enterprise, n: int) -> list[Trainee]:
        roles = [KeyRole.SAFETY_DEPUTY_HEAD, KeyRole.SAFETY_OFFICER] + [KeyRole.TEAM_LEADER] * 3
        return [
            self.make(enterprise, roles[i] if i < len(roles) else KeyRole.OTHER) for i in range(n)
        ]

    def save(self) -> None:
        Trainee.objects.bulk_create(self.pending, batch_size=1000)
        self.pending = []


def seed(ctx: DemoContext) -> None:
    today = ctx.today
    qingdao = Region.objects.get(code="370200")
    liaocheng = Region.objects.get(code="371500")
    centre = Institution.objects.get(name__contains="青岛市工伤预防培训中心")
    experts = Institution.objects.filter(city=liaocheng).order_by("id").first() or centre
    admin = User.objects.filter(username="admin").first()

    base = TrainingBase.objects.create(
        name="青岛市工伤预防实训基地", city=qingdao, address="青岛市黄岛区", institution=centre
    )
    halls = Hall.objects.bulk_create(
        Hall(base=base, name=name, topic=topic, capacity=cap) for name, topic, cap in HALLS
    )

    # --- question bank, courses, materials
    svc.question_bank_import(
        actor=admin, document=json.loads(QUESTION_BANK.read_text(encoding="utf-8"))
    )
    courses = []
    for title, topic, hours, texts in COURSES:
        course = Course.objects.create(
            title=title,
            topic=topic,
            class_hours=Decimal(hours),
            institution=centre,
            description=f"{title}（线上自学课程）",
        )
        Lesson.objects.bulk_create(
            Lesson(course=course, position=i + 1, title=f"第{i + 1}课", body=text)
            for i, text in enumerate(texts)
        )
        courses.append(course)
    _materials(ctx)

    # --- trainees of Qingdao enterprises (the demo enterprise has the big group)
    people = _People(ctx)
    found = ctx.shared.get("demo_enterprise") or (
        Enterprise.objects.filter(county__code="370211", is_key_industry=True)
        .order_by("id")
        .first()
    )
    if found is None:
        raise LookupError("the training demo needs the enterprises demo")
    demo_enterprise: Enterprise = found
    qd_enterprises = list(
        Enterprise.objects.filter(city=qingdao)
        .exclude(pk=demo_enterprise.pk)
        .select_related("county")
    )
    booked_enterprises = _pick(ctx, qd_enterprises, 110)
    staff: dict[int, list[Trainee]] = {
        e.pk: people.staff_of(e, ctx.rng.randint(12, 50)) for e in booked_enterprises
    }
    demo_enterprise = Enterprise.objects.select_related("county").get(pk=demo_enterprise.pk)
    staff[demo_enterprise.pk] = people.staff_of(demo_enterprise, 180)
    worker = User.objects.filter(username="worker").first()
    me = people.make(
        demo_enterprise,
        KeyRole.TEAM_LEADER,
        name=worker.full_name.split()[-1] if worker else "周强",
        user=worker,
    )
    staff[demo_enterprise.pk].append(me)
    people.save()

    # --- a year of hall sessions: one morning and sometimes one afternoon slot a weekday
    start = today - dt.timedelta(days=365)
    sessions: list[TrainingSession] = []
    day = start
    while day <= today + dt.timedelta(days=30):
        if day.weekday() < 5:
            for hour, chance in ((9, 0.62), (14, 0.3)):
                if ctx.rng.random() < chance:
                    hall = ctx.rng.choice(halls)
                    sessions.append(
                        TrainingSession(
                            kind=SessionKind.HALL,
                            title=f"{hall.name.removesuffix('体验馆').removesuffix('展厅')}体验式培训",
                            topic=hall.topic,
                            hall=hall,
                            institution=centre,
                            city=qingdao,
                            trainer=ctx.rng.choice(TRAINERS),
                            starts_at=_aware(day, hour),
                            ends_at=_aware(day, hour + 3),
                            capacity=hall.capacity,
                            class_hours=Decimal("4"),
                            status=(
                                TrainingSession.Status.CANCELLED
                                if ctx.rng.random() < 0.03
                                else TrainingSession.Status.SCHEDULED
                            ),
                        )
                    )
        day += dt.timedelta(days=1)
    # The big group: 127 employees of one company in the report hall, about two months ago.
    big_day = today - dt.timedelta(days=60)
    while big_day.weekday() >= 5:
        big_day -= dt.timedelta(days=1)
    sessions = [
        s for s in sessions if not (s.starts_at.date() == big_day and s.starts_at.hour == 14)
    ]
    big = TrainingSession(
        kind=SessionKind.HALL,
        title="企业全员工伤预防专题培训",
        topic="general_management",
        hall=halls[-1],
        institution=centre,
        city=qingdao,
        trainer="王建国",
        starts_at=_aware(big_day, 14),
        ends_at=_aware(big_day, 17),
        capacity=200,
        class_hours=Decimal("4"),
    )
    sessions.append(big)
    TrainingSession.objects.bulk_create(sessions, batch_size=500)

    enrollments: list[Enrollment] = []
    now = timezone.now()
    for session in sessions:
        if session is big:
            continue
        held = session.starts_at <= now
        groups = _pick(ctx, booked_enterprises, ctx.rng.randint(1, 3))
        seats = session.capacity
        for enterprise in groups:
            chosen = _pick(ctx, staff[enterprise.pk], ctx.rng.randint(6, max(7, seats // 2)))
            for trainee in chosen:
                cancelled = ctx.rng.random() < 0.05
                status = Enrollment.Status.BOOKED
                if cancelled or session.status == TrainingSession.Status.CANCELLED:
                    status = Enrollment.Status.CANCELLED
                elif seats <= 0:
                    status = Enrollment.Status.WAITLISTED
                else:
                    seats -= 1
                came = held and status == Enrollment.Status.BOOKED and ctx.rng.random() < 0.92
                enrollments.append(
                    Enrollment(
                        session=session,
                        trainee=trainee,
                        enterprise=enterprise,
                        status=status,
                        cancelled_at=session.starts_at - dt.timedelta(days=1)
                        if status == "cancelled"
                        else None,
                        checked_in_at=(
                            session.starts_at - dt.timedelta(minutes=ctx.rng.randint(0, 25))
                            if came
                            else None
                        ),
                    )
                )
    for trainee in staff[demo_enterprise.pk][:127]:
        enrollments.append(
            Enrollment(
                session=big,
                trainee=trainee,
                enterprise=demo_enterprise,
                status=Enrollment.Status.BOOKED,
                checked_in_at=big.starts_at - dt.timedelta(minutes=ctx.rng.randint(0, 20)),
            )
        )
    # The demo worker attended three sessions and is booked on an upcoming one.
    mine = [s for s in sessions if s is not big and s.status == "scheduled"]
    past = [s for s in mine if s.starts_at < now - dt.timedelta(days=7)][-3:]
    upcoming = [s for s in mine if s.starts_at > now][:1]
    taken = {(e.session.pk, e.trainee.pk) for e in enrollments}
    for s in past + upcoming:
        if (s.pk, me.pk) not in taken:
            enrollments.append(
                Enrollment(
                    session=s,
                    trainee=me,
                    enterprise=demo_enterprise,
                    status=Enrollment.Status.BOOKED,
                    checked_in_at=s.starts_at if s in past else None,
                )
            )
    # Key people of the demo enterprise train toward the 24-hour rule.
    key_people = [t for t in staff[demo_enterprise.pk] if t.key_role != KeyRole.OTHER]
    earlier = [s for s in mine if s.starts_at < now - dt.timedelta(days=1)]
    for index, person in enumerate(key_people):
        for s in _pick(ctx, earlier, 3 + index * 2):
            if (s.pk, person.pk) not in taken:
                taken.add((s.pk, person.pk))
                enrollments.append(
                    Enrollment(
                        session=s,
                        trainee=person,
                        enterprise=demo_enterprise,
                        status=Enrollment.Status.BOOKED,
                        checked_in_at=s.starts_at,
                    )
                )
    enrollments = _unique(enrollments)

    # --- the 百企万人 campaign in Liaocheng: on-site sessions in workshops and teams
    campaign = Campaign.objects.create(
        name="百企万人工伤预防进车间、进班组",
        description="百家企业、万名职工：专家进企业、培训到车间班组。",
        region=liaocheng,
        city=liaocheng,
        starts_on=today - dt.timedelta(days=300),
        ends_on=today + dt.timedelta(days=60),
        target_enterprises=100,
        target_person_times=10000,
    )
    lc_enterprises = list(
        Enterprise.objects.filter(city=liaocheng)
        .select_related("county")
        .order_by("-is_key_industry", "id")
    )[:100]
    campaign.enterprises.add(*lc_enterprises)
    campaign.courses.add(courses[1], courses[3])
    visited = _pick(ctx, lc_enterprises, 70)
    lc_staff = {e.pk: people.staff_of(e, ctx.rng.randint(25, 70)) for e in visited}
    people.save()
    onsite: list[TrainingSession] = []
    day = today - dt.timedelta(days=290)
    for i, enterprise in enumerate(visited):
        day = day + dt.timedelta(days=ctx.rng.randint(2, 5))
        if day >= today:
            day = today - dt.timedelta(days=1 + i % 20)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        onsite.append(
            TrainingSession(
                kind=SessionKind.ONSITE,
                title="百企万人·车间班组现场培训",
                topic=ctx.rng.choice(["machinery", "chemicals", "general_management", "fire"]),
                enterprise=enterprise,
                location=ctx.rng.choice(["一车间", "二车间", "装配班组", "维修班组", "仓储班组"]),
                institution=experts,
                city=liaocheng,
                county=enterprise.county,
                campaign=campaign,
                # One expert a day, sessions on distinct days or hours: no trainer overlaps.
                trainer=EXPERTS[i % len(EXPERTS)],
                starts_at=_aware(day, 8 + (i % 3) * 3),
                ends_at=_aware(day, 10 + (i % 3) * 3),
                capacity=80,
                class_hours=Decimal("2"),
            )
        )
    TrainingSession.objects.bulk_create(onsite)
    for session in onsite:
        host = lc_staff[session.enterprise.pk]  # type: ignore[union-attr]
        for trainee in _pick(ctx, host, ctx.rng.randint(20, 70)):
            enrollments.append(
                Enrollment(
                    session=session,
                    trainee=trainee,
                    enterprise=session.enterprise,
                    status=Enrollment.Status.BOOKED,
                    checked_in_at=session.starts_at + dt.timedelta(minutes=ctx.rng.randint(0, 10)),
                )
            )
    Enrollment.objects.bulk_create(enrollments, batch_size=2000)

    # --- online learning, exams, certificates, ratings
    attended = [e for e in enrollments if e.checked_in_at is not None]
    learners = list({e.trainee.pk: e.trainee for e in _pick(ctx, attended, 600)}.values())
    learners = [t for t in learners if t.pk != me.pk] + [me] + key_people
    progress: list[LessonProgress] = []
    lessons = {c.pk: list(c.lessons.all()) for c in courses}
    for trainee in {t.pk: t for t in learners}.values():
        course = courses[1] if trainee.key_role != KeyRole.OTHER else ctx.rng.choice(courses)
        done = (
            lessons[course.pk]
            if ctx.rng.random() < 0.7 or trainee.key_role != "other"
            else lessons[course.pk][:1]
        )
        progress.extend(
            LessonProgress(
                lesson=lesson,
                trainee=trainee,
                started_at=finished - dt.timedelta(minutes=lesson.minutes),
                last_beat_at=finished,
                seconds_followed=lesson.minutes * 60,
                completed_at=finished,
            )
            for lesson, finished in (
                (lesson, now - dt.timedelta(days=ctx.rng.randint(1, 200))) for lesson in done
            )
        )
    LessonProgress.objects.bulk_create(progress, batch_size=2000)
    _exams(ctx, courses, centre, learners, me)
    Feedback.objects.bulk_create(
        [
            Feedback(
                session=e.session,
                trainee=e.trainee,
                rating=ctx.rng.choices([5, 4, 3, 2], weights=[55, 32, 10, 3])[0],
                comment=ctx.rng.choice(["", "", "很实用", "体验感强", "讲解清楚", "时间稍短"]),
            )
            for e in _unique(_pick(ctx, attended, 2500) + [e for e in attended if e.trainee is me])
        ],
        batch_size=2000,
    )
    ctx.log.write(
        f"training: {len(sessions) + len(onsite)} sessions, {len(attended)} person-times, "
        f"{Trainee.objects.count()} trainees, {Certificate.objects.count()} certificates"
    )


def _unique(enrollments: list[Enrollment]) -> list[Enrollment]:
    seen: set[tuple[int, int]] = set()
    kept = []
    for e in enrollments:
        key = (e.session.pk, e.trainee.pk)
        if key not in seen:
            seen.add(key)
            kept.append(e)
    return kept


def _exams(
    ctx: DemoContext,
    courses: list[Course],
    centre: Institution,
    learners: list[Trainee],
    me: Trainee,
) -> None:
    today = ctx.today
    general = Exam.objects.create(
        title="工伤保险与事故预防知识考试",
        course=courses[0],
        institution=centre,
        single_count=10,
        multiple_count=5,
        true_false_count=5,
        pass_mark=int(policy.value("training_exam_pass_mark", today)),
        time_limit_minutes=30,
        max_attempts=3,
    )
    chemicals = Exam.objects.create(
        title="危险化学品关键岗位安全考试",
        course=courses[1],
        institution=centre,
        topics=["chemicals", "confined_space", "fire", "electrical"],
        single_count=6,
        multiple_count=2,
        true_false_count=2,
        pass_mark=70,
        time_limit_minutes=20,
        max_attempts=2,
    )
    by_type: dict[tuple[int, str], list[Question]] = {}
    for exam in (general, chemicals):
        bank = Question.objects.all()
        if exam.topics:
            bank = bank.filter(topic__in=exam.topics)
        for q in bank:
            by_type.setdefault((exam.pk, q.type), []).append(q)
    attempts: list[ExamAttempt] = []
    drawn: list[list[Question]] = []
    flags: list[list[bool]] = []
    now = timezone.now()
    for trainee in {t.pk: t for t in learners}.values():
        exam = chemicals if trainee.key_role != KeyRole.OTHER else general
        skill = 0.95 if trainee is me else ctx.rng.uniform(0.45, 0.97)
        started = now - dt.timedelta(days=ctx.rng.randint(2, 330), minutes=ctx.rng.randint(0, 600))
        questions = (
            _pick(ctx, by_type[(exam.pk, "single")], exam.single_count)
            + _pick(ctx, by_type[(exam.pk, "multiple")], exam.multiple_count)
            + _pick(ctx, by_type[(exam.pk, "true_false")], exam.true_false_count)
        )
        attempt = ExamAttempt(
            exam=exam,
            trainee=trainee,
            number=1,
            started_at=started,
            deadline=started + dt.timedelta(minutes=exam.time_limit_minutes),
            submitted_at=started
            + dt.timedelta(minutes=ctx.rng.randint(5, exam.time_limit_minutes)),
            status=ExamAttempt.Status.SUBMITTED,
        )
        answered = [trainee is me or ctx.rng.random() < skill for _q in questions]
        right = sum(answered)
        attempt.score = (Decimal(right * 100) / Decimal(len(questions))).quantize(Decimal("0.01"))
        attempt.passed = attempt.score >= exam.pass_mark
        attempts.append(attempt)
        drawn.append(questions)
        flags.append(answered)
    # A few submitted after the time limit: refused and flagged, as the service does.
    for attempt in attempts[5:10]:
        attempt.status = ExamAttempt.Status.EXPIRED
        attempt.submitted_at = attempt.deadline + dt.timedelta(minutes=9)
        attempt.score, attempt.passed = Decimal("0.00"), False
    ExamAttempt.objects.bulk_create(attempts, batch_size=1000)
    items = []
    for attempt, questions, oks in zip(attempts, drawn, flags, strict=True):
        submitted = attempt.status == ExamAttempt.Status.SUBMITTED
        for position, (question, ok) in enumerate(zip(questions, oks, strict=True), start=1):
            wrong = [o["key"] for o in question.options if o["key"] not in question.answer][:1]
            items.append(
                AttemptItem(
                    attempt=attempt,
                    question=question,
                    position=position,
                    chosen=(question.answer if ok else wrong) if submitted else [],
                    correct=ok if submitted else None,
                )
            )
    AttemptItem.objects.bulk_create(items, batch_size=2000)
    years = int(policy.value("training_certificate_validity_years", today))
    certificates = []
    for index, attempt in enumerate(a for a in attempts if a.passed):
        issued = timezone.localtime(attempt.submitted_at).date()  # type: ignore[arg-type]
        if index % 25 == 3:
            # Older certificates whose recertification is due soon (reminders, to-dos).
            issued = today - dt.timedelta(days=365 * years - ctx.rng.randint(10, 50))
        certificates.append(
            Certificate(
                code=f"YF{issued:%Y}{ctx.rng.randrange(16**10):010X}",
                trainee=attempt.trainee,
                title=attempt.exam.title,
                attempt=attempt,
                course=attempt.exam.course,
                issued_on=issued,
                expires_on=issued.replace(year=issued.year + years)
                if not (issued.month == 2 and issued.day == 29)
                else issued.replace(year=issued.year + years, day=28),
            )
        )
    for certificate in certificates[7:9]:
        certificate.revoked_at = timezone.now() - dt.timedelta(days=20)
        certificate.revoked_reason = "考试替考，经核实撤销"
    Certificate.objects.bulk_create(certificates, batch_size=1000)


def _pdf(title: str, series: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = cjk_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setFont(font, 22)
    pdf.drawCentredString(A4[0] / 2, A4[1] - 200, title)
    pdf.setFont(font, 14)
    pdf.drawCentredString(A4[0] / 2, A4[1] - 240, series or "工伤预防培训资料")
    pdf.drawCentredString(A4[0] / 2, 120, "演示数据：内容为示例")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _materials(ctx: DemoContext) -> None:
    rows = []
    for title, kind, topic, series in MATERIALS:
        path = default_storage.save(
            f"training/materials/demo/{title}.pdf", ContentFile(_pdf(title, series))
        )
        rows.append(
            Material(
                title=title,
                kind=kind,
                topic=topic,
                series=series.split("（")[0] if series else "",
                authors="东营市工伤预防教材编写组" if series else "青岛市工伤预防培训中心",
                publisher="山东人民出版社" if series else "",
                year=2023 if series else 2024,
                description=series or title,
                file=path,
                download_count=ctx.rng.randint(40, 900),
            )
        )
    Material.objects.bulk_create(rows)
