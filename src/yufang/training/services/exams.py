"""Exams drawn from the bank, attempts and grading."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    PROVINCE_WIDE_ROLES,
)
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.support.topics import Topic
from yufang.training.models import (
    AttemptItem,
    Course,
    Enrollment,
    Exam,
    ExamAttempt,
    Lesson,
    LessonProgress,
    Question,
    QuestionType,
    Trainee,
    TrainingSession,
)
from yufang.training.services.certificates import (
    certificate_issue,
)
from yufang.training.services.common import (
    TrainingInvalid,
)
from yufang.training.services.courses import (
    trainee_of,
)


def exam_create(
    *,
    actor: Any,
    title: str,
    topics: Iterable[str] = (),
    single_count: int = 0,
    multiple_count: int = 0,
    true_false_count: int = 0,
    pass_mark: int | None = None,
    time_limit_minutes: int | None = None,
    max_attempts: int | None = None,
    course: Course | None = None,
    requires_lessons: bool = False,
    required_session: TrainingSession | None = None,
) -> Exam:
    today = timezone.localdate()
    if actor.role == Role.INSTITUTION_STAFF:
        institution = actor.institution
    elif actor.role in (*PROVINCE_WIDE_ROLES, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL):
        institution = course.institution if course else None
    else:
        raise PermissionDenied(_("Your role cannot create exams."))
    topics = [t for t in topics if t]
    pass_mark = pass_mark or int(policy.value("training_exam_pass_mark", today))
    time_limit_minutes = time_limit_minutes or int(
        policy.value("training_exam_time_limit_minutes", today)
    )
    max_attempts = max_attempts or int(policy.value("training_exam_max_attempts", today))
    errors = {}
    if not title.strip():
        errors["title"] = _("Enter a title.")
    if any(t not in Topic.values for t in topics):
        errors["topics"] = _("Choose topics from the list.")
    if single_count + multiple_count + true_false_count < 1:
        errors["single_count"] = _("An exam needs at least one question.")
    if not 1 <= pass_mark <= 100:
        errors["pass_mark"] = _("The pass mark is a percentage from 1 to 100.")
    if not 1 <= time_limit_minutes <= 600:
        errors["time_limit_minutes"] = _("The time limit is from 1 to 600 minutes.")
    if not 1 <= max_attempts <= 100:
        errors["max_attempts"] = _("Allow from 1 to 100 attempts.")
    if not all(0 <= n <= 500 for n in (single_count, multiple_count, true_false_count)):
        errors["single_count"] = _("An exam asks at most 500 questions of each type.")
    if requires_lessons and course is None:
        errors["requires_lessons"] = _("Choose the course whose lessons the exam requires.")
    bank = Question.objects.filter(is_active=True)
    if topics:
        bank = bank.filter(topic__in=topics)
    for kind, wanted, name in (
        (QuestionType.SINGLE, single_count, "single_count"),
        (QuestionType.MULTIPLE, multiple_count, "multiple_count"),
        (QuestionType.TRUE_FALSE, true_false_count, "true_false_count"),
    ):
        have = bank.filter(type=kind).count()
        if wanted > have:
            errors[name] = _("The bank has only %(have)s such questions on these topics.") % {
                "have": have
            }
    if errors:
        raise TrainingInvalid(errors)
    with transaction.atomic():
        exam = Exam.objects.create(
            title=title.strip(),
            course=course,
            institution=institution,
            topics=topics,
            single_count=single_count,
            multiple_count=multiple_count,
            true_false_count=true_false_count,
            pass_mark=pass_mark,
            time_limit_minutes=time_limit_minutes,
            max_attempts=max_attempts,
            requires_lessons=requires_lessons,
            required_session=required_session,
        )
        audit_create(actor, exam)
    return exam


def exam_attempt_start(
    *, actor: Any, exam: Exam, rng: random.Random | None = None, now: dt.datetime | None = None
) -> ExamAttempt:
    """Start an attempt: a fresh random draw from the bank, a deadline set by the server."""
    trainee = trainee_of(actor)
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    if not exam.is_open:
        raise TrainingInvalid({"exam": _("This exam is closed.")})
    exam_requirements_check(exam=exam, trainee=trainee)
    with transaction.atomic():
        Trainee.objects.select_for_update().get(pk=trainee.pk)
        attempts = ExamAttempt.objects.filter(exam=exam, trainee=trainee)
        open_attempt = attempts.filter(status=ExamAttempt.Status.STARTED, deadline__gt=now).first()
        if open_attempt is not None:
            return open_attempt
        if attempts.filter(passed=True).exists():
            raise TrainingInvalid({"exam": _("You have already passed this exam.")})
        used = attempts.count()
        if used >= exam.max_attempts:
            raise TrainingInvalid(
                {
                    "exam": _("You have used all %(n)s attempts of this exam.")
                    % {"n": exam.max_attempts}
                }
            )
        bank = Question.objects.filter(is_active=True)
        if exam.topics:
            bank = bank.filter(topic__in=exam.topics)
        drawn: list[int] = []
        for kind, count in (
            (QuestionType.SINGLE, exam.single_count),
            (QuestionType.MULTIPLE, exam.multiple_count),
            (QuestionType.TRUE_FALSE, exam.true_false_count),
        ):
            ids = sorted(bank.filter(type=kind).values_list("pk", flat=True))
            if count > len(ids):
                raise TrainingInvalid(
                    {"exam": _("The question bank no longer holds enough questions.")}
                )
            drawn.extend(rng.sample(ids, count))
        attempt = ExamAttempt.objects.create(
            exam=exam,
            trainee=trainee,
            number=used + 1,
            started_at=now,
            deadline=now + dt.timedelta(minutes=exam.time_limit_minutes),
        )
        AttemptItem.objects.bulk_create(
            AttemptItem(attempt=attempt, question_id=qid, position=i + 1)
            for i, qid in enumerate(drawn)
        )
        audit_create(actor, attempt)
    return attempt


def exam_requirements_check(*, exam: Exam, trainee: Trainee) -> None:
    """Refuse an attempt until the trainee has done what the exam requires first."""
    if exam.requires_lessons and exam.course_id:
        lessons = set(Lesson.objects.filter(course_id=exam.course_id).values_list("pk", flat=True))
        done = set(
            LessonProgress.objects.filter(
                trainee=trainee, lesson_id__in=lessons, completed_at__isnull=False
            ).values_list("lesson_id", flat=True)
        )
        if lessons - done:
            raise TrainingInvalid(
                {
                    "exam": _(
                        "Complete every lesson of “%(course)s” first (%(done)s of %(all)s done)."
                    )
                    % {"course": exam.course, "done": len(done), "all": len(lessons)}
                }
            )
    if (
        exam.required_session_id
        and not Enrollment.objects.filter(
            session_id=exam.required_session_id, trainee=trainee, checked_in_at__isnull=False
        ).exists()
    ):
        raise TrainingInvalid(
            {"exam": _("Attend “%(session)s” first.") % {"session": exam.required_session}}
        )


def _grade(question: Question, chosen: list[str]) -> bool:
    return sorted(chosen) == sorted(question.answer)


def exam_attempt_submit(
    *,
    actor: Any,
    attempt: ExamAttempt,
    answers: dict[int, list[str]],
    now: dt.datetime | None = None,
) -> ExamAttempt:
    """Grade an attempt. After the deadline and its grace the answers are refused: the attempt
    is recorded as failed and flagged, and the trainee is told."""
    trainee = trainee_of(actor)
    if attempt.trainee_id != trainee.pk:
        raise PermissionDenied(_("This is not your exam."))
    now = now or timezone.now()
    grace = dt.timedelta(
        seconds=int(policy.value("training_exam_submit_grace_seconds", timezone.localdate()))
    )
    late = False
    with transaction.atomic():
        attempt = ExamAttempt.objects.select_for_update().select_related("exam").get(pk=attempt.pk)
        if attempt.status != ExamAttempt.Status.STARTED:
            raise TrainingInvalid({"attempt": _("This attempt has already been submitted.")})
        before = snapshot(attempt)
        attempt.submitted_at = now
        if now > attempt.deadline + grace:
            late = True
            attempt.status = ExamAttempt.Status.EXPIRED
            attempt.score = Decimal("0.00")
            attempt.passed = False
            attempt.save()
            audit_update(actor, attempt, before, reason="submitted after the time limit")
        else:
            items = list(attempt.items.select_related("question"))
            for item in items:
                chosen = [str(c) for c in answers.get(item.question_id, [])]
                item.chosen = sorted(set(chosen))
                item.correct = _grade(item.question, item.chosen)
            AttemptItem.objects.bulk_update(items, ["chosen", "correct"])
            right = sum(1 for i in items if i.correct)
            attempt.score = (Decimal(right * 100) / Decimal(len(items) or 1)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            attempt.passed = attempt.score >= attempt.exam.pass_mark
            attempt.status = ExamAttempt.Status.SUBMITTED
            attempt.save()
            audit_update(actor, attempt, before, reason="submitted")
            if attempt.passed:
                certificate_issue(
                    actor=actor,
                    trainee=trainee,
                    title=attempt.exam.title,
                    attempt=attempt,
                    course=attempt.exam.course,
                    issued_on=timezone.localtime(now).date(),
                )
    if late:
        raise TrainingInvalid(
            {
                "attempt": _(
                    "The time limit ended at %(time)s; the answers were not accepted and the "
                    "attempt counts as failed."
                )
                % {"time": timezone.localtime(attempt.deadline).strftime("%H:%M:%S")}
            }
        )
    return attempt
