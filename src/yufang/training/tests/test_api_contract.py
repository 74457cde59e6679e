"""Contracts of the training API as an outside system calls it: a live server, httpx and a
bearer token (`api_client(user)`). Every write endpoint once with good input and once with bad
input (a 422 whose detail names the field); records outside the caller's scope are 404."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from yufang.accounts.models import Role
from yufang.lib.spreadsheets import write_csv
from yufang.tests.factories import persona
from yufang.training import services as svc
from yufang.training.models import Enrollment, Lesson, SessionKind, TrainingSession
from yufang.training.tests.conftest import id_number, schedule, today_whole, trainee

pytestmark = pytest.mark.django_db(transaction=True)


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def refused(response: Any, field: str) -> None:
    """A 422 whose detail names the field (in the location or, for rows, the row's key)."""
    assert response.status_code == 422, response.text
    locations = [[str(p) for p in d["loc"]] for d in response.json()["detail"]]
    assert any(field in loc for loc in locations), locations


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def today_session(staff: Any, hall: Any) -> TrainingSession:
    return svc.session_schedule(
        actor=staff,
        data=svc.SessionFields(
            kind=SessionKind.HALL,
            title="综合安全体验",
            topic="fire",
            trainer="今日老师",
            starts_at=today_whole()[0],
            ends_at=today_whole()[1],
            class_hours=Decimal("4"),
            hall=hall,
            capacity=hall.capacity,
        ),
    )


def test_institution_writes_bases_sessions_courses_bank_exams_materials(
    api_client: Any, world: Any, staff: Any, bank: int
) -> None:
    api = api_client(staff)
    refused(api.post("/training/bases", json={"name": "基地", "city": "999999"}), "city")
    base = ok(api.post("/training/bases", json={"name": "青岛实训基地", "city": "370200"}), 201)
    refused(
        api.post(
            f"/training/bases/{base['id']}/halls",
            json={"name": "消防馆", "topic": "fire", "capacity": 0},
        ),
        "capacity",
    )
    hall = ok(
        api.post(
            f"/training/bases/{base['id']}/halls",
            json={"name": "消防馆", "topic": "fire", "capacity": 30},
        ),
        201,
    )
    start = timezone.localtime() + dt.timedelta(days=2)
    session = {
        "kind": "hall",
        "title": "消防安全体验",
        "topic": "fire",
        "trainer": "王老师",
        "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=3)).isoformat(),
        "class_hours": "3",
        "hall_id": hall["id"],
    }
    refused(
        api.post("/training/sessions", json={**session, "ends_at": start.isoformat()}), "ends_at"
    )
    created = ok(api.post("/training/sessions", json=session), 201)
    sid = created["id"]
    refused(
        api.post(
            f"/training/sessions/{sid}/photos",
            files={"image": ("a.txt", b"not a picture", "text/plain")},
        ),
        "image",
    )
    ok(
        api.post(
            f"/training/sessions/{sid}/photos",
            files={"image": ("a.png", png(), "image/png")},
            data={"caption": "现场"},
        ),
        201,
    )
    refused(api.post(f"/training/sessions/{sid}/cancel", json={"reason": " "}), "reason")
    assert (
        ok(api.post(f"/training/sessions/{sid}/cancel", json={"reason": "讲师生病"}))["status"]
        == "cancelled"
    )

    course_in = {"title": "有限空间", "topic": "confined_space", "class_hours": "2"}
    refused(api.post("/training/courses", json={**course_in, "title": ""}), "title")
    course = ok(api.post("/training/courses", json=course_in), 201)
    refused(
        api.post(
            f"/training/courses/{course['id']}/lessons", data={"title": "视频", "kind": "video"}
        ),
        "file",
    )
    lesson = ok(
        api.post(
            f"/training/courses/{course['id']}/lessons",
            data={"title": "第一课", "kind": "text", "body": "内容", "minutes": "5"},
        ),
        201,
    )
    assert lesson["minutes"] == 5

    question = {
        "topic": "fire",
        "type": "single",
        "stem": "灭火器压力表指针在哪个区域表示正常？",
        "options": [{"key": "A", "text": "红区"}, {"key": "B", "text": "绿区"}],
        "answer": ["B"],
    }
    refused(api.post("/training/questions", json={**question, "answer": ["Z"]}), "answer")
    q = ok(api.post("/training/questions", json=question), 201)
    refused(
        api.put(
            f"/training/questions/{q['id']}", json={**question, "options": question["options"][:1]}
        ),
        "options",
    )
    assert (
        ok(api.put(f"/training/questions/{q['id']}", json={**question, "stem": "改过的题干"}))[
            "stem"
        ]
        == "改过的题干"
    )

    refused(api.post("/training/exams", json={"title": "考试"}), "single_count")
    refused(
        api.post(
            "/training/exams", json={"title": "考试", "true_false_count": 1, "course_id": 99999}
        ),
        "course_id",
    )
    exam = ok(
        api.post(
            "/training/exams",
            json={
                "title": "课后考试",
                "true_false_count": 2,
                "course_id": course["id"],
                "requires_lessons": True,
            },
        ),
        201,
    )
    assert exam["id"]

    refused(
        api.post(
            "/training/materials",
            data={"title": "教材", "kind": "poster", "topic": "fire"},
            files={"file": ("b.pdf", b"%PDF-1.4", "application/pdf")},
        ),
        "kind",
    )
    ok(
        api.post(
            "/training/materials",
            data={"title": "教材", "kind": "textbook", "topic": "fire"},
            files={"file": ("b.pdf", b"%PDF-1.4", "application/pdf")},
        ),
        201,
    )


def test_booking_and_check_in_of_a_group(
    api_client: Any, world: Any, staff: Any, hall: Any
) -> None:
    hall.capacity = 10
    hall.save()
    session = today_session(staff, hall)
    sid = session.pk
    manager = api_client(world.people[Role.SAFETY_MANAGER])
    worker_user = world.people[Role.WORKER]
    worker = api_client(worker_user)
    desk = api_client(staff)

    refused(
        manager.post(
            f"/training/sessions/{sid}/book",
            json={"people": [{"name": "张三", "id_number": "370211"}]},
        ),
        "row 2 id_number",
    )
    booked = ok(
        manager.post(
            f"/training/sessions/{sid}/book",
            json={
                "people": [
                    {"name": "张三", "id_number": id_number(1), "key_role": "焊工"},
                    {"name": "李四", "id_number": "bad"},
                ],
                "partial": True,
            },
        )
    )
    assert len(booked["booked"]) == 1
    assert booked["skipped"][0]["row"] == 3

    refused(
        manager.post(
            f"/training/sessions/{sid}/roster",
            files={"file": ("r.csv", write_csv(["名字"], [["张三"]]), "text/csv")},
        ),
        "file",
    )
    roster = write_csv(
        ["姓名", "身份证号", "岗位"],
        [["王五", id_number(3), "叉车司机"], ["赵六", id_number(4), "班组长"]],
    )
    ok(
        manager.post(
            f"/training/sessions/{sid}/roster", files={"file": ("r.csv", roster, "text/csv")}
        )
    )
    template = manager.get("/training/roster-template?format=csv")
    assert template.status_code == 200 and template.content.decode("utf-8-sig").startswith("姓名")

    refused(
        worker.post(f"/training/sessions/{sid}/sign-up", json={"id_number": "123"}), "id_number"
    )
    mine = ok(
        worker.post(f"/training/sessions/{sid}/sign-up", json={"id_number": id_number(9)}), 201
    )

    group = Enrollment.objects.filter(session_id=sid, enterprise=world.enterprise)
    first, second, third = list(group.order_by("id"))
    refused(
        desk.post(f"/training/sessions/{sid}/check-in", json={"enrollment_ids": []}),
        "enrollment_ids",
    )
    many = ok(desk.post(f"/training/sessions/{sid}/check-in", json={"enrollment_ids": [first.pk]}))
    assert many["checked_in"] == [first.pk]
    refused(desk.post(f"/training/enrollments/{first.pk}/check-in"), "enrollment")
    assert ok(desk.post(f"/training/enrollments/{second.pk}/check-in"))["checked_in_at"]

    refused(manager.post(f"/training/enrollments/{second.pk}/cancel"), "enrollment")
    assert ok(manager.post(f"/training/enrollments/{third.pk}/cancel"))["status"] == "cancelled"

    refused(desk.post("/training/check-in", json={"token": "forged"}), "token")
    code = ok(worker.get(f"/training/enrollments/{mine['id']}/check-in-code"))
    assert ok(desk.post("/training/check-in", json={"token": code["token"]}))["checked_in_at"]

    refused(worker.post(f"/training/sessions/{sid}/feedback", json={"rating": 9}), "rating")
    ok(worker.post(f"/training/sessions/{sid}/feedback", json={"rating": 5}), 201)


def test_scanning_the_session_code_and_the_group_code(
    api_client: Any, world: Any, staff: Any, hall: Any
) -> None:
    hall.capacity = 10
    hall.save()
    session = today_session(staff, hall)
    admin = world.people[Role.ADMIN]
    worker_user = world.people[Role.WORKER]
    me = trainee(admin, world.enterprise, 1, user=worker_user)
    people = [trainee(admin, world.enterprise, n) for n in (2, 3, 4)]
    svc.enrollment_book_group(
        actor=admin, session=session, enterprise=world.enterprise, trainees=people
    )
    Enrollment.objects.create(session=session, trainee=me)
    worker = api_client(worker_user)
    desk = api_client(staff)
    manager = api_client(world.people[Role.SAFETY_MANAGER])

    session_code = ok(desk.get(f"/training/sessions/{session.pk}/check-in-code"))
    refused(worker.post("/training/check-in/session", json={"token": "forged"}), "token")
    assert ok(worker.post("/training/check-in/session", json={"token": session_code["token"]}))[
        "checked_in_at"
    ]

    group = ok(manager.get(f"/training/sessions/{session.pk}/group-code"))
    refused(desk.post("/training/check-in/group", json={"token": group["token"] + "x"}), "token")
    done = ok(desk.post("/training/check-in/group", json={"token": group["token"]}))
    assert len(done["checked_in"]) == 3
    refused(desk.post("/training/check-in/group", json={"token": group["token"]}), "token")


def test_learning_exams_and_certificates(
    api_client: Any, world: Any, staff: Any, hall: Any, bank: int
) -> None:
    worker_user = world.people[Role.WORKER]
    svc.trainee_upsert(actor=worker_user, name="工人", id_number=id_number(8), user=worker_user)
    course = svc.course_create(actor=staff, title="课程", topic="fire", class_hours=Decimal("1"))
    lesson = svc.lesson_add(
        actor=staff, course=course, title="一课", kind="text", body="文", minutes=1
    )
    worker = api_client(worker_user)

    refused(
        worker.post(f"/training/lessons/{lesson.pk}/heartbeat", json={"position": -1}), "position"
    )
    beat = ok(worker.post(f"/training/lessons/{lesson.pk}/heartbeat", json={}))
    assert beat == {"seconds_followed": 0, "required_seconds": 60, "completed": False}
    refused(worker.post(f"/training/lessons/{lesson.pk}/complete"), "lesson")
    start = timezone.now()
    for second in range(15, 76, 15):
        svc.lesson_heartbeat(
            actor=worker_user,
            lesson=Lesson.objects.get(pk=lesson.pk),
            now=start + dt.timedelta(seconds=second),
        )
    assert ok(worker.post(f"/training/lessons/{lesson.pk}/complete"))["completed"] is True

    gated = svc.exam_create(
        actor=staff, title="须先参加", true_false_count=1, required_session=schedule(staff, hall)
    )
    refused(worker.post(f"/training/exams/{gated.pk}/attempts"), "exam")
    exam = svc.exam_create(
        actor=staff, title="考试", true_false_count=2, course=course, requires_lessons=True
    )
    attempt = ok(worker.post(f"/training/exams/{exam.pk}/attempts"), 201)
    refused(
        worker.post(f"/training/attempts/{attempt['id']}/submit", json={"answers": "all right"}),
        "answers",
    )
    from yufang.training.models import ExamAttempt

    items = ExamAttempt.objects.get(pk=attempt["id"]).items.select_related("question")
    answers = [{"question_id": i.question_id, "chosen": i.question.answer} for i in items]
    result = ok(
        worker.post(f"/training/attempts/{attempt['id']}/submit", json={"answers": answers})
    )
    assert result["passed"] is True
    refused(
        worker.post(f"/training/attempts/{attempt['id']}/submit", json={"answers": answers}),
        "attempt",
    )

    certificate = ExamAttempt.objects.get(pk=attempt["id"]).certificate
    desk = api_client(staff)
    refused(
        desk.post(f"/training/certificates/{certificate.pk}/revoke", json={"reason": ""}), "reason"
    )
    assert (
        ok(
            desk.post(
                f"/training/certificates/{certificate.pk}/revoke", json={"reason": "冒名顶替"}
            )
        )["status"]
        == "revoked"
    )


def test_campaigns_and_their_links(api_client: Any, world: Any) -> None:
    city = api_client(world.people[Role.CITY_OFFICIAL])
    today = timezone.localdate()
    campaign = {
        "name": "百企万人",
        "region": "370200",
        "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=90)).isoformat(),
        "target_enterprises": 100,
        "target_person_times": 10000,
    }
    refused(
        city.post(
            "/training/campaigns",
            json={**campaign, "ends_on": (today - dt.timedelta(days=1)).isoformat()},
        ),
        "ends_on",
    )
    made = ok(city.post("/training/campaigns", json=campaign), 201)
    refused(
        city.post(
            f"/training/campaigns/{made['id']}/links", json={"enterprise_credit_codes": ["NOPE"]}
        ),
        "enterprise_credit_codes",
    )
    linked = ok(
        city.post(
            f"/training/campaigns/{made['id']}/links",
            json={"enterprise_credit_codes": [world.enterprise.credit_code]},
        )
    )
    assert linked["person_times"] == 0


def test_records_outside_the_scope_are_absent_and_404(
    api_client: Any, world: Any, staff: Any, hall: Any
) -> None:
    admin = world.people[Role.ADMIN]
    qingdao = schedule(staff, hall, days=1)
    enrollment = svc.enrollment_book_group(
        actor=admin,
        session=qingdao,
        enterprise=world.enterprise,
        trainees=[trainee(admin, world.enterprise, 1)],
    ).first()
    jinan = api_client(world.jinan_city_official)
    assert jinan.get(f"/training/sessions/{qingdao.pk}").status_code == 404
    assert qingdao.pk not in [s["id"] for s in ok(jinan.get("/training/sessions"))["items"]]
    assert (
        jinan.post(f"/training/sessions/{qingdao.pk}/cancel", json={"reason": "x"}).status_code
        == 404
    )
    assert jinan.post(f"/training/enrollments/{enrollment.pk}/check-in").status_code == 404
    assert (
        jinan.post(
            f"/training/sessions/{qingdao.pk}/check-in", json={"enrollment_ids": [enrollment.pk]}
        ).status_code
        == 404
    )
    other_grid = api_client(persona(Role.GRID_WORKER, grid=world.other_grid))
    assert other_grid.get(f"/training/sessions/{qingdao.pk}").status_code == 404
    county = api_client(world.people[Role.COUNTY_OFFICIAL])
    assert ok(county.get(f"/training/sessions/{qingdao.pk}"))["id"] == qingdao.pk
