from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.lib.spreadsheets import write_csv
from yufang.training import services as svc
from yufang.training.models import Certificate, Enrollment, Lesson, Question, Trainee
from yufang.training.tests.conftest import id_number, schedule, trainee

pytestmark = pytest.mark.django_db

PAGES = [
    "/training/",
    "/training/sessions/",
    "/training/sessions/?upcoming=1&topic=fire",
    "/training/mine/",
    "/training/bases/",
    "/training/courses/",
    "/training/exams/",
    "/training/certificates/",
    "/training/certificates/?expiring=1",
    "/training/campaigns/",
    "/training/materials/",
    "/training/statistics/",
    "/training/statistics/?by=month",
    "/training/statistics/?by=base",
    "/training/statistics/?by=topic",
]


@pytest.mark.parametrize(
    "role",
    [
        Role.PROVINCE_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.INSTITUTION_STAFF,
        Role.SAFETY_MANAGER,
        Role.WORKER,
        Role.AUDITOR,
    ],
)
def test_every_training_page_opens_for_each_role(
    client: Any, world: Any, hall: Any, staff: Any, role: str
) -> None:
    schedule(staff, hall)
    client.force_login(world.people[role])
    for url in PAGES:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(
    "role", [Role.PROVINCE_OFFICIAL, Role.COUNTY_OFFICIAL, Role.INSTITUTION_STAFF]
)
def test_staff_pages_open(client: Any, world: Any, bank: int, role: str) -> None:
    client.force_login(world.people[role])
    for url in [
        "/training/trainees/",
        "/training/questions/",
        "/training/targeting/",
        "/training/questions/new/",
    ]:
        assert client.get(url).status_code == 200, url


def test_session_pages_and_exports(client: Any, world: Any, hall: Any, staff: Any) -> None:
    session = schedule(staff, hall)
    client.force_login(staff)
    page = client.get(f"/training/sessions/{session.pk}/")
    assert page.status_code == 200
    assert "消防安全体验" in page.content.decode()
    export = client.get("/training/sessions/?export=xlsx")
    assert export.content.startswith(b"PK")
    assert client.get("/training/statistics/?export=xlsx").content.startswith(b"PK")
    client.force_login(world.jinan_city_official)
    assert client.get(f"/training/sessions/{session.pk}/").status_code == 404


def test_staff_schedule_a_session_through_the_form(
    client: Any, world: Any, hall: Any, staff: Any
) -> None:
    client.force_login(staff)
    day = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()
    data = {
        "kind": "hall",
        "title": "机械伤害体验",
        "topic": "machinery",
        "hall": hall.pk,
        "trainer": "赵老师",
        "starts_at": f"{day}T09:00",
        "ends_at": f"{day}T12:00",
        "class_hours": "3",
    }
    response = client.submit("/training/sessions/new/", data)
    assert response.status_code == 302
    again = client.submit("/training/sessions/new/", {**data, "trainer": "钱老师"})
    assert again.status_code == 200
    assert "The hall is booked" in again.content.decode() or "体验馆" in again.content.decode()


def test_manager_uploads_a_roster_with_errors_and_sees_the_row(
    client: Any, world: Any, hall: Any, staff: Any
) -> None:
    session = schedule(staff, hall)
    client.force_login(world.people[Role.SAFETY_MANAGER])
    roster = io.BytesIO(write_csv(["姓名", "身份证号"], [["张三", "123"]]))
    roster.name = "roster.csv"
    response = client.submit(
        f"/training/sessions/{session.pk}/",
        {"roster": roster},
        action=f"/training/sessions/{session.pk}/book/",
        follow=True,
    )
    assert "roster-errors" in response.content.decode()
    assert not Enrollment.objects.exists()
    good = io.BytesIO(write_csv(["姓名", "身份证号"], [["张三", id_number(1)]]))
    good.name = "roster.csv"
    client.submit(
        f"/training/sessions/{session.pk}/",
        {"roster": good},
        action=f"/training/sessions/{session.pk}/book/",
    )
    assert Enrollment.objects.filter(status="booked").count() == 1


def test_worker_signs_up_and_sees_their_check_in_code(
    client: Any, world: Any, hall: Any, staff: Any
) -> None:
    session = schedule(staff, hall)
    worker = world.people[Role.WORKER]
    client.force_login(worker)
    client.submit(
        f"/training/sessions/{session.pk}/",
        {"id_number": id_number(5)},
        action=f"/training/sessions/{session.pk}/sign-up/",
    )
    enrollment = Enrollment.objects.get()
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert f"/training/enrollments/{enrollment.pk}/qr.png" in page
    qr = client.get(f"/training/enrollments/{enrollment.pk}/qr.png")
    assert qr["Content-Type"] == "image/png"


def test_staff_and_officials_see_the_id_number_masked(
    client: Any, world: Any, hall: Any, staff: Any
) -> None:
    """Never in full on a page (docs/security.md, "Personal data"); staff check identity
    against the person's card, and check-in matches the digest of a number typed in."""
    manager = world.people[Role.SAFETY_MANAGER]
    session = schedule(staff, hall)
    person = trainee(manager, world.enterprise, 1)
    svc.enrollment_book_group(
        actor=manager, session=session, enterprise=world.enterprise, trainees=[person]
    )
    client.force_login(staff)
    body = client.get(f"/training/trainees/{person.pk}/").content.decode()
    assert id_number(1) not in body
    assert person.id_masked in body
    client.force_login(world.people[Role.CITY_OFFICIAL])
    body = client.get(f"/training/trainees/{person.pk}/").content.decode()
    assert id_number(1) not in body
    assert person.id_masked in body


def test_api_books_checks_in_and_refuses_double_check_in(
    client: Any, world: Any, hall: Any, staff: Any
) -> None:
    from decimal import Decimal

    from yufang.training.models import SessionKind

    day = timezone.localdate()
    session = svc.session_schedule(
        actor=staff,
        data=svc.SessionFields(
            kind=SessionKind.HALL,
            title="今日",
            topic="fire",
            trainer="甲",
            starts_at=timezone.make_aware(
                timezone.datetime.combine(day, timezone.datetime.min.time())
            )
            + timezone.timedelta(minutes=1),
            ends_at=timezone.make_aware(
                timezone.datetime.combine(day, timezone.datetime.max.time().replace(microsecond=0))
            ),
            class_hours=Decimal("2"),
            hall=hall,
        ),
    )
    client.force_login(world.people[Role.SAFETY_MANAGER])
    booked = client.post(
        f"/api/v1/training/sessions/{session.pk}/book",
        {
            "people": [
                {"name": "张三", "id_number": id_number(1)},
                {"name": "李四", "id_number": "bad"},
            ]
        },
        content_type="application/json",
    )
    assert booked.status_code == 422
    assert "row 3" in booked.json()["detail"][0]["loc"][1]
    booked = client.post(
        f"/api/v1/training/sessions/{session.pk}/book",
        {"people": [{"name": "张三", "id_number": id_number(1), "key_role": "班组长"}]},
        content_type="application/json",
    )
    assert booked.status_code == 200, booked.content
    enrollment_id = booked.json()["booked"][0]
    token = client.get(f"/api/v1/training/enrollments/{enrollment_id}/check-in-code").json()[
        "token"
    ]
    client.force_login(staff)
    assert (
        client.post(
            "/api/v1/training/check-in", {"token": token}, content_type="application/json"
        ).status_code
        == 200
    )
    again = client.post(
        "/api/v1/training/check-in", {"token": token}, content_type="application/json"
    )
    assert again.status_code == 422
    card = client.get("/api/v1/training/card").json()
    assert card["person_times_total"] == 1
    stats = client.get("/api/v1/training/statistics?by=city").json()
    assert stats[0]["person_times"] == 1


def test_api_exam_flow_and_public_verification(
    client: Any, world: Any, bank: int, staff: Any
) -> None:
    client.force_login(staff)
    exam = client.post(
        "/api/v1/training/exams",
        {
            "title": "考试",
            "single_count": 3,
            "true_false_count": 2,
            "pass_mark": 60,
            "time_limit_minutes": 10,
            "max_attempts": 1,
        },
        content_type="application/json",
    )
    assert exam.status_code == 201, exam.content
    exam_id = exam.json()["id"]
    worker = world.people[Role.WORKER]
    Trainee.objects.create(
        name="工人", id_digest="x" * 64, id_masked="370211********0011", user=worker
    )
    client.force_login(worker)
    attempt = client.post(f"/api/v1/training/exams/{exam_id}/attempts").json()
    assert len(attempt["items"]) == 5
    assert all(i["correct"] is None for i in attempt["items"])
    answers = [
        {
            "question_id": i["question_id"],
            "chosen": Question.objects.get(pk=i["question_id"]).answer,
        }
        for i in attempt["items"]
    ]
    done = client.post(
        f"/api/v1/training/attempts/{attempt['id']}/submit",
        {"answers": answers},
        content_type="application/json",
    ).json()
    assert done["passed"] is True
    code = Certificate.objects.get(pk=done["certificate_id"]).code
    client.logout()
    verified = client.get(f"/api/v1/training/certificates/verify/{code}")
    assert verified.status_code == 200
    assert verified.json()["status"] == "valid"
    assert verified.json()["name"] == "工**"
    assert client.get("/api/v1/training/certificates").status_code == 401
    client.force_login(staff)
    results = client.get(f"/api/v1/training/exams/{exam_id}/results").json()
    assert results["passed"] == 1
    assert len(results["items"]) == 5
    assert (
        results["items"][0]["difficulty"] == "100.0"
        or float(results["items"][0]["difficulty"]) == 100
    )


def test_api_lists_for_each_area(client: Any, world: Any, bank: int, hall: Any, staff: Any) -> None:
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    for url in [
        "/api/v1/training/bases",
        f"/api/v1/training/bases/{hall.base_id}/halls",
        "/api/v1/training/sessions",
        "/api/v1/training/enrollments",
        "/api/v1/training/trainees",
        "/api/v1/training/courses",
        "/api/v1/training/questions?topic=fire",
        "/api/v1/training/question-statistics",
        "/api/v1/training/exams",
        "/api/v1/training/certificates?expiring=true",
        "/api/v1/training/campaigns",
        "/api/v1/training/targeting",
        "/api/v1/training/recommendations?topics=fire",
        "/api/v1/training/key-people",
        "/api/v1/training/materials",
        "/api/v1/training/feedback/scores",
        "/api/v1/training/statistics?by=month",
    ]:
        assert client.get(url).status_code == 200, url


def test_api_campaign_with_progress(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.CITY_OFFICIAL])
    today = timezone.localdate().isoformat()
    created = client.post(
        "/api/v1/training/campaigns",
        {
            "name": "百企万人",
            "region": "370200",
            "starts_on": today,
            "ends_on": today,
            "target_enterprises": 100,
            "target_person_times": 10000,
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    campaign_id = created.json()["id"]
    linked = client.post(
        f"/api/v1/training/campaigns/{campaign_id}/links",
        {"enterprise_credit_codes": [world.enterprise.credit_code]},
        content_type="application/json",
    )
    assert linked.status_code == 200
    assert linked.json()["by_city"][0]["target_enterprises"] == 1
    refused = client.post(
        f"/api/v1/training/campaigns/{campaign_id}/links",
        {"enterprise_credit_codes": [world.jinan_enterprise.credit_code]},
        content_type="application/json",
    )
    assert refused.status_code == 422


def test_api_bases_halls_and_double_booking(client: Any, world: Any, staff: Any) -> None:
    client.force_login(staff)
    base = client.post(
        "/api/v1/training/bases",
        {"name": "基地", "city": "370200"},
        content_type="application/json",
    )
    assert base.status_code == 201
    hall = client.post(
        f"/api/v1/training/bases/{base.json()['id']}/halls",
        {"name": "道路交通体验馆", "topic": "road_transport", "capacity": 30},
        content_type="application/json",
    )
    assert hall.status_code == 201
    day = (timezone.localdate() + timezone.timedelta(days=2)).isoformat()
    payload = {
        "kind": "hall",
        "title": "交通",
        "topic": "road_transport",
        "trainer": "甲",
        "hall_id": hall.json()["id"],
        "starts_at": f"{day}T09:00:00+08:00",
        "ends_at": f"{day}T11:00:00+08:00",
        "class_hours": "2",
    }
    assert (
        client.post(
            "/api/v1/training/sessions", payload, content_type="application/json"
        ).status_code
        == 201
    )
    clash = client.post(
        "/api/v1/training/sessions", {**payload, "trainer": "乙"}, content_type="application/json"
    )
    assert clash.status_code == 422
    assert clash.json()["detail"][0]["loc"] == ["body", "hall"]


def test_api_course_lessons_progress_and_materials(client: Any, world: Any, staff: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(staff)
    course = client.post(
        "/api/v1/training/courses",
        {"title": "有限空间作业安全", "topic": "confined_space", "class_hours": "4"},
        content_type="application/json",
    )
    assert course.status_code == 201
    course_id = course.json()["id"]
    lesson = client.post(
        f"/api/v1/training/courses/{course_id}/lessons",
        {"title": "先通风再检测", "kind": "text", "body": "先通风、再检测、后作业。"},
    )
    assert lesson.status_code == 201, lesson.content
    refused = client.post(
        f"/api/v1/training/courses/{course_id}/lessons", {"title": "视频", "kind": "video"}
    )
    assert refused.status_code == 422
    material = client.post(
        "/api/v1/training/materials",
        {
            "title": "危险化学品安全教材",
            "kind": "textbook",
            "topic": "chemicals",
            "file": SimpleUploadedFile("book.pdf", b"%PDF-1.4 demo"),
        },
    )
    assert material.status_code == 201, material.content
    download = client.get(material.json()["download_url"])
    assert b"".join(download.streaming_content) == b"%PDF-1.4 demo"
    assert client.get("/api/v1/training/materials").json()["items"][0]["download_count"] == 1

    worker = world.people[Role.WORKER]
    svc.trainee_upsert(actor=worker, name="工人", id_number=id_number(8), user=worker)
    client.force_login(worker)
    refused = client.post(f"/api/v1/training/lessons/{lesson.json()['id']}/complete")
    assert refused.status_code == 422  # opened, not followed: no class hours yet
    assert refused.json()["detail"][0]["loc"] == ["body", "lesson"]
    lesson_row = Lesson.objects.get(pk=lesson.json()["id"])
    start = timezone.now()
    for second in range(0, lesson_row.minutes * 60 + 1, 15):
        svc.lesson_heartbeat(
            actor=worker, lesson=lesson_row, now=start + dt.timedelta(seconds=second)
        )
    done = client.post(f"/api/v1/training/lessons/{lesson.json()['id']}/complete")
    assert done.json()["completed"] is True
    detail = client.get(f"/api/v1/training/courses/{course_id}").json()
    assert detail["lessons"][0]["completed"] is True


def test_api_cancel_promotes_waitlist_and_session_cancel(
    client: Any, world: Any, hall: Any, staff: Any
) -> None:
    session = schedule(staff, hall)
    manager = world.people[Role.SAFETY_MANAGER]
    people = [trainee(manager, world.enterprise, n) for n in range(4)]
    client.force_login(manager)
    booked = client.post(
        f"/api/v1/training/sessions/{session.pk}/book",
        {"trainee_ids": [p.pk for p in people]},
        content_type="application/json",
    ).json()
    assert len(booked["booked"]) == 3
    assert len(booked["waitlisted"]) == 1
    cancelled = client.post(f"/api/v1/training/enrollments/{booked['booked'][0]}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    assert Enrollment.objects.get(pk=booked["waitlisted"][0]).status == "booked"
    client.force_login(staff)
    gone = client.post(
        f"/api/v1/training/sessions/{session.pk}/cancel",
        {"reason": "场馆检修"},
        content_type="application/json",
    )
    assert gone.json()["status"] == "cancelled"
    assert not Enrollment.objects.exclude(status="cancelled").exists()
    assert client.get(f"/api/v1/training/sessions/{session.pk}/check-in-code").status_code == 200


def test_the_province_edits_a_bank_question_through_the_form(
    client: Any, world: Any, bank: int
) -> None:
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    question = Question.objects.get(code="Q001")
    bad = client.submit(
        f"/training/questions/{question.pk}/",
        {
            "topic": "injury_insurance",
            "type": "single",
            "stem": "谁缴纳？",
            "options": "A. 职工\nB. 单位",
            "answer": "C",
        },
    )
    assert bad.status_code == 200
    assert "form-errors" in bad.content.decode()
    good = client.submit(
        f"/training/questions/{question.pk}/",
        {
            "topic": "injury_insurance",
            "type": "single",
            "stem": "谁缴纳？",
            "options": "A. 职工\nB. 单位",
            "answer": "B",
        },
    )
    assert good.status_code == 302
    question.refresh_from_db()
    assert question.options == [{"key": "A", "text": "职工"}, {"key": "B", "text": "单位"}]


def test_home_to_dos_list_upcoming_sessions_for_the_safety_manager(
    world: Any, hall: Any, staff: Any
) -> None:
    from yufang.support.todos import todos_for

    manager = world.people[Role.SAFETY_MANAGER]
    session = schedule(staff, hall, days=2)
    svc.enrollment_book_group(
        actor=manager,
        session=session,
        enterprise=world.enterprise,
        trainees=[trainee(manager, world.enterprise, 1)],
    )
    texts = [str(t.text) for t in todos_for(manager)]
    assert any("next 7 days" in t or "7 天" in t for t in texts)
