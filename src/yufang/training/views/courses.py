"""Courses and lessons, and the files of lessons and session photos (served after a scope check)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping.training import may_create_courses
from yufang.lib.errors import InvalidInput
from yufang.support.http import private_file_response
from yufang.support.topics import Topic
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import (
    Lesson,
)
from yufang.training.views.common import (
    RUNNERS,
    _attempt,
    _decimal,
    _int,
    _page,
)


@login_required
def courses_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        if not may_create_courses(user):
            raise PermissionDenied(_("Your role cannot create courses."))
        errors = _attempt(
            request,
            lambda: svc.course_create(
                actor=user,
                title=request.POST.get("title", ""),
                topic=request.POST.get("topic", ""),
                class_hours=_decimal(request.POST.get("class_hours"), "class_hours"),
                description=request.POST.get("description", ""),
            ),
            reverse("training:courses"),
        )
        if isinstance(errors, HttpResponse):
            return errors
    qs = sel.courses_visible(user)
    topic = request.GET.get("topic", "")
    if topic:
        qs = qs.filter(topic=topic)
    return render(
        request,
        "training/courses.html",
        {
            "page_obj": _page(request, qs),
            "errors": errors,
            "topics": Topic.choices,
            "topic": topic,
            "may_create": user.role in RUNNERS,
        },
    )


@login_required
def course(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    course = sel.course_get(user, pk)
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        errors = _attempt(
            request,
            lambda: svc.lesson_add(
                actor=user,
                course=course,
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", ""),
                body=request.POST.get("body", ""),
                file=request.FILES.get("file"),
                minutes=_int(request.POST.get("minutes")) or 0,
            ),
            reverse("training:course", args=[pk]),
        )
        if isinstance(errors, HttpResponse):
            return errors
    trainee = sel.trainee_for_user(user)
    done = sel.completed_lessons(trainee, course)
    lessons = list(course.lessons.all())
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "lessons": lessons,
            "done": done,
            "done_count": len(done),
            "errors": errors,
            "kinds": Lesson.Kind.choices,
            "may_edit": user.role in RUNNERS,
            "learners": sel.course_progress_of(user, course)[:50] if user.role in RUNNERS else [],
            "exams": sel.exams_visible(user).filter(course=course),
        },
    )


def _lesson_of(request: AuthedRequest, pk: int) -> Lesson:
    return sel.lesson_get(request.user, pk)


def _upload_response(path: str, *, download: bool = False) -> HttpResponseBase:
    """A training upload, after the view's scope check, under the type its content was found
    to be when uploaded (`svc.upload_check`)."""
    response = private_file_response(path)
    ext = path.rsplit(".", 1)[-1].lower() if "." in path else ""
    if ext in svc.UPLOAD_CONTENT_TYPES:
        response["Content-Type"] = svc.UPLOAD_CONTENT_TYPES[ext]
    if download:
        name = path.rsplit("/", 1)[-1].split("-", 1)[-1]
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def lesson_file(request: AuthedRequest, pk: int) -> HttpResponseBase:
    lesson = sel.lesson_get(request.user, pk)
    if not lesson.file:
        raise Http404
    return _upload_response(lesson.file)


@login_required
def photo(request: AuthedRequest, pk: int) -> HttpResponseBase:
    return _upload_response(sel.session_photo_get(request.user, pk).image)


def _progress_json(lesson: Lesson, progress: Any) -> dict[str, Any]:
    followed = progress.seconds_followed if progress is not None else 0
    return {
        "seconds_followed": followed,
        "required_seconds": svc.lesson_required_seconds(lesson),
        "completed": progress is not None and progress.completed_at is not None,
    }


@login_required
def lesson(request: AuthedRequest, pk: int) -> HttpResponse:
    lesson = _lesson_of(request, pk)
    if request.method == "POST":
        try:
            svc.lesson_complete(actor=request.user, lesson=lesson)
        except InvalidInput as exc:
            messages.error(request, exc.message)
            return redirect("training:lesson", pk=pk)
        messages.success(request, _("Lesson completed."))
        return redirect("training:course", pk=lesson.course_id)
    trainee = sel.trainee_for_user(request.user)
    progress = sel.lesson_progress(trainee, lesson)
    return render(
        request,
        "training/lesson.html",
        {
            "lesson": lesson,
            "trainee": trainee,
            "progress": _progress_json(lesson, progress),
            "done": progress is not None and progress.completed_at is not None,
            "beat_seconds": svc.HEARTBEAT_SECONDS,
        },
    )


@login_required
@require_POST
def lesson_heartbeat(request: AuthedRequest, pk: int) -> HttpResponse:
    """The open lesson page's beat (JSON): the server measures the time between beats."""
    from django.http import JsonResponse

    lesson = _lesson_of(request, pk)
    raw = request.POST.get("position", "")
    try:
        position = float(raw) if raw else None
        progress = svc.lesson_heartbeat(actor=request.user, lesson=lesson, position=position)
    except InvalidInput as exc:
        return JsonResponse({"detail": exc.errors}, status=422)
    except ValueError:
        message = _("The video position must be zero or more seconds.")
        return JsonResponse({"detail": {"position": message}}, status=422)
    return JsonResponse(_progress_json(lesson, progress))
