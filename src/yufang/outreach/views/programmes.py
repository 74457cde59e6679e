"""The running side of prize quizzes and contests: setting them up, the draw, moderation of
what the public sends, the judges' sheet, publishing results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yufang.accounts.scoping import regions_visible
from yufang.accounts.scoping.outreach import may_run_programme
from yufang.lib.errors import InvalidInput
from yufang.outreach import draw, selectors, services
from yufang.outreach.models import ContestKind, EntryStatus
from yufang.outreach.views.common import page, require_outreach_role
from yufang.regions.models import Region
from yufang.support.http import private_file_response
from yufang.support.topics import Topic


def _runnable_regions(user: Any) -> list[Region]:
    regions = regions_visible(user).filter(level__in=[Region.Level.PROVINCE, Region.Level.CITY])
    return [r for r in regions.order_by("code") if may_run_programme(user, region=r)]


@login_required
def quizzes(request: HttpRequest) -> HttpResponse:
    require_outreach_role(request)
    regions = _runnable_regions(request.user)
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        if not regions:
            raise PermissionDenied(_("Only officials running quizzes set them up."))
        try:
            quiz = services.quiz_create(
                actor=request.user,
                title=data.get("title", ""),
                description=data.get("description", ""),
                region_code=data.get("region", ""),
                opens_at=data.get("opens_at", ""),
                closes_at=data.get("closes_at", ""),
                questions_per_entry=data.get("questions_per_entry", ""),
                qualifying_score=data.get("qualifying_score", ""),
                prize_count=data.get("prize_count", ""),
                topic=data.get("topic", "") if data.get("topic", "") in Topic.values else "",
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Quiz set up."))
            return redirect("outreach:quiz", pk=quiz.pk)
    return page(
        request,
        "outreach/quiz_list.html",
        {
            "quizzes": selectors.quizzes_visible(request.user)[:100],
            "regions": regions,
            "topics": Topic.choices,
            "errors": errors,
            "data": data,
        },
    )


@login_required
def quiz(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_get(request.user, pk)
    return page(
        request,
        "outreach/quiz_detail.html",
        {
            "quiz": quiz,
            "leaders": selectors.leaderboard(quiz, limit=20),
            "qualified": len(services.quiz_qualified(quiz)),
            "winners": selectors.quiz_winners(quiz),
            "may_draw": may_run_programme(request.user, region=quiz.region),
        },
    )


@login_required
@require_POST
def quiz_draw(request: HttpRequest, pk: int) -> HttpResponse:
    quiz = selectors.quiz_get(request.user, pk)
    try:
        services.quiz_draw(actor=request.user, quiz=quiz)
    except InvalidInput as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Prizes drawn; the seed is published."))
    return redirect("outreach:quiz", pk=pk)


@login_required
def contests(request: HttpRequest) -> HttpResponse:
    require_outreach_role(request)
    regions = _runnable_regions(request.user)
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        if not regions:
            raise PermissionDenied(_("Only officials running contests set them up."))
        try:
            contest = services.contest_create(
                actor=request.user,
                title=data.get("title", ""),
                kind=data.get("kind", ""),
                region_code=data.get("region", ""),
                rules=data.get("rules", ""),
                opens_at=data.get("opens_at", ""),
                deadline=data.get("deadline", ""),
                prizes=data.get("prizes", ""),
                voting=data.get("voting") == "1",
                voting_closes_at=data.get("voting_closes_at", "") or None,
                judges=data.get("judges", "").replace("，", ",").split(","),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Contest set up."))
            return redirect("outreach:contest", pk=contest.pk)
    return page(
        request,
        "outreach/contest_list.html",
        {
            "contests": selectors.contests_visible(request.user)[:100],
            "judging": selectors.contests_judged_by(request.user),
            "regions": regions,
            "kinds": ContestKind.choices,
            "errors": errors,
            "data": data,
        },
    )


@login_required
def contest(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.contest_get(request.user, pk)
    runs = may_run_programme(request.user, region=contest.region)
    if request.method == "POST":
        if not runs:
            raise PermissionDenied(_("Only the officials running this contest may do this."))
        try:
            if request.POST.get("action") == "votes":
                n = services.flagged_votes_decide(
                    actor=request.user, contest=contest, decision=request.POST.get("decision", "")
                )
                messages.success(request, _("Flagged votes decided: %(n)s.") % {"n": n})
            else:
                services.contest_results_publish(actor=request.user, contest=contest)
                messages.success(request, _("Results published."))
        except InvalidInput as exc:
            messages.error(request, exc.message)
        return redirect("outreach:contest", pk=pk)
    entries = selectors.entries_visible(request.user).filter(contest=contest).order_by("pk")
    return page(
        request,
        "outreach/contest_detail.html",
        {
            "contest": contest,
            "entries": entries,
            "panel": contest.panel.select_related("user"),
            "runs": runs,
            "flagged": selectors.flagged_votes(contest),
            "standings": selectors.contest_standings(contest),
        },
    )


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    """The queue of what the public sent, waiting to be shown: approve, or reject with a note."""
    require_outreach_role(request)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            entry = selectors.entry_get(request.user, _entry_id(request.POST.get("entry")))
            services.entry_moderate(
                actor=request.user,
                entry=entry,
                decision=request.POST.get("decision", ""),
                note=request.POST.get("note", ""),
            )
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Entry moderated."))
            return redirect("outreach:moderation")
    return page(
        request,
        "outreach/moderation.html",
        {"queue": selectors.moderation_queue(request.user), "errors": errors},
    )


def _entry_id(raw: Any) -> int:
    text = str(raw or "")
    if not text.isdigit() or len(text) > 18:
        raise InvalidInput(_("Choose an entry."), "entry")
    return int(text)


@login_required
def judging(request: HttpRequest, pk: int) -> HttpResponse:
    """A judge's sheet: the approved entries, a mark per criterion, or a recusal."""
    contest = selectors.contests_judged_by(request.user).filter(pk=pk).first()
    if contest is None:
        raise Http404
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            entry = contest.entries.filter(pk=_entry_id(request.POST.get("entry"))).first()
            if entry is None:
                raise Http404
            if request.POST.get("action") == "recuse":
                services.recusal_declare(
                    actor=request.user, entry=entry, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("You have recused yourself from this entry."))
            else:
                marks = {c["key"]: request.POST.get(f"mark_{c['key']}", "") for c in contest.rubric}
                services.score_record(actor=request.user, entry=entry, marks=marks)
                messages.success(request, _("Score saved."))
        except InvalidInput as exc:
            errors = exc.errors
        else:
            return redirect("outreach:judging", pk=pk)
    return page(
        request,
        "outreach/judging.html",
        {
            "contest": contest,
            "sheet": selectors.judging_sheet(request.user, contest),
            "errors": errors,
        },
    )


@login_required
def entry_file(request: HttpRequest, pk: int, size: str) -> HttpResponseBase:
    """An entry's file for its contest's officials and judges, approved or not."""
    entry = selectors.entry_get(request.user, pk)
    path = entry.thumbnail_path if size == "thumb" and entry.thumbnail_path else entry.file_path
    if not path:
        raise Http404
    return private_file_response(path)


def draw_check_script(quiz: Any) -> str:
    codes = [str(e.pk) for e in services.quiz_qualified(quiz)]
    return draw.check_script(quiz.seed, codes, quiz.prize_count)


STATUS_CSS = {
    EntryStatus.PENDING: "bg-yellow-lt",
    EntryStatus.APPROVED: "bg-green-lt",
    EntryStatus.REJECTED: "bg-red-lt",
}
