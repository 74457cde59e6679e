"""The question bank, exams and attempts."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Status

from yufang.lib.errors import InvalidInput
from yufang.support.bounds import Code, paginated
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.api.common import (
    router,
)
from yufang.training.api.schemas import (
    AttemptOut,
    ExamIn,
    ExamOut,
    ExamResultsOut,
    ItemStatOut,
    QuestionIn,
    QuestionOut,
    SubmitIn,
)
from yufang.training.models import (
    Certificate,
    Exam,
    ExamAttempt,
    Question,
)


@router.get("/questions", response=list[QuestionOut])
@paginated(100)
def questions(request: HttpRequest, topic: Code = "", type: Code = ""):  # type: ignore[no-untyped-def]  # noqa: A002
    qs = sel.questions_visible(request.user)
    if topic:
        qs = qs.filter(topic=topic)
    if type:
        qs = qs.filter(type=type)
    return qs


def _question_fields(payload: QuestionIn) -> svc.QuestionFields:
    return svc.QuestionFields(
        topic=payload.topic,
        type=payload.type,
        stem=payload.stem,
        options=[o.dict() for o in payload.options],
        answer=payload.answer,
        explanation=payload.explanation,
        basis=payload.basis,
    )


@router.post("/questions", response={201: QuestionOut})
def question_new(request: HttpRequest, payload: QuestionIn) -> Status:
    question = svc.question_save(
        actor=request.user, data=_question_fields(payload), code=payload.code
    )
    return Status(201, question)


@router.put("/questions/{question_id}", response=QuestionOut)
def question_edit(request: HttpRequest, question_id: int, payload: QuestionIn) -> Question:
    question = sel.question_get(request.user, question_id)
    return svc.question_save(actor=request.user, data=_question_fields(payload), question=question)


@router.get("/question-statistics", response=list[ItemStatOut])
def question_statistics(request: HttpRequest):  # type: ignore[no-untyped-def]
    return sel.question_statistics(request.user)


@router.get("/exams", response=list[ExamOut])
def exams(request: HttpRequest):  # type: ignore[no-untyped-def]
    return sel.exams_visible(request.user)


@router.post("/exams", response={201: ExamOut})
def exam_new(request: HttpRequest, payload: ExamIn) -> Status:
    data = payload.dict()
    course_id = data.pop("course_id")
    course = sel.courses_visible(request.user).filter(pk=course_id).first() if course_id else None
    if course_id and course is None:
        raise InvalidInput({"course_id": _("Unknown course.")})
    session_id = data.pop("required_session_id")
    session = (
        sel.sessions_visible(request.user).filter(pk=session_id).first() if session_id else None
    )
    if session_id and session is None:
        raise InvalidInput({"required_session_id": _("Unknown session.")})
    exam = svc.exam_create(actor=request.user, course=course, required_session=session, **data)
    return Status(201, exam)


@router.get("/exams/{exam_id}/results", response=ExamResultsOut)
def exam_results(request: HttpRequest, exam_id: int) -> Any:
    exam = sel.exam_get(request.user, exam_id)
    figures = sel.exam_results(request.user, exam)
    items = sel.question_statistics(request.user, exam=exam).filter(asked__gt=0)  # type: ignore[misc]
    return {**figures, "items": list(items)}


def _attempt_out(attempt: ExamAttempt) -> dict[str, Any]:
    reveal = attempt.status != ExamAttempt.Status.STARTED
    certificate = Certificate.objects.filter(attempt=attempt).values_list("pk", flat=True).first()
    return {
        **{
            f: getattr(attempt, f)
            for f in AttemptOut.model_fields
            if f not in ("items", "certificate_id")
        },
        "certificate_id": certificate,
        "items": [
            {
                "question_id": i.question_id,
                "position": i.position,
                "type": i.question.type,
                "stem": i.question.stem,
                "options": i.question.options,
                "chosen": i.chosen,
                "correct": i.correct if reveal else None,
            }
            for i in sel.attempt_items(attempt)
        ],
    }


@router.post("/exams/{exam_id}/attempts", response={201: AttemptOut})
def attempt_start(request: HttpRequest, exam_id: int) -> Status:
    exam: Exam = sel.exam_get(request.user, exam_id)
    attempt = svc.exam_attempt_start(actor=request.user, exam=exam)
    return Status(201, _attempt_out(attempt))


@router.get("/attempts/{attempt_id}", response=AttemptOut)
def attempt_detail(request: HttpRequest, attempt_id: int) -> Any:
    return _attempt_out(sel.attempt_get(request.user, attempt_id))


@router.post("/attempts/{attempt_id}/submit", response=AttemptOut)
def attempt_submit(request: HttpRequest, attempt_id: int, payload: SubmitIn) -> Any:
    attempt = sel.attempt_get(request.user, attempt_id)
    attempt = svc.exam_attempt_submit(
        actor=request.user,
        attempt=attempt,
        answers={a.question_id: a.chosen for a in payload.answers},
    )
    return _attempt_out(attempt)
