"""Courses, lessons and progress, the question bank's statistics, exams and attempts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    ScopePaths,
    own_records_q,
    scope_queryset,
)
from yufang.training.models import (
    AttemptItem,
    Course,
    Exam,
    ExamAttempt,
    Lesson,
    LessonProgress,
    Question,
    QuestionType,
    Trainee,
)
from yufang.training.selectors.common import (
    STAFF_ROLES,
    _none,
)
from yufang.training.selectors.trainees import (
    trainees_visible,
)


def courses_visible(user: Any) -> QuerySet[Course]:
    qs = (
        Course.objects.select_related("institution")
        .annotate(lesson_count=Count("lessons"))
        .order_by("title", "id")
    )
    if _none(user):
        return qs.none()
    if user.role == Role.INSTITUTION_STAFF:
        return qs.filter(Q(is_published=True) | Q(institution_id=user.institution_id))
    if user.role in (Role.PROVINCE_OFFICIAL, Role.ADMIN, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL):
        return qs
    return qs.filter(is_published=True)


def course_get(user: Any, pk: int) -> Course:
    return get_object_or_404(courses_visible(user), pk=pk)


def lesson_get(user: Any, pk: int) -> Lesson:
    """A lesson of a course the user sees, or 404."""
    return get_object_or_404(
        Lesson.objects.select_related("course").filter(course__in=courses_visible(user)), pk=pk
    )


def completed_lessons(trainee: Trainee | None, course: Course) -> set[int]:
    if trainee is None:
        return set()
    return set(
        LessonProgress.objects.filter(
            trainee=trainee, lesson__course=course, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def lesson_progress(trainee: Trainee | None, lesson: Lesson) -> LessonProgress | None:
    if trainee is None:
        return None
    return LessonProgress.objects.filter(trainee=trainee, lesson=lesson).first()


def completed_course_ids(trainee_ids: Iterable[int]) -> dict[int, set[int]]:
    """Trainee id → ids of courses whose every lesson the trainee completed."""
    lessons = dict(
        Lesson.objects.values("course_id").annotate(n=Count("id")).values_list("course_id", "n")
    )
    done: dict[int, set[int]] = defaultdict(set)
    rows = (
        LessonProgress.objects.filter(trainee_id__in=list(trainee_ids), completed_at__isnull=False)
        .values("trainee_id", "lesson__course_id")
        .annotate(n=Count("id"))
    )
    for row in rows:
        if row["n"] >= lessons.get(row["lesson__course_id"], 10**9):
            done[row["trainee_id"]].add(row["lesson__course_id"])
    return done


def course_progress_of(user: Any, course: Course) -> QuerySet[Trainee]:
    """Learners of a course in the user's scope with the lessons each completed."""
    return (
        trainees_visible(user)
        .filter(progress__lesson__course=course)
        .annotate(
            done=Count(
                "progress",
                filter=Q(progress__lesson__course=course, progress__completed_at__isnull=False),
            )
        )
        .order_by("-done", "name")
    )


def questions_visible(user: Any) -> QuerySet[Question]:
    if _none(user) or user.role not in STAFF_ROLES:
        return Question.objects.none()
    return Question.objects.all()


def question_get(user: Any, pk: int) -> Question:
    return get_object_or_404(questions_visible(user), pk=pk)


def question_statistics(user: Any, *, exam: Exam | None = None) -> QuerySet[Question]:
    """Per question: times asked in submitted attempts and difficulty (share answered right)."""
    flt = Q(items__attempt__status=ExamAttempt.Status.SUBMITTED)
    if exam is not None:
        flt &= Q(items__attempt__exam=exam)
    if user.role == Role.INSTITUTION_STAFF:
        flt &= Q(items__attempt__exam__institution_id=user.institution_id)
    return (
        questions_visible(user)
        .annotate(
            asked=Count("items", filter=flt),
            right=Count("items", filter=flt & Q(items__correct=True)),
        )
        .order_by("code")
    )


def exams_visible(user: Any) -> QuerySet[Exam]:
    qs = Exam.objects.select_related("course", "institution", "required_session")
    if _none(user):
        return qs.none()
    if user.role == Role.INSTITUTION_STAFF:
        return qs.filter(institution_id=user.institution_id)
    if user.role in STAFF_ROLES:
        return qs
    return qs.filter(is_open=True)


def exam_get(user: Any, pk: int) -> Exam:
    return get_object_or_404(exams_visible(user), pk=pk)


def attempts_visible(user: Any) -> QuerySet[ExamAttempt]:
    qs = ExamAttempt.objects.select_related("exam", "trainee", "trainee__enterprise")
    if _none(user):
        return qs.none()
    own = own_records_q(user, "trainee__user")
    if own is not None:
        return qs.filter(own)
    return scope_queryset(
        user,
        qs,
        ScopePaths.via_enterprise("trainee__enterprise", institution="exam__institution"),
    )


def attempt_get(user: Any, pk: int) -> ExamAttempt:
    return get_object_or_404(attempts_visible(user), pk=pk)


def attempt_items(attempt: ExamAttempt) -> QuerySet[AttemptItem]:
    return attempt.items.select_related("question").order_by("position")


@dataclass
class ItemRow:
    """An exam item as shown: options labelled for reading (a true/false question shows 正确 /
    错误, not its keys T and F), the answers given and expected in the same words."""

    item: AttemptItem
    options: list[tuple[str, str]]
    chosen: str
    answer: str


def attempt_item_rows(attempt: ExamAttempt) -> list[ItemRow]:
    rows = []
    for item in attempt_items(attempt):
        q = item.question
        texts = {str(o["key"]): str(o["text"]) for o in q.options}
        if q.type == QuestionType.TRUE_FALSE:
            options = [(key, text) for key, text in texts.items()]

            def say(keys: list[str], texts: dict[str, str] = texts) -> str:
                return "、".join(texts.get(k, k) for k in keys)
        else:
            options = [(key, f"{key}. {text}") for key, text in texts.items()]

            def say(keys: list[str], texts: dict[str, str] = texts) -> str:
                return "、".join(sorted(keys))

        rows.append(ItemRow(item, options, say(item.chosen or []), say(q.answer)))
    return rows


def exam_results(user: Any, exam: Exam) -> dict[str, Any]:
    qs = attempts_visible(user).filter(exam=exam).exclude(status=ExamAttempt.Status.STARTED)
    figures = qs.aggregate(
        attempts=Count("id"),
        passed=Count("id", filter=Q(passed=True)),
        late=Count("id", filter=Q(status=ExamAttempt.Status.EXPIRED)),
        average=Avg("score"),
        trainees=Count("trainee", distinct=True),
    )
    figures["pass_rate"] = _rate(figures["passed"], figures["attempts"])
    return figures


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"))
