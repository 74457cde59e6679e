"""Courses, lessons and progress."""

from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Schema, Status, UploadedFile

from yufang.support.bounds import Code, Name, paginated
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.api.common import (
    router,
)
from yufang.training.api.schemas import (
    CourseDetailOut,
    CourseIn,
    CourseOut,
    LessonOut,
)


@router.get("/courses", response=list[CourseOut])
@paginated(50)
def courses(request: HttpRequest, topic: Code = ""):  # type: ignore[no-untyped-def]
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
    title: Form[Name],
    kind: Form[Code],
    body: str = Form("", max_length=20000),
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
