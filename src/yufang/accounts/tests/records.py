"""One record of each kind inside the world's Qingdao scope and one outside it (Jinan), for the
authorization matrix. Records are made through each module's services where one exists.

Every record outside the scope carries the marker `OUTSIDE` in a text the pages and the API
show (its name, title or description), so a list that leaks it can be caught by its text.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from yufang.accounts.models import Role
from yufang.tests.factories import InstitutionFactory, persona, region

OUTSIDE = "界外记录"


@dataclass
class Records:
    """`inside[kind]` and `outside[kind]` are the values put in the URL for that kind."""

    inside: dict[str, Any] = field(default_factory=dict)
    outside: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def _id_number(n: int) -> str:
    from yufang.lib.identifiers import id_number_check_character

    body = f"37021119850101{n % 1000:03d}"
    return body + id_number_check_character(body)


def _at(days: int, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def build(world: Any) -> Records:
    r = Records()
    people = world.people
    province = people[Role.PROVINCE_OFFICIAL]
    county = people[Role.COUNTY_OFFICIAL]
    staff = people[Role.INSTITUTION_STAFF]
    jinan_official = world.jinan_city_official
    stranger_staff = persona(
        Role.INSTITUTION_STAFF, institution=InstitutionFactory(city=region("370100"))
    )
    jinan_worker = persona(Role.WORKER, enterprise=world.jinan_enterprise)
    r.people = {"jinan_worker": jinan_worker, "stranger_staff": stranger_staff}

    world.jinan_enterprise.name = OUTSIDE + "济南企业"
    world.jinan_enterprise.save(update_fields=["name"])

    r.inside["enterprise"] = world.enterprise.pk
    r.outside["enterprise"] = world.jinan_enterprise.pk
    r.inside["user"] = people[Role.GRID_WORKER].pk
    r.outside["user"] = jinan_official.pk
    r.inside["region"] = "370211"
    r.outside["region"] = "370102"
    r.inside["city"] = "370200"
    r.outside["city"] = "370100"
    r.inside["industry"] = world.enterprise.industry.code
    r.outside["industry"] = world.jinan_enterprise.industry.code
    r.inside["year"] = timezone.localdate().year - 1
    r.outside["year"] = r.inside["year"]

    _hazards(r, world, county, province, staff, stranger_staff)
    _injuries(r, world, county, province)
    _training(r, world, staff, stranger_staff, province, jinan_worker)
    _imports(r, world, county, jinan_official)
    _notifications(r, world)
    from yufang.accounts.tests.access import module_declarations

    for module in module_declarations():
        if hasattr(module, "build_records"):
            module.build_records(world, r)
    return r


def _hazards(r: Records, world: Any, county: Any, province: Any, staff: Any, stranger: Any) -> None:
    from yufang.hazards import services as hz
    from yufang.hazards.models import (
        Escalation,
        EscalationCause,
        EscalationLevel,
        HazardLevel,
    )
    from yufang.support.topics import Topic

    hz.checklists_import()
    inside = hz.hazard_report(
        actor=county,
        enterprise=world.enterprise,
        topic=Topic.CONFINED_SPACE,
        level=HazardLevel.ORDINARY,
        description="有限空间未设置警示标志",
    )
    outside = hz.hazard_report(
        actor=province,
        enterprise=world.jinan_enterprise,
        topic=Topic.CONFINED_SPACE,
        level=HazardLevel.ORDINARY,
        description=OUTSIDE + "有限空间",
    )
    r.inside["hazard"], r.outside["hazard"] = inside.pk, outside.pk
    r.inside["photo"] = hz.photo_add(actor=county, upload=png(), kind="finding", hazard=inside).pk
    r.outside["photo"] = hz.photo_add(
        actor=province, upload=png(), kind="finding", hazard=outside
    ).pk
    planned = timezone.localdate() + dt.timedelta(days=3)
    r.inside["assessment"] = hz.assessment_create(
        actor=world.people[Role.CITY_OFFICIAL],
        enterprise=world.enterprise,
        checklist_key="T01",
        method="site_survey",
        planned_on=planned,
        institution_id=staff.institution_id,
        notes="矩阵评估",
    ).pk
    r.outside["assessment"] = hz.assessment_create(
        actor=province,
        enterprise=world.jinan_enterprise,
        checklist_key="T01",
        method="site_survey",
        planned_on=planned,
        institution_id=stranger.institution_id,
        notes=OUTSIDE,
    ).pk
    from yufang.hazards.models import Checklist

    checklist = Checklist.objects.order_by("pk").first()
    assert checklist is not None
    r.inside["checklist"] = r.outside["checklist"] = checklist.pk
    now = timezone.now()
    for side, hazard, reg in (
        (r.inside, inside, "370211"),
        (r.outside, outside, "370102"),
    ):
        side["escalation"] = Escalation.objects.create(
            hazard=hazard,
            level=EscalationLevel.values[0],
            region=region(reg),
            cause=EscalationCause.values[0],
            escalated_at=now,
        ).pk
    r.inside["notice"] = hz.notice_issue(
        actor=county, enterprise=world.enterprise, hazards=[inside]
    ).pk
    r.outside["notice"] = hz.notice_issue(
        actor=province, enterprise=world.jinan_enterprise, hazards=[outside]
    ).pk
    from yufang.hazards.models import RectificationNotice

    r.inside["notice_token"] = _notice_token(RectificationNotice.objects.get(pk=r.inside["notice"]))
    r.outside["notice_token"] = _notice_token(
        RectificationNotice.objects.get(pk=r.outside["notice"])
    )
    # Each city's issuer with its seal: the seal is served to those who configure its region.
    for side, reg in ((r.inside, "370200"), (r.outside, "370100")):
        side["issuer"] = hz.notice_issuer_set(
            actor=province, region=region(reg), name="人社局", seal=png()
        ).pk


def _notice_token(notice: Any) -> str:
    from yufang.hazards.pdf import notice_token

    return notice_token(notice)


def _injuries(r: Records, world: Any, county: Any, province: Any) -> None:
    from yufang.injuries.services.cases import case_create

    def data(enterprise: Any, n: int, name: str) -> dict[str, Any]:
        return {
            "case_number": f"RS-2024-{n:05d}",
            "enterprise": enterprise,
            "person_name": name,
            "id_number": _id_number(n),
            "accident_date": "2024-03-05",
            "recognition_date": "2024-05-10",
            "kind": "work_injury",
            "occupational_disease": "",
            "is_death": False,
            "disability_grade": "",
            "lost_workdays": "12",
            "accident_category": "03",
            "body_part": "hand",
            "payout": "12000.50",
        }

    from yufang.enterprises.models import InsuredHeadcount

    for enterprise in (world.enterprise, world.jinan_enterprise):
        InsuredHeadcount.objects.get_or_create(
            enterprise=enterprise, year=2024, defaults={"insured_headcount": 100}
        )
    r.inside["case"] = case_create(actor=county, data=data(world.enterprise, 901, "张三")).pk
    r.outside["case"] = case_create(
        actor=province, data=data(world.jinan_enterprise, 902, "李四")
    ).pk
    # The API's DELETE gets its own pair: the page's delete runs in the same test.
    r.inside["case_to_delete"] = case_create(
        actor=county, data=data(world.enterprise, 903, "王五")
    ).pk
    r.outside["case_to_delete"] = case_create(
        actor=province, data=data(world.jinan_enterprise, 904, "赵六")
    ).pk


def _training(
    r: Records, world: Any, staff: Any, stranger: Any, province: Any, jinan_worker: Any
) -> None:
    from yufang.training import services as tr
    from yufang.training.models import Certificate, SessionKind

    sides = (
        (r.inside, staff, world.enterprise, "370200", "消防体验", world.people[Role.WORKER]),
        (r.outside, stranger, world.jinan_enterprise, "370100", OUTSIDE + "培训", jinan_worker),
    )
    for n, (side, runner, enterprise, city, title, worker) in enumerate(sides):
        base = tr.base_create(
            actor=runner,
            name=title + "基地",
            city=region(city),
            address="某区",
            institution=runner.institution,
        )
        hall = tr.hall_create(actor=runner, base=base, name=title + "馆", topic="fire", capacity=5)
        session = tr.session_schedule(
            actor=runner,
            data=tr.SessionFields(
                kind=SessionKind.HALL,
                title=title,
                topic="fire",
                trainer="王老师",
                starts_at=_at(1 + n),
                ends_at=_at(1 + n, 12),
                class_hours=Decimal("4"),
                hall=hall,
            ),
        )
        trainee = tr.trainee_upsert(
            actor=province,
            name=title + "学员",
            id_number=_id_number(700 + n),
            enterprise=enterprise,
            key_role="",
            user=worker,
        )
        enrollment = tr.enrollment_book_group(
            actor=province, session=session, enterprise=enterprise, trainees=[trainee]
        )
        # Courses and materials are one catalogue for the province: no scope, so no marker
        # either.
        course = tr.course_create(
            actor=runner, title=f"消防课程{n}", topic="fire", class_hours=Decimal("2")
        )
        lesson = tr.lesson_add(
            actor=runner, course=course, title=f"第{n}课", kind="image", file=png()
        )
        material = tr.material_create(
            actor=runner, title=f"消防手册{n}", kind="handout", topic="fire", file=png()
        )
        certificate = tr.certificate_issue(
            actor=province, trainee=trainee, title=title + "证书", issued_on=timezone.localdate()
        )
        side["session_photo"] = tr.session_photo_add(
            actor=runner, session=session, image=png(), caption=title
        ).pk
        side["base"] = base.pk
        side["hall"] = hall.pk
        side["session"] = session.pk
        side["trainee"] = trainee.pk
        side["enrollment"] = _first_enrollment(enrollment, session).pk
        side["course"] = course.pk
        side["lesson"] = lesson.pk
        side["material"] = material.pk
        side["certificate"] = certificate.pk
        side["certificate_code"] = Certificate.objects.get(pk=certificate.pk).code
        side["campaign"] = tr.campaign_create(
            actor=province,
            name=title + "活动",
            region=region(city),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + dt.timedelta(days=30),
            target_enterprises=1,
            target_person_times=1,
        ).pk
        side["session_token"] = tr.session_qr_token(session)
        side["enrollment_token"] = tr.check_in_token(_first_enrollment(enrollment, session))
        side["group_token"] = tr.group_check_in_token(session, enterprise)
        _exams(side, tr, runner, worker, title, n)


def _exams(side: dict[str, Any], tr: Any, runner: Any, worker: Any, title: str, n: int) -> None:
    """A question of the runner's institution, an exam of it drawing that question, and the
    side's worker's attempt at it. The bank and the exams are the province's one catalogue
    (an institution's staff see their own institution's), so they carry no marker."""
    question = tr.question_save(
        actor=runner,
        data=tr.QuestionFields(
            topic="fire",
            type="true_false",
            stem=f"灭火器应定期检查（{n}）。",
            options=[{"key": "T", "text": "对"}, {"key": "F", "text": "错"}],
            answer=["T"],
        ),
        code=f"MATRIX{n}",
    )
    exam = tr.exam_create(actor=runner, title=f"消防考试{n}", topics=["fire"], true_false_count=1)
    side["question"] = question.pk
    side["exam"] = exam.pk
    side["attempt"] = tr.exam_attempt_start(actor=worker, exam=exam).pk


def _first_enrollment(result: Any, session: Any) -> Any:
    from yufang.training.models import Enrollment

    return Enrollment.objects.filter(session=session).order_by("pk").first()


def _imports(r: Records, world: Any, county: Any, jinan_official: Any) -> None:
    from yufang.imports.services import import_job_create

    csv = "统一社会信用代码,企业名称\n91370211MA00000000,某企业\n".encode()
    for side, actor, name in (
        (r.inside, county, "企业.csv"),
        (r.outside, jinan_official, OUTSIDE + "企业.csv"),
    ):
        upload = SimpleUploadedFile(name, csv, content_type="text/csv")
        side["job"] = import_job_create(actor=actor, kind="enterprises", upload=upload).pk
    r.inside["import_kind"] = r.outside["import_kind"] = "enterprises"


def _notifications(r: Records, world: Any) -> None:
    from yufang.notifications.services import notify

    def one(user: Any, title: str) -> int:
        return notify(recipients=[user], title=title, by_email=False)[0].pk

    # Each user's own notification is "inside"; someone else's is "outside".
    r.inside["notification"] = {role: one(u, "通知") for role, u in world.people.items()}
    r.outside["notification"] = one(world.jinan_city_official, OUTSIDE + "通知")
