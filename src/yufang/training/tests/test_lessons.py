"""Class hours are earned by following a lesson for its length, measured by the server between
the page's heartbeats; exams can require the lessons or a session's attendance first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import Enrollment, Lesson
from yufang.training.tests.conftest import id_number, schedule

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_default_timezone())


def later(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


@pytest.fixture
def worker(world: Any) -> Any:
    user = world.people[Role.WORKER]
    svc.trainee_upsert(
        actor=user,
        name="工人甲",
        id_number=id_number(11),
        user=user,
        enterprise=world.enterprise,
        key_role="team_leader",
    )
    return user


@pytest.fixture
def course(staff: Any) -> Any:
    return svc.course_create(
        actor=staff, title="有限空间作业安全", topic="confined_space", class_hours=Decimal("4")
    )


@pytest.fixture
def lesson(staff: Any, course: Any) -> Lesson:
    return svc.lesson_add(
        actor=staff, course=course, title="第一课", kind="text", body="内容", minutes=1
    )


def beat(worker: Any, lesson: Lesson, at: float, position: float | None = None) -> Any:
    return svc.lesson_heartbeat(actor=worker, lesson=lesson, position=position, now=later(at))


def test_opening_a_lesson_earns_nothing(worker: Any, lesson: Lesson, course: Any) -> None:
    beat(worker, lesson, 0)
    with pytest.raises(svc.TrainingInvalid, match="0 of 1 minutes"):
        svc.lesson_complete(actor=worker, lesson=lesson)
    trainee = sel.trainee_for_user(worker)
    assert sel.completed_lessons(trainee, course) == set()
    assert sel.completed_course_ids([trainee.pk]) == {}  # no class hours: 4 hours in 3 s no more


def test_lesson_completes_after_its_length_of_beats(worker: Any, lesson: Lesson) -> None:
    for second in range(0, 60, 15):
        progress = beat(worker, lesson, second)
        assert progress.completed_at is None
    progress = beat(worker, lesson, 60)
    assert progress.seconds_followed == 60
    assert progress.completed_at == later(60)
    assert svc.lesson_complete(actor=worker, lesson=lesson).pk == progress.pk


def test_beats_sent_at_once_earn_nothing(worker: Any, lesson: Lesson) -> None:
    for _ in range(100):
        progress = beat(worker, lesson, 3)
    assert progress.seconds_followed == 0
    assert progress.completed_at is None


def test_a_long_gap_between_beats_is_credited_only_up_to_the_cap(
    worker: Any, lesson: Lesson
) -> None:
    beat(worker, lesson, 0)
    progress = beat(worker, lesson, 3600)  # the page was left closed for an hour
    assert progress.seconds_followed == svc.HEARTBEAT_CREDIT_MAX_SECONDS
    assert progress.completed_at is None


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 16


def test_a_video_counts_only_as_far_as_it_played_in_real_time(
    worker: Any, staff: Any, course: Any
) -> None:
    video = svc.lesson_add(
        actor=staff,
        course=course,
        title="视频课",
        kind="video",
        file=SimpleUploadedFile("a.mp4", MP4, content_type="video/mp4"),
        minutes=1,
    )
    beat(worker, video, 0, position=0)
    progress = beat(worker, video, 15, position=60)  # jumped to the end in 15 s
    assert progress.seconds_followed == 15
    assert progress.position_seconds == 15
    progress = beat(worker, video, 30, position=15)  # paused: the video did not move
    assert progress.seconds_followed == 15
    for second, position in ((45, 30), (60, 45), (75, 60)):
        progress = beat(worker, video, second, position=position)
    assert progress.completed_at is not None


@pytest.mark.parametrize("position", [-5, float("inf"), float("nan")])
def test_an_impossible_video_position_names_the_field(
    worker: Any, lesson: Lesson, position: float
) -> None:
    with pytest.raises(svc.TrainingInvalid) as exc:
        beat(worker, lesson, 0, position=position)
    assert "position" in exc.value.errors


def test_exam_requires_the_courses_lessons_first(
    worker: Any, staff: Any, course: Any, lesson: Lesson, bank: int
) -> None:
    exam = svc.exam_create(
        actor=staff, title="课后考试", true_false_count=2, course=course, requires_lessons=True
    )
    with pytest.raises(svc.TrainingInvalid, match="0 of 1 done") as exc:
        svc.exam_attempt_start(actor=worker, exam=exam)
    assert "exam" in exc.value.errors
    for second in range(0, 61, 15):
        beat(worker, lesson, second)
    assert svc.exam_attempt_start(actor=worker, exam=exam).pk


def test_exam_requirement_of_lessons_needs_a_course(staff: Any, bank: int) -> None:
    with pytest.raises(svc.TrainingInvalid) as exc:
        svc.exam_create(actor=staff, title="考试", true_false_count=1, requires_lessons=True)
    assert "requires_lessons" in exc.value.errors


def test_exam_requires_a_sessions_attendance_first(
    worker: Any, staff: Any, hall: Any, bank: int
) -> None:
    session = schedule(staff, hall, days=1)
    exam = svc.exam_create(
        actor=staff, title="体验后考试", true_false_count=2, required_session=session
    )
    with pytest.raises(svc.TrainingInvalid, match="Attend"):
        svc.exam_attempt_start(actor=worker, exam=exam)
    Enrollment.objects.create(
        session=session, trainee=sel.trainee_for_user(worker), checked_in_at=session.starts_at
    )
    assert svc.exam_attempt_start(actor=worker, exam=exam).pk


def test_the_lesson_page_does_not_complete_on_opening(
    client: Any, worker: Any, lesson: Lesson
) -> None:
    client.force_login(worker)
    html = client.get(f"/training/lessons/{lesson.pk}/").content.decode()
    assert "data-lesson-heartbeat" in html
    assert "学满 1 分钟" in html
    done = client.post(f"/training/lessons/{lesson.pk}/", follow=True)
    assert "已学习 0 分钟" in done.content.decode()
    trainee = sel.trainee_for_user(worker)
    assert sel.completed_lessons(trainee, lesson.course) == set()


def test_the_exam_page_says_what_it_requires_and_refuses_until_done(
    client: Any, worker: Any, staff: Any, course: Any, lesson: Lesson, bank: int
) -> None:
    exam = svc.exam_create(
        actor=staff, title="课后考试", true_false_count=2, course=course, requires_lessons=True
    )
    client.force_login(worker)
    page = f"/training/exams/{exam.pk}/"
    html = client.get(page).content.decode()
    assert "请先学完“有限空间作业安全”的全部课时" in html
    refused = client.submit(page, follow=True).content.decode()
    assert "已完成 0 / 1 课" in refused
