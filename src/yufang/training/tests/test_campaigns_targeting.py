from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.support.topics import Topic
from yufang.tests.factories import region
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import Enrollment, LessonProgress, SessionKind, TrainingSession
from yufang.training.tests.conftest import id_number, trainee

pytestmark = pytest.mark.django_db


def held_onsite(
    actor: Any, enterprise: Any, *, days_ago: int = 3, hours: str = "8", campaign: Any = None
) -> TrainingSession:
    """A session already held: scheduled through the service, then moved into the past."""
    start = timezone.now() + dt.timedelta(days=1)
    session = svc.session_schedule(
        actor=actor,
        data=svc.SessionFields(
            kind=SessionKind.ONSITE,
            title="班组培训",
            topic="machinery",
            trainer=f"专家{days_ago}{hours}",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=2),
            class_hours=Decimal(hours),
            capacity=50,
            enterprise=enterprise,
            location="一车间",
            campaign=campaign,
        ),
    )
    past = timezone.now() - dt.timedelta(days=days_ago)
    if past.year != timezone.localdate().year:
        past = timezone.now() - dt.timedelta(hours=1)
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=past, ends_at=past + dt.timedelta(hours=2)
    )
    session.refresh_from_db()
    return session


def attend(session: TrainingSession, people: list[Any]) -> None:
    for person in people:
        Enrollment.objects.create(
            session=session, trainee=person, status="booked", checked_in_at=session.starts_at
        )


def test_campaign_progress_counts_person_times_once_per_session(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    campaign = svc.campaign_create(
        actor=city,
        name="百企万人",
        region=region("370200"),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=300),
        target_enterprises=2,
        target_person_times=10,
    )
    svc.campaign_link(
        actor=city, campaign=campaign, enterprises=[world.enterprise, world.other_enterprise]
    )
    session = held_onsite(city, world.enterprise, campaign=campaign)
    people = [trainee(city, world.enterprise, n) for n in range(3)]
    attend(session, people)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(session=session, trainee=people[0], status="booked")
    progress = sel.campaign_progress(campaign)
    assert progress["person_times"] == 3
    assert progress["enterprises_reached"] == 1
    assert progress["person_times_share"] == Decimal("30.0")
    qingdao = progress["by_city"][0]
    assert qingdao["code"] == "370200"
    assert qingdao["target_enterprises"] == 2
    assert qingdao["enterprises_reached"] == 1


def test_campaign_outside_own_region_is_refused(world: Any) -> None:
    with pytest.raises(Exception, match="cannot plan"):
        svc.campaign_create(
            actor=world.jinan_city_official,
            name="x",
            region=region("370200"),
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            target_enterprises=1,
            target_person_times=1,
        )


def test_statistics_by_city_and_card(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    session = held_onsite(county, world.enterprise)
    people = [trainee(county, world.enterprise, n) for n in range(4)]
    attend(session, people[:3])
    Enrollment.objects.create(session=session, trainee=people[3], status="booked")
    rows = sel.training_statistics(county, year=timezone.localdate().year, dimension="city")
    assert rows[0]["label"] == "青岛市"
    assert rows[0]["sessions"] == 1
    assert rows[0]["person_times"] == 3
    assert rows[0]["enterprises"] == 1
    assert rows[0]["url"].startswith("/training/sessions/?city=370200")
    card = sel.training_card(county)
    assert card["sessions_this_year"] == 1
    assert card["person_times_total"] == 3
    assert sel.training_card(world.jinan_city_official)["person_times_total"] == 0
    by_topic = sel.training_statistics(county, year=timezone.localdate().year, dimension="topic")
    assert by_topic[0]["key"] == "machinery"


def test_untrained_enterprise_with_open_hazards_is_targeted(world: Any) -> None:
    from yufang.hazards.services import hazard_report

    county = world.people[Role.COUNTY_OFFICIAL]
    hazard_report(
        actor=county,
        enterprise=world.enterprise,
        topic=Topic.FIRE,
        level="ordinary",
        description="通道堵塞",
    )
    hazard_report(
        actor=county,
        enterprise=world.other_enterprise,
        topic=Topic.MACHINERY,
        level="ordinary",
        description="防护罩缺失",
    )
    attend(
        held_onsite(county, world.other_enterprise), [trainee(county, world.other_enterprise, 1)]
    )
    targets = sel.training_targets(county)
    assert [t.enterprise.pk for t in targets] == [world.enterprise.pk]
    assert targets[0].topics == ["fire"]
    assert sel.training_targets(world.jinan_city_official) == []
    course = svc.course_create(
        actor=county, title="消防安全", topic="fire", class_hours=Decimal("4")
    )
    recommended = sel.recommendations_for(county, targets[0].topics)
    assert course in recommended["courses"]


def test_key_person_needs_24_hours_with_60_percent_offline(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    leader = trainee(county, world.enterprise, 1, key_role="team_leader")
    officer = trainee(county, world.enterprise, 2, key_role="safety_officer")
    trainee(county, world.enterprise, 3)  # not a key person
    for days in (3, 4, 5):
        attend(held_onsite(county, world.enterprise, days_ago=days, hours="6"), [leader, officer])
    course = svc.course_create(
        actor=county, title="线上课程", topic="chemicals", class_hours=Decimal("6")
    )
    lesson = svc.lesson_add(actor=county, course=course, title="第一课", kind="text", body="内容")
    LessonProgress.objects.create(lesson=lesson, trainee=leader, completed_at=timezone.now())
    rows = {r.trainee.pk: r for r in sel.key_people_hours(county)}
    today = timezone.localdate()
    assert len(rows) == 2
    assert rows[leader.pk].offline_hours == 18
    assert rows[leader.pk].online_hours == 6
    assert rows[leader.pk].meets_rule(today)  # 24 hours, 75% offline
    assert not rows[officer.pk].meets_rule(today)  # 18 hours
    coverage = sel.key_people_coverage(list(rows.values()), on=today)
    assert coverage["met"] == 1
    assert coverage["coverage"] == Decimal("50.0")


def test_mostly_online_hours_do_not_meet_the_rule(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    leader = trainee(county, world.enterprise, 1, key_role="team_leader")
    attend(held_onsite(county, world.enterprise, hours="8"), [leader])
    course = svc.course_create(
        actor=county, title="线上课程", topic="chemicals", class_hours=Decimal("16")
    )
    lesson = svc.lesson_add(actor=county, course=course, title="第一课", kind="text", body="内容")
    LessonProgress.objects.create(lesson=lesson, trainee=leader, completed_at=timezone.now())
    row = sel.key_people_hours(county)[0]
    assert row.total_hours == 24
    assert not row.meets_rule(timezone.localdate())


def test_feedback_only_from_attendees_and_once(world: Any, staff: Any) -> None:
    worker = world.people[Role.WORKER]
    county = world.people[Role.COUNTY_OFFICIAL]
    person = svc.trainee_upsert(
        actor=worker, name="工人", id_number="370102199003071238", user=worker
    )
    session = held_onsite(county, world.enterprise)
    with pytest.raises(svc.TrainingInvalid, match="attended"):
        svc.feedback_submit(actor=worker, session=session, rating=5)
    attend(session, [person])
    svc.feedback_submit(actor=worker, session=session, rating=4, comment="很实用")
    with pytest.raises(svc.TrainingInvalid, match="already rated"):
        svc.feedback_submit(actor=worker, session=session, rating=5)
    assert sel.session_feedback(session)["average"] == 4


def test_material_download_is_counted(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    county = world.people[Role.COUNTY_OFFICIAL]
    material = svc.material_create(
        actor=county,
        title="危险化学品安全教材（一）",
        kind="textbook",
        topic="chemicals",
        file=SimpleUploadedFile("book.pdf", b"%PDF-1.4 test"),
        series="危化品系列教材",
        year=2023,
    )
    svc.material_download(material=material)
    svc.material_download(material=material)
    material.refresh_from_db()
    assert material.download_count == 2
    with pytest.raises(svc.TrainingInvalid):
        svc.material_create(
            actor=county, title="", kind="x", topic="y", file=SimpleUploadedFile("a.pdf", b"x")
        )


def test_enterprise_high_on_the_priority_list_is_targeted_until_trained(world: Any) -> None:
    from yufang.injuries.services import case_create
    from yufang.tests.factories import HeadcountFactory

    city = world.people[Role.CITY_OFFICIAL]
    for year in (2023, 2024):
        HeadcountFactory(enterprise=world.enterprise, year=year, insured_headcount=20)
        HeadcountFactory(enterprise=world.other_enterprise, year=year, insured_headcount=400)
    for n in range(1, 4):
        case_create(
            actor=world.people[Role.ADMIN],
            data={
                "case_number": f"RS-2024-{n:05d}",
                "enterprise": world.enterprise,
                "person_name": f"张{n}",
                "id_number": id_number(100 + n),
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
            },
        )
    targets = sel.training_targets(city)
    first = targets[0]
    assert first.enterprise.pk == world.enterprise.pk
    assert first.priority_rank == 1
    attend(held_onsite(city, world.enterprise), [trainee(city, world.enterprise, 1)])
    assert world.enterprise.pk not in [t.enterprise.pk for t in sel.training_targets(city)]


def test_trainee_import_is_all_or_nothing_and_respects_scope(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from yufang.imports.models import ImportJob
    from yufang.imports.services import import_job_confirm, import_job_create
    from yufang.lib.spreadsheets import write_csv
    from yufang.training.models import Trainee

    manager = world.people[Role.SAFETY_MANAGER]
    header = ["统一社会信用代码", "姓名", "身份证号", "岗位"]
    bad = write_csv(
        header,
        [
            [world.enterprise.credit_code, "张三", id_number(1), "班组长"],
            [world.other_enterprise.credit_code, "李四", id_number(2), ""],
            [world.enterprise.credit_code, "王五", "370102199003071234", ""],
        ],
    )
    job = import_job_create(
        actor=manager, kind="training_trainees", upload=SimpleUploadedFile("t.csv", bad)
    )
    assert job.status == ImportJob.Status.INVALID
    assert {(e["row"], e["field"]) for e in job.errors} == {(3, "credit_code"), (4, "id_number")}
    good = write_csv(header, [[world.enterprise.credit_code, "张三", id_number(1), "班组长"]])
    job = import_job_create(
        actor=manager, kind="training_trainees", upload=SimpleUploadedFile("t.csv", good)
    )
    assert job.status == ImportJob.Status.PREVIEW
    assert not Trainee.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=manager, job=job)
    assert Trainee.objects.get().key_role == "team_leader"
