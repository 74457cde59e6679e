"""Reads of the outreach module. Every selector for the running side takes the user and
returns only what their scope holds (`accounts/scoping/outreach.py`); the public selectors
return only what the public may see: open calls and quizzes, approved entries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yufang.accounts.scoping.outreach import (
    engagement_city_q,
    judged_entries_q,
    may_run_programme,
    outreach_activities_q,
    programmes_q,
    publicity_campaigns_q,
)
from yufang.outreach.models import (
    ActivityPhoto,
    Contest,
    Entry,
    EntryStatus,
    OutreachActivity,
    PublicityCampaign,
    Quiz,
    QuizEntry,
    Recusal,
    Score,
    Vote,
)
from yufang.regions.models import Region

OUTREACH_TODO_ROLES = frozenset({"province", "city", "admin"})


def _filtered(qs: QuerySet[Any], q: Q | None) -> QuerySet[Any]:
    return qs if q is None else qs.filter(q)


# --- campaigns ----------------------------------------------------------------------------------


def campaigns_visible(user: Any) -> QuerySet[PublicityCampaign]:
    qs = (
        PublicityCampaign.objects.select_related("city", "county")
        .annotate(
            activity_count=Count("activities", distinct=True),
            people=Sum("activities__people_reached"),
            enterprises=Sum("activities__enterprises_reached"),
        )
        .order_by("-starts_on", "-id")
    )
    return _filtered(qs, publicity_campaigns_q(user))


def campaign_get(user: Any, pk: int) -> PublicityCampaign:
    return get_object_or_404(campaigns_visible(user), pk=pk)  # type: ignore[no-any-return]


def activities_visible(user: Any) -> QuerySet[OutreachActivity]:
    qs = OutreachActivity.objects.select_related(
        "campaign", "city", "county", "enterprise", "recorded_by"
    )
    return _filtered(qs, outreach_activities_q(user))


def activity_get(user: Any, pk: int) -> OutreachActivity:
    return get_object_or_404(activities_visible(user), pk=pk)  # type: ignore[no-any-return]


def activity_photo_get(user: Any, pk: int) -> ActivityPhoto:
    return get_object_or_404(  # type: ignore[no-any-return]
        ActivityPhoto.objects.filter(activity__in=activities_visible(user)), pk=pk
    )


def reach_by_city_and_month(user: Any, *, year: int) -> list[dict[str, Any]]:
    """Per city and month of a year: activities, people and enterprises reached."""
    rows = (
        activities_visible(user)
        .filter(held_on__year=year)
        .annotate(month=TruncMonth("held_on"))
        .values("city__code", "city__name", "month")
        .annotate(
            activities=Count("id"),
            people=Sum("people_reached"),
            enterprises=Sum("enterprises_reached"),
        )
        .order_by("city__code", "month")
    )
    return [
        {
            "city_code": r["city__code"],
            "city": r["city__name"],
            "month": r["month"].month if r["month"] else None,
            "activities": r["activities"],
            "people": r["people"] or 0,
            "enterprises": r["enterprises"] or 0,
        }
        for r in rows
    ]


def reach_by_kind(qs: QuerySet[OutreachActivity]) -> list[dict[str, Any]]:
    return list(
        qs.values("kind")
        .annotate(activities=Count("id"), people=Sum("people_reached"))
        .order_by("kind")
    )


# --- quizzes ------------------------------------------------------------------------------------


def quizzes_visible(user: Any) -> QuerySet[Quiz]:
    qs = (
        Quiz.objects.select_related("region")
        .annotate(entry_count=Count("entries"))
        .order_by("-opens_at", "-id")
    )
    return _filtered(qs, programmes_q(user))


def quiz_get(user: Any, pk: int) -> Quiz:
    return get_object_or_404(quizzes_visible(user), pk=pk)  # type: ignore[no-any-return]


def quizzes_public(now: dt.datetime | None = None) -> QuerySet[Quiz]:
    """Quizzes the public sees: open, or closed in the last 90 days (results and draws)."""
    now = now or timezone.now()
    return Quiz.objects.select_related("region").filter(
        opens_at__lte=now, closes_at__gte=now - dt.timedelta(days=90)
    )


def quiz_public_get(pk: int) -> Quiz:
    return get_object_or_404(quizzes_public(), pk=pk)  # type: ignore[no-any-return]


def leaderboard(quiz: Quiz, *, limit: int = 50) -> QuerySet[QuizEntry]:
    """Best scores first, then the quickest, then the earliest; phones masked."""
    return (
        quiz.entries.filter(submitted_at__isnull=False, timed_out=False)
        .select_related("city")
        .order_by("-score", "seconds_taken", "pk")[:limit]
    )


def quiz_winners(quiz: Quiz) -> list[QuizEntry]:
    found = {e.pk: e for e in quiz.entries.filter(pk__in=quiz.winners)}
    return [found[pk] for pk in quiz.winners if pk in found]


# --- contests -----------------------------------------------------------------------------------


def contests_visible(user: Any) -> QuerySet[Contest]:
    qs = (
        Contest.objects.select_related("region")
        .annotate(
            entry_count=Count("entries", distinct=True),
            pending_count=Count(
                "entries", filter=Q(entries__status=EntryStatus.PENDING), distinct=True
            ),
        )
        .order_by("-deadline", "-id")
    )
    return _filtered(qs, programmes_q(user))


def contest_get(user: Any, pk: int) -> Contest:
    return get_object_or_404(contests_visible(user), pk=pk)  # type: ignore[no-any-return]


def contests_public(now: dt.datetime | None = None) -> QuerySet[Contest]:
    now = now or timezone.now()
    return Contest.objects.select_related("region").filter(opens_at__lte=now)


def contest_public_get(pk: int) -> Contest:
    return get_object_or_404(contests_public(), pk=pk)  # type: ignore[no-any-return]


def counted_votes() -> Q:
    return Q(votes__flagged=False)


def entries_public(contest: Contest) -> QuerySet[Entry]:
    """The gallery: approved entries only, with their counted (unflagged) votes."""
    return (
        contest.entries.filter(status=EntryStatus.APPROVED)
        .select_related("city")
        .annotate(vote_count=Count("votes", filter=counted_votes()))
        .order_by("pk")
    )


def entry_public_get(pk: int) -> Entry:
    return get_object_or_404(  # type: ignore[no-any-return]
        Entry.objects.select_related("contest").filter(
            status=EntryStatus.APPROVED, contest__in=contests_public()
        ),
        pk=pk,
    )


def entries_visible(user: Any) -> QuerySet[Entry]:
    """Entries a user reads on the running side: of the contests in their reach, or the ones
    they judge."""
    q = programmes_q(user)
    qs = Entry.objects.select_related("contest", "contest__region", "city").annotate(
        vote_count=Count("votes", filter=counted_votes())
    )
    if q is None:
        return qs
    return qs.filter(Q(contest__in=Contest.objects.filter(q)) | judged_entries_q(user))


def entry_get(user: Any, pk: int) -> Entry:
    return get_object_or_404(entries_visible(user), pk=pk)  # type: ignore[no-any-return]


def moderation_queue(user: Any) -> list[Entry]:
    """Entries waiting for moderation in the contests the user runs."""
    pending = (
        entries_visible(user).filter(status=EntryStatus.PENDING).order_by("submitted_at", "pk")
    )
    return [e for e in pending[:200] if may_run_programme(user, region=e.contest.region)]


def contests_judged_by(user: Any) -> QuerySet[Contest]:
    if not getattr(user, "is_authenticated", False):
        return Contest.objects.none()
    return Contest.objects.select_related("region").filter(panel__user_id=user.pk)


def judging_sheet(user: Any, contest: Contest) -> list[dict[str, Any]]:
    """The approved entries of a contest the user judges, with their own score or recusal."""
    entries = list(contest.entries.filter(status=EntryStatus.APPROVED).order_by("pk"))
    scores = {s.entry_id: s for s in Score.objects.filter(entry__contest=contest, judge=user)}
    recused = {r.entry_id: r for r in Recusal.objects.filter(entry__contest=contest, judge=user)}
    return [{"entry": e, "score": scores.get(e.pk), "recusal": recused.get(e.pk)} for e in entries]


def contest_standings(contest: Contest) -> list[Entry]:
    """The published results, best first."""
    return list(
        contest.entries.filter(status=EntryStatus.APPROVED, final_score__isnull=False)
        .select_related("city")
        .annotate(vote_count=Count("votes", filter=counted_votes()))
        .order_by("-final_score", "pk")
    )


def flagged_votes(contest: Contest) -> int:
    """Votes flagged in bursts and not yet decided by an official."""
    return Vote.objects.filter(contest=contest, flagged=True, flag_reason="burst").count()


# --- engagement ---------------------------------------------------------------------------------


def engagement(user: Any, *, year: int) -> dict[str, Any]:
    """Participants, entries, votes and reach by city and by month, voluntary participation
    (not organised by an employer) apart: the measure of 我要预防."""
    city_q = engagement_city_q(user)
    quiz_entries = _filtered(QuizEntry.objects.filter(day__year=year), city_q)
    contest_entries = _filtered(Entry.objects.filter(submitted_at__year=year), city_q)
    votes = _filtered(
        Vote.objects.filter(day__year=year, flagged=False),
        engagement_city_q(user, "entry__city"),
    )
    reach = _filtered(OutreachActivity.objects.filter(held_on__year=year), engagement_city_q(user))
    cities: dict[Any, dict[str, Any]] = defaultdict(_blank_row)
    months: dict[int, dict[str, Any]] = {m: _blank_row() for m in range(1, 13)}

    def add(rows: Any, key: str, city_key: str, month_key: str) -> None:
        for r in rows:
            cities[r[city_key]][key] += r["n"]
            months[r[month_key].month][key] += r["n"]

    qe = quiz_entries.annotate(m=TruncMonth("day")).values(
        "city__name", "m", "organised_by_employer"
    )
    for r in qe.annotate(n=Count("id"), people=Count("phone_digest", distinct=True)):
        name = r["city__name"]
        part = "organised" if r["organised_by_employer"] else "voluntary"
        for target in (cities[name], months[r["m"].month]):
            target["quiz_entries"] += r["n"]
            target[f"{part}_entries"] += r["n"]
    ce = contest_entries.annotate(m=TruncMonth("submitted_at")).values(
        "city__name", "m", "organised_by_employer"
    )
    for r in ce.annotate(n=Count("id")):
        part = "organised" if r["organised_by_employer"] else "voluntary"
        for target in (cities[r["city__name"]], months[r["m"].month]):
            target["contest_entries"] += r["n"]
            target[f"{part}_entries"] += r["n"]
    add(
        votes.annotate(m=TruncMonth("day"))
        .values("entry__city__name", "m")
        .annotate(n=Count("id")),
        "votes",
        "entry__city__name",
        "m",
    )
    for r in (
        reach.annotate(m=TruncMonth("held_on"))
        .values("city__name", "m")
        .annotate(n=Count("id"), people=Sum("people_reached"), firms=Sum("enterprises_reached"))
    ):
        for target in (cities[r["city__name"]], months[r["m"].month]):
            target["activities"] += r["n"]
            target["people_reached"] += r["people"] or 0
            target["enterprises_reached"] += r["firms"] or 0
    participants = {
        "quiz": quiz_entries.values("phone_digest").distinct().count(),
        "contest": contest_entries.values("phone_digest").distinct().count(),
        "voluntary": quiz_entries.filter(organised_by_employer=False)
        .values("phone_digest")
        .distinct()
        .count(),
    }
    totals = _blank_row()
    for row in cities.values():
        for k in totals:
            totals[k] += row[k]
    return {
        "year": year,
        "cities": sorted(
            ({"city": name or "", **row} for name, row in cities.items()),
            key=lambda r: (r["city"] == "", r["city"]),
        ),
        "months": [{"month": m, **row} for m, row in months.items()],
        "totals": totals,
        "participants": participants,
    }


def _blank_row() -> dict[str, int]:
    return {
        "activities": 0,
        "people_reached": 0,
        "enterprises_reached": 0,
        "quiz_entries": 0,
        "contest_entries": 0,
        "votes": 0,
        "voluntary_entries": 0,
        "organised_entries": 0,
    }


def cities_for_entrants() -> QuerySet[Region]:
    return Region.objects.filter(level=Region.Level.CITY, is_abolished=False).order_by("code")


def outreach_todos(user: Any) -> list[Any]:
    """For the officials running contests: entries waiting for moderation; for judges: approved
    entries they have neither scored nor recused from."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy

    from yufang.support.todos import Todo

    if not getattr(user, "is_authenticated", False):
        return []
    found: list[Any] = []
    if getattr(user, "role", None) in OUTREACH_TODO_ROLES:
        waiting = len(moderation_queue(user))
        if waiting:
            found.append(
                Todo(
                    gettext_lazy("Contest entries awaiting moderation: %(n)s") % {"n": waiting},
                    reverse("outreach:moderation"),
                    "warning",
                )
            )
    for contest in contests_judged_by(user).filter(results_published_at__isnull=True)[:5]:
        open_entries = (
            contest.entries.filter(status=EntryStatus.APPROVED)
            .exclude(scores__judge=user)
            .exclude(recusals__judge=user)
            .count()
        )
        if open_entries:
            found.append(
                Todo(
                    gettext_lazy("Entries to judge in %(contest)s: %(n)s")
                    % {"contest": contest.title, "n": open_entries},
                    reverse("outreach:judging", args=[contest.pk]),
                )
            )
    return found
