"""Online courses and lessons, and the time a trainee followed them."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    PROVINCE_WIDE_ROLES,
)
from yufang.accounts.scoping.training import may_create_courses
from yufang.audit.services import audit_create
from yufang.organisations.models import Institution
from yufang.support.topics import Topic
from yufang.training.models import (
    Course,
    Lesson,
    LessonProgress,
    Trainee,
)
from yufang.training.services.common import (
    MAX_CLASS_HOURS,
    TrainingInvalid,
)
from yufang.training.services.uploads import (
    IMAGE_KINDS,
    VIDEO_KINDS,
    _store,
    upload_check,
)


def course_create(
    *,
    actor: Any,
    title: str,
    topic: str,
    class_hours: Decimal,
    description: str = "",
    institution: Institution | None = None,
) -> Course:
    if not may_create_courses(actor):
        raise PermissionDenied(_("Your role cannot create courses."))
    if actor.role == Role.INSTITUTION_STAFF:
        institution = actor.institution
    errors = {}
    if not title.strip():
        errors["title"] = _("Enter a title.")
    if topic not in Topic.values:
        errors["topic"] = _("Choose a topic.")
    if not 0 < class_hours <= MAX_CLASS_HOURS:
        errors["class_hours"] = _("Class hours must be more than zero and at most %(n)s.") % {
            "n": MAX_CLASS_HOURS
        }
    if errors:
        raise TrainingInvalid(errors)
    with transaction.atomic():
        course = Course.objects.create(
            title=title.strip(),
            topic=topic,
            class_hours=class_hours,
            description=description.strip(),
            institution=institution,
        )
        audit_create(actor, course)
    return course


def _require_course_owner(actor: Any, course: Course) -> None:
    if actor.role in PROVINCE_WIDE_ROLES:
        return
    if actor.role == Role.INSTITUTION_STAFF and course.institution_id == actor.institution_id:
        return
    if actor.role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL) and course.institution_id is None:
        return
    raise PermissionDenied(_("Your role cannot change this course."))


def lesson_add(
    *,
    actor: Any,
    course: Course,
    title: str,
    kind: str,
    body: str = "",
    file: UploadedFile | None = None,
    minutes: int = 10,
) -> Lesson:
    _require_course_owner(actor, course)
    errors = {}
    if not 1 <= minutes <= 600:
        errors["minutes"] = _("A lesson lasts from 1 to 600 minutes.")
    if not title.strip():
        errors["title"] = _("Enter a title.")
    if kind not in Lesson.Kind.values:
        errors["kind"] = _("Choose text, image or video.")
    elif kind == Lesson.Kind.TEXT and not body.strip():
        errors["body"] = _("Enter the lesson's text.")
    ext = ""
    if kind in (Lesson.Kind.IMAGE, Lesson.Kind.VIDEO):
        try:
            ext = upload_check(
                file, field="file", kinds=IMAGE_KINDS if kind == Lesson.Kind.IMAGE else VIDEO_KINDS
            )
        except TrainingInvalid as exc:
            errors.update(exc.errors)
    if errors:
        raise TrainingInvalid(errors)
    with transaction.atomic():
        position = (
            course.lessons.order_by("-position").values_list("position", flat=True).first() or 0
        ) + 1
        lesson = Lesson.objects.create(
            course=course,
            position=position,
            title=title.strip(),
            kind=kind,
            body=body,
            file=_store(file, "lessons", ext) if file is not None and ext else "",
            minutes=minutes,
        )
        audit_create(actor, lesson)
    return lesson


def trainee_of(user: Any) -> Trainee:
    trainee = Trainee.objects.filter(user=user).first() if user.is_authenticated else None
    if trainee is None:
        raise TrainingInvalid({"trainee": _("Your account is not registered as a trainee.")})
    return trainee


# The lesson page beats every HEARTBEAT_SECONDS while it is open and visible (a video: while it
# plays). The server credits the time it measures between two beats, at most
# HEARTBEAT_CREDIT_MAX_SECONDS: a longer gap means the page was closed or the phone slept, and a
# client cannot claim time by sending a large number.
HEARTBEAT_SECONDS = 15
HEARTBEAT_CREDIT_MAX_SECONDS = 30


def lesson_required_seconds(lesson: Lesson) -> int:
    return int(lesson.minutes) * 60


def _lesson_open(lesson: Lesson) -> None:
    if not lesson.course.is_published:
        raise TrainingInvalid({"course": _("This course is not published.")})


def lesson_heartbeat(
    *,
    actor: Any,
    lesson: Lesson,
    position: float | None = None,
    now: dt.datetime | None = None,
) -> LessonProgress:
    """A beat from the open lesson page. Credits the real time since the previous beat (capped);
    for a video, only as far as the video moved forward in that time (`position`, seconds)."""
    trainee = trainee_of(actor)
    _lesson_open(lesson)
    now = now or timezone.now()
    if position is not None and not (math.isfinite(position) and position >= 0):
        raise TrainingInvalid({"position": _("The video position must be zero or more seconds.")})
    with transaction.atomic():
        progress, created = LessonProgress.objects.select_for_update().get_or_create(
            lesson=lesson, trainee=trainee, defaults={"started_at": now, "last_beat_at": now}
        )
        if created or progress.completed_at is not None:
            return progress
        last = progress.last_beat_at or now
        credit = round(max(0.0, min((now - last).total_seconds(), HEARTBEAT_CREDIT_MAX_SECONDS)))
        if lesson.kind == Lesson.Kind.VIDEO:
            reached = min(int(position or 0), progress.position_seconds + credit)
            credit = max(0, reached - progress.position_seconds)
            progress.position_seconds = max(progress.position_seconds, reached)
        progress.seconds_followed += credit
        progress.last_beat_at = now
        if progress.seconds_followed >= lesson_required_seconds(lesson):
            progress.completed_at = now
            progress.save()
            audit_create(actor, progress)
        else:
            progress.save()
    return progress


def lesson_complete(
    *, actor: Any, lesson: Lesson, now: dt.datetime | None = None
) -> LessonProgress:
    """ "Mark as learnt": accepted only once the lesson was followed for its length."""
    trainee = trainee_of(actor)
    _lesson_open(lesson)
    progress = LessonProgress.objects.filter(lesson=lesson, trainee=trainee).first()
    if progress is not None and progress.completed_at is not None:
        return progress
    done = progress.seconds_followed if progress is not None else 0
    raise TrainingInvalid(
        {
            "lesson": _(
                "You have followed this lesson for %(done)s of %(needed)s minutes; it counts "
                "once you have followed all of it."
            )
            % {"done": done // 60, "needed": lesson.minutes}
        }
    )
