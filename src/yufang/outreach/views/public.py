"""The public's pages, phone first (390 px), no account: the quizzes, the calls for entries,
submitting an entry, the gallery and its votes, results and the draw's check. A phone number
is proved by a code (`notifications.phone`) before an entry or a vote; every page is rate
limited per client address."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from yufang.lib.errors import InvalidInput
from yufang.notifications.phone import verified_phone
from yufang.outreach import selectors, services
from yufang.outreach.models import ContestKind, EntryStatus, QuizEntry
from yufang.outreach.services.media import rule
from yufang.outreach.views.common import PUBLIC_READ_RATE, PUBLIC_WRITE_RATE, page
from yufang.outreach.views.programmes import draw_check_script
from yufang.support.http import client_address as address_of
from yufang.support.http import private_file_response
from yufang.support.ratelimits import client_address

ENTRY_SESSION_KEY = "outreach_quiz_entry"


def public_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Rate limits a public page: reads and, tighter, writes, per client address."""
    limited = ratelimit(key=client_address, rate=PUBLIC_READ_RATE, block=True)(view)
    return ratelimit(key=client_address, rate=PUBLIC_WRITE_RATE, method="POST", block=True)(limited)


def _verify_url(request: HttpRequest, purpose: str) -> str:
    return (
        reverse("notifications:phone_verify")
        + "?"
        + urlencode({"purpose": purpose, "next": request.get_full_path()})
    )


@public_view
def public(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    quizzes = selectors.quizzes_public(now)
    contests = selectors.contests_public(now)
    return page(
        request,
        "outreach/public/landing.html",
        {
            "open_quizzes": [q for q in quizzes if services.quiz_is_open(q, now)],
            "closed_quizzes": [q for q in quizzes if not services.quiz_is_open(q, now)],
            "contests": contests[:30],
            "now": now,
        },
    )


# --- quizzes ------------------------------------------------------------------------------------


@public_view
def public_quiz(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A quiz's page: its rules and time limit, the draw's committed hash, and the start."""
    found = selectors.quiz_public_get(pk)
    phone = verified_phone(request, purpose="quiz")
    errors: dict[str, str] = {}
    if request.method == "POST":
        if phone is None:
            return redirect(_verify_url(request, "quiz"))
        try:
            entry = services.quiz_entry_start(
                quiz=found,
                phone=phone,
                nickname=request.POST.get("nickname", ""),
                city_code=request.POST.get("city", ""),
                organised_by_employer=request.POST.get("organised") == "1",
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            request.session[ENTRY_SESSION_KEY] = entry.token
            return redirect("outreach:public_quiz_play", pk=pk)
    seconds = int(rule("outreach_quiz_seconds_per_question")) * found.questions_per_entry
    return page(
        request,
        "outreach/public/quiz.html",
        {
            "quiz": found,
            "is_open": services.quiz_is_open(found),
            "phone": phone,
            "verify_url": _verify_url(request, "quiz"),
            "minutes": seconds // 60,
            "seconds": seconds % 60,
            "cities": selectors.cities_for_entrants(),
            "errors": errors,
        },
        status=422 if errors else 200,
    )


def _current_entry(request: HttpRequest, pk: int) -> QuizEntry:
    token = request.session.get(ENTRY_SESSION_KEY)
    entry = (
        QuizEntry.objects.select_related("quiz").filter(token=token, quiz_id=pk).first()
        if token
        else None
    )
    if entry is None:
        raise Http404(_("No entry of yours is under way in this quiz."))
    return entry


@public_view
def public_quiz_play(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The entry's questions; the clock runs on the server from the start."""
    entry = _current_entry(request, pk)
    if entry.submitted_at is not None:
        return redirect("outreach:public_quiz_result", pk=pk)
    errors: dict[str, str] = {}
    if request.method == "POST":
        answers = {number: request.POST.getlist(f"q{number}") for number in entry.question_numbers}
        try:
            services.quiz_entry_submit(entry=entry, answers=answers)
        except InvalidInput as exc:
            messages.error(request, exc.message)
        return redirect("outreach:public_quiz_result", pk=pk)
    remaining = max(0, int((entry.deadline_at - timezone.now()).total_seconds()))
    return page(
        request,
        "outreach/public/quiz_play.html",
        {
            "entry": entry,
            "quiz": entry.quiz,
            "questions": services.quiz_entry_questions(entry),
            "remaining": remaining,
            "errors": errors,
        },
    )


@public_view
def public_quiz_result(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _current_entry(request, pk)
    qualified = (
        entry.submitted_at is not None
        and not entry.timed_out
        and (entry.score or 0) >= entry.quiz.qualifying_score
    )
    return page(
        request,
        "outreach/public/quiz_result.html",
        {"entry": entry, "quiz": entry.quiz, "qualified": qualified},
    )


@public_view
def public_leaderboard(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.quiz_public_get(pk)
    return page(
        request,
        "outreach/public/leaderboard.html",
        {"quiz": found, "leaders": selectors.leaderboard(found, limit=50)},
    )


@public_view
def public_draw(request: HttpRequest, pk: int) -> HttpResponse:
    """The draw, to check: the hash committed before, the seed after, the qualified entries in
    their published order, the winners, and the program that re-runs it."""
    found = selectors.quiz_public_get(pk)
    drawn = found.drawn_at is not None
    return page(
        request,
        "outreach/public/draw.html",
        {
            "quiz": found,
            "drawn": drawn,
            "qualified": services.quiz_qualified(found) if drawn else [],
            "winners": selectors.quiz_winners(found) if drawn else [],
            "script": draw_check_script(found) if drawn else "",
        },
    )


# --- contests -----------------------------------------------------------------------------------


@public_view
def public_contest(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.contest_public_get(pk)
    return page(
        request,
        "outreach/public/contest.html",
        {
            "contest": found,
            "is_open": services.contest_is_open(found),
            "voting_open": services.voting_is_open(found),
            "approved": selectors.entries_public(found).count(),
        },
    )


@public_view
def public_entry_new(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Submitting an entry: a verified phone, the work, the declaration."""
    found = selectors.contest_public_get(pk)
    phone = verified_phone(request, purpose="contest_entry")
    errors: dict[str, str] = {}
    data: Any = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        if phone is None:
            return redirect(_verify_url(request, "contest_entry"))
        try:
            services.entry_submit(
                contest=found,
                phone=phone,
                title=data.get("title", ""),
                author_name=data.get("author_name", ""),
                declaration=data.get("declaration") == "1",
                upload=request.FILES.get("file"),
                description=data.get("description", ""),
                lyrics=data.get("lyrics", ""),
                city_code=data.get("city", ""),
                organised_by_employer=data.get("organised") == "1",
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _("Thank you: your entry is received and will be shown once it is approved."),
            )
            return redirect("outreach:public_contest", pk=pk)
    accept = {
        ContestKind.PHOTO: "image/jpeg,image/png,image/webp",
        ContestKind.VIDEO: "video/mp4",
        ContestKind.SONG: "audio/mpeg,audio/mp4,.mp3,.m4a",
    }[ContestKind(found.kind)]
    return page(
        request,
        "outreach/public/entry_new.html",
        {
            "contest": found,
            "is_open": services.contest_is_open(found),
            "phone": phone,
            "verify_url": _verify_url(request, "contest_entry"),
            "accept": accept,
            "cities": selectors.cities_for_entrants(),
            "errors": errors,
            "data": data,
        },
        status=422 if errors else 200,
    )


@public_view
def public_gallery(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.contest_public_get(pk)
    return page(
        request,
        "outreach/public/gallery.html",
        {
            "contest": found,
            "entries": selectors.entries_public(found),
            "voting_open": services.voting_is_open(found),
        },
    )


@public_view
def public_entry(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An approved entry, and the vote: one per verified phone per contest per day."""
    found = selectors.entry_public_get(pk)
    phone = verified_phone(request, purpose="vote")
    errors: dict[str, str] = {}
    if request.method == "POST":
        if phone is None:
            return redirect(_verify_url(request, "vote"))
        try:
            vote = services.vote_cast(entry=found, phone=phone, source=address_of(request))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            if vote.flagged:
                messages.warning(
                    request,
                    _(
                        "Your vote is recorded but held for review: many votes came from your "
                        "address in a short time."
                    ),
                )
            else:
                messages.success(request, _("Thank you: your vote is counted."))
            return redirect("outreach:public_entry", pk=pk)
    counted = found.votes.filter(flagged=False).count()
    return page(
        request,
        "outreach/public/entry.html",
        {
            "entry": found,
            "contest": found.contest,
            "votes": counted,
            "phone": phone,
            "voting_open": services.voting_is_open(found.contest),
            "verify_url": _verify_url(request, "vote"),
            "award": services.award_label(found.award)
            if found.contest.results_published_at
            else "",
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@public_view
def public_results(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.contest_public_get(pk)
    standings = selectors.contest_standings(found) if found.results_published_at else []
    for e in standings:
        e.award_label = services.award_label(e.award)  # type: ignore[attr-defined]
    return page(
        request,
        "outreach/public/results.html",
        {"contest": found, "standings": standings},
    )


@public_view
def public_entry_media(request: HttpRequest, pk: int, size: str) -> HttpResponseBase:
    """An approved entry's file (or its thumbnail) for anyone."""
    found = selectors.entry_public_get(pk)
    if found.status != EntryStatus.APPROVED:
        raise Http404
    path = found.thumbnail_path if size == "thumb" and found.thumbnail_path else found.file_path
    if not path:
        raise Http404
    return private_file_response(path)
