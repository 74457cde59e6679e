"""Exams and attempts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from yufang.accounts.http import AuthedRequest
from yufang.lib.errors import InvalidInput
from yufang.support.topics import Topic
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.views.common import (
    RUNNERS,
    _attempt,
    _int,
)


@login_required
def exams_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        p = request.POST
        errors = _attempt(
            request,
            lambda: svc.exam_create(
                actor=user,
                title=p.get("title", ""),
                topics=p.getlist("topics"),
                single_count=_int(p.get("single_count")) or 0,
                multiple_count=_int(p.get("multiple_count")) or 0,
                true_false_count=_int(p.get("true_false_count")) or 0,
                pass_mark=_int(p.get("pass_mark")),
                time_limit_minutes=_int(p.get("time_limit_minutes")),
                max_attempts=_int(p.get("max_attempts")),
                course=sel.courses_visible(user).filter(pk=_int(p.get("course")) or 0).first(),
                requires_lessons=p.get("requires_lessons") == "1",
                required_session=sel.sessions_visible(user)
                .filter(pk=_int(p.get("required_session")) or 0)
                .first(),
            ),
            reverse("training:exams"),
        )
        if isinstance(errors, HttpResponse):
            return errors
    trainee = sel.trainee_for_user(user)
    exams = sel.exams_visible(user)
    return render(
        request,
        "training/exams.html",
        {
            "exams": exams,
            "errors": errors,
            "topics": Topic.choices,
            "courses": sel.courses_visible(user),
            "sessions": sel.session_list(user)[:100] if user.role in RUNNERS else [],
            "may_create": user.role in RUNNERS,
            "attempts": sel.attempts_visible(user).filter(trainee=trainee) if trainee else [],
        },
    )


@login_required
def exam(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    exam = sel.exam_get(user, pk)
    if request.method == "POST":
        try:
            attempt = svc.exam_attempt_start(actor=user, exam=exam)
        except InvalidInput as exc:
            messages.error(request, exc.message)
            return redirect("training:exam", pk=pk)
        return redirect("training:attempt", pk=attempt.pk)
    trainee = sel.trainee_for_user(user)
    staff = user.role in sel.STAFF_ROLES
    return render(
        request,
        "training/exam_detail.html",
        {
            "exam": exam,
            "results": sel.exam_results(user, exam) if staff else None,
            "items": sel.question_statistics(user, exam=exam).filter(asked__gt=0)  # type: ignore[misc]
            if staff
            else [],
            "attempts": sel.attempts_visible(user).filter(exam=exam)[:100],
            "trainee": trainee,
        },
    )


@login_required
def attempt(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    attempt = sel.attempt_get(user, pk)
    if request.method == "POST":
        answers = {}
        for item in attempt.items.all():
            answers[item.question_id] = request.POST.getlist(f"q{item.question_id}")
        try:
            svc.exam_attempt_submit(actor=user, attempt=attempt, answers=answers)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        return redirect("training:attempt", pk=pk)
    return render(
        request,
        "training/attempt.html",
        {
            "attempt": attempt,
            "rows": sel.attempt_item_rows(attempt),
            "open": attempt.status == attempt.Status.STARTED,
            "certificate": getattr(attempt, "certificate", None),
        },
    )
