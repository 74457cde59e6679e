"""The question bank."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping import may_change_question
from yufang.support.http import spreadsheet_response
from yufang.support.topics import Topic
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import (
    QuestionType,
)
from yufang.training.views.common import (
    _attempt,
    _page,
)


@login_required
def questions_view(request: AuthedRequest) -> HttpResponse:
    qs = sel.question_statistics(request.user)
    topic, qtype = request.GET.get("topic", ""), request.GET.get("type", "")
    if topic:
        qs = qs.filter(topic=topic)
    if qtype:
        qs = qs.filter(type=qtype)
    if request.GET.get("export") == "xlsx":
        return spreadsheet_response(
            _("question statistics"),
            [
                pgettext("question", "code"),
                pgettext("training", "topic"),
                _("type"),
                _("question"),
                _("asked"),
                _("answered right"),
                _("difficulty"),
            ],
            (
                [
                    q.code,
                    q.get_topic_display(),
                    q.get_type_display(),
                    q.stem,
                    q.asked,  # type: ignore[attr-defined]
                    q.right,  # type: ignore[attr-defined]
                    sel._rate(q.right, q.asked),  # type: ignore[attr-defined]
                ]
                for q in qs
            ),
        )
    return render(
        request,
        "training/questions.html",
        {
            "page_obj": _page(request, qs),
            "topics": Topic.choices,
            "types": QuestionType.choices,
            "topic": topic,
            "type": qtype,
        },
    )


def _question_fields(post: Any) -> svc.QuestionFields:
    options = []
    for line in post.get("options", "").splitlines():
        if not line.strip():
            continue
        key, _sep, text = line.partition(".")
        options.append({"key": key.strip(), "text": text.strip()})
    return svc.QuestionFields(
        topic=post.get("topic", ""),
        type=post.get("type", ""),
        stem=post.get("stem", ""),
        options=options,
        answer=[
            a.strip() for a in post.get("answer", "").replace("，", ",").split(",") if a.strip()
        ],
        explanation=post.get("explanation", ""),
        basis=post.get("basis", ""),
    )


@login_required
def question_new(request: AuthedRequest) -> HttpResponse:
    return question_edit(request)


@login_required
def question_edit(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    question = sel.question_get(user, pk) if pk else None
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        errors = _attempt(
            request,
            lambda: svc.question_save(
                actor=user,
                data=_question_fields(request.POST),
                question=question,
                code=request.POST.get("code", ""),
            ),
            reverse("training:questions"),
        )
        if isinstance(errors, HttpResponse):
            return errors
    initial = (
        {
            "code": question.code,
            "topic": question.topic,
            "type": question.type,
            "stem": question.stem,
            "options": "\n".join(f"{o['key']}. {o['text']}" for o in question.options),
            "answer": ",".join(question.answer),
            "explanation": question.explanation,
            "basis": question.basis,
        }
        if question
        else {}
    )
    return render(
        request,
        "training/question_form.html",
        {
            "question": question,
            "data": request.POST if request.method == "POST" else initial,
            "errors": errors,
            "topics": Topic.choices,
            "types": QuestionType.choices,
            "may_change": question is None
            or may_change_question(
                user, region_id=question.region_id, institution_id=question.institution_id
            ),
        },
    )
