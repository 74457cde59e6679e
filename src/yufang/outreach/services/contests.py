"""Contests (micro-video, photo, song): the call, entries checked by content, moderation,
judging against a rubric with recusal, public votes, results and awards."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role, User
from yufang.accounts.scoping.outreach import require_runs_programme
from yufang.audit.services import audit_create, audit_event, audit_update, snapshot
from yufang.lib.errors import InvalidInput
from yufang.lib.protected import phone_digest, phone_mask
from yufang.outreach import fairness
from yufang.outreach.models import (
    Contest,
    ContestKind,
    Entry,
    EntryStatus,
    Judge,
    Recusal,
    Score,
    Vote,
)
from yufang.outreach.services import common as c
from yufang.outreach.services import media
from yufang.outreach.services.media import rule
from yufang.regions.models import Region

# Why a vote is flagged or was cleared (codes; the pages say them in words).
BURST = "burst"
COUNTED = "counted after review"
DISCARDED = "discarded after review"


def _prizes(raw: Any) -> list[int]:
    if isinstance(raw, list | tuple):
        parts = [str(p) for p in raw]
    else:
        parts = [p for p in str(raw or "").replace("，", ",").split(",") if p.strip()]
    try:
        prizes = [int(p) for p in parts]
    except ValueError as exc:
        raise InvalidInput(_("Prizes are numbers per rank, e.g. 1,2,3."), "prizes") from exc
    if not prizes or len(prizes) > 10 or any(not 0 < p <= 100 for p in prizes):
        raise InvalidInput(_("Prizes are numbers per rank, e.g. 1,2,3."), "prizes")
    return prizes


def _rubric(raw: Any) -> list[dict[str, Any]]:
    if not raw:
        return list(rule("outreach_default_rubric"))
    if not isinstance(raw, list) or len(raw) > 10:
        raise InvalidInput(_("A rubric is a list of criteria with their top marks."), "rubric")
    rubric = []
    for n, item in enumerate(raw, start=1):
        try:
            label = c.text(item.get("label"), "rubric", max_length=60)
            top = c.integer(item.get("max"), "rubric", low=1, high=100)
        except (AttributeError, InvalidInput) as exc:
            raise InvalidInput(
                _("A rubric is a list of criteria with their top marks."), "rubric"
            ) from exc
        rubric.append({"key": str(item.get("key") or f"c{n}")[:20], "label": label, "max": top})
    return rubric


def contest_create(
    *,
    actor: Any,
    title: str,
    kind: str,
    region_code: str,
    rules: str,
    opens_at: Any,
    deadline: Any,
    prizes: Any,
    voting: bool = False,
    voting_closes_at: Any = None,
    rubric: Any = None,
    judges: Iterable[str] = (),
) -> Contest:
    """A call for entries with its rules, deadline, rubric, prizes and judging panel (judges
    are accounts named by username)."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    readers = {
        "title": lambda: c.text(title, "title", max_length=200),
        "kind": lambda: _kind(kind),
        "region": lambda: c.region_by_code(
            region_code, "region", Region.Level.PROVINCE, Region.Level.CITY
        ),
        "rules": lambda: c.text(rules, "rules", max_length=20000),
        "opens_at": lambda: c.moment(opens_at, "opens_at"),
        "deadline": lambda: c.moment(deadline, "deadline"),
        "prizes": lambda: _prizes(prizes),
        "rubric": lambda: _rubric(rubric),
        "voting_closes_at": lambda: (
            c.moment(voting_closes_at, "voting_closes_at") if voting and voting_closes_at else None
        ),
        "judges": lambda: _judges(judges),
    }
    for field, read in readers.items():
        try:
            values[field] = read()
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    if values["deadline"] <= values["opens_at"]:
        raise InvalidInput(_("The deadline comes after the call opens."), "deadline")
    if voting and values["voting_closes_at"] is None:
        values["voting_closes_at"] = values["deadline"]
    if values["voting_closes_at"] and values["voting_closes_at"] <= values["opens_at"]:
        raise InvalidInput(_("Voting closes after the call opens."), "voting_closes_at")
    require_runs_programme(actor, region=values["region"])
    with transaction.atomic():
        contest = Contest.objects.create(
            title=values["title"],
            kind=values["kind"],
            region=values["region"],
            rules=values["rules"],
            rubric=values["rubric"],
            opens_at=values["opens_at"],
            deadline=values["deadline"],
            voting=bool(voting),
            voting_closes_at=values["voting_closes_at"],
            prizes=values["prizes"],
            created_by=actor,
        )
        audit_create(actor, contest)
        for user in values["judges"]:
            audit_create(actor, Judge.objects.create(contest=contest, user=user))
    return contest


def _kind(raw: Any) -> str:
    value = str(raw or "").strip()
    if value not in ContestKind.values:
        raise InvalidInput(_("Choose a kind of contest from the list."), "kind")
    return value


def _judges(usernames: Iterable[str]) -> list[User]:
    names = [str(n).strip() for n in usernames if str(n).strip()][:30]
    found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    missing = [n for n in names if n not in found]
    if missing:
        raise InvalidInput(
            _("No such account: %(names)s.") % {"names": ", ".join(missing[:5])}, "judges"
        )
    if any(u.role == Role.AUDITOR for u in found.values()):
        raise InvalidInput(_("An auditor reads; an auditor does not judge."), "judges")
    return list(found.values())


def contest_judges_set(*, actor: Any, contest: Contest, usernames: Iterable[str]) -> list[Judge]:
    require_runs_programme(actor, region=contest.region)
    users = _judges(usernames)
    with transaction.atomic():
        keep = {u.pk for u in users}
        contest.panel.exclude(user_id__in=keep).delete()
        have = set(contest.panel.values_list("user_id", flat=True))
        for user in users:
            if user.pk not in have:
                audit_create(actor, Judge.objects.create(contest=contest, user=user))
    return list(contest.panel.select_related("user"))


# --- entries ------------------------------------------------------------------------------------


def contest_is_open(contest: Contest, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return contest.opens_at <= now < contest.deadline


def entry_submit(
    *,
    contest: Contest,
    phone: str,
    title: str,
    author_name: str,
    declaration: bool,
    upload: Any = None,
    description: str = "",
    lyrics: str = "",
    city_code: str = "",
    organised_by_employer: bool = False,
    now: dt.datetime | None = None,
) -> Entry:
    """An entry by a verified phone, with the entrant's declaration. The file is checked by
    its content for the contest's kind; the same file twice in one contest is refused. The
    entry waits for moderation before the public sees it."""
    now = now or timezone.now()
    if not contest_is_open(contest, now):
        raise InvalidInput(_("The call for entries is closed."), "contest")
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    readers = {
        "title": lambda: c.text(title, "title", max_length=200),
        "author_name": lambda: c.text(author_name, "author_name", max_length=60),
        "description": lambda: c.text(description, "description", max_length=5000, required=False),
        "lyrics": lambda: c.text(
            lyrics, "lyrics", max_length=10000, required=contest.kind == ContestKind.SONG
        ),
        "city": lambda: (
            c.region_by_code(city_code, "city", Region.Level.CITY) if city_code else None
        ),
    }
    for field, read in readers.items():
        try:
            values[field] = read()
        except InvalidInput as exc:
            errors.update(exc.errors)
    if not declaration:
        errors["declaration"] = _(
            "Confirm the declaration: the work is your own and may be shown by the programme."
        )
    prepared = None
    if upload is None:
        if contest.kind != ContestKind.SONG:
            errors["file"] = _("Choose the file of your entry.")
    else:
        try:
            prepared = media.prepare(upload, kind=contest.kind)
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    duplicate = InvalidInput(_("This file has already been entered in this contest."), "file")
    if prepared and Entry.objects.filter(contest=contest, file_sha256=prepared.sha256).exists():
        raise duplicate
    path, thumb = media.store(prepared, folder="entries") if prepared else ("", "")
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                contest=contest,
                token=secrets.token_hex(16),
                title=values["title"],
                description=values["description"],
                lyrics=values["lyrics"],
                author_name=values["author_name"],
                phone_digest=phone_digest(phone),
                phone_masked=phone_mask(phone),
                city=values["city"],
                organised_by_employer=bool(organised_by_employer),
                declared_at=now,
                file_path=path,
                thumbnail_path=thumb,
                file_sha256=prepared.sha256 if prepared else "",
                media_format=prepared.media_format if prepared else "",
                duration_seconds=prepared.duration_seconds if prepared else None,
                submitted_at=now,
            )
            audit_create(None, entry)
    except IntegrityError as exc:
        for p in (path, thumb):
            if p:
                default_storage.delete(p)
        raise duplicate from exc
    return entry


def entry_moderate(*, actor: Any, entry: Entry, decision: str, note: str = "") -> Entry:
    """Approves an entry for the public pages, or rejects it with a note."""
    require_runs_programme(actor, region=entry.contest.region)
    if decision not in (EntryStatus.APPROVED, EntryStatus.REJECTED):
        raise InvalidInput(_("Approve or reject."), "decision")
    note = c.text(note, "note", max_length=500, required=decision == EntryStatus.REJECTED)
    with transaction.atomic():
        entry = Entry.objects.select_for_update().get(pk=entry.pk)
        before = snapshot(entry)
        entry.status = decision
        entry.moderation_note = note
        entry.moderated_by = actor
        entry.moderated_at = timezone.now()
        entry.save(update_fields=["status", "moderation_note", "moderated_by", "moderated_at"])
        audit_update(actor, entry, before, reason=note)
    return entry


# --- judging ------------------------------------------------------------------------------------


def _require_judge(actor: Any, entry: Entry) -> None:
    if not getattr(actor, "pk", None) or not entry.contest.panel.filter(user_id=actor.pk).exists():
        raise PermissionDenied(_("Only the contest's judges score its entries."))
    if Contest.objects.filter(pk=entry.contest_id, results_published_at__isnull=False).exists():
        raise InvalidInput(_("The results are published; judging is over."), "entry")


def recusal_declare(*, actor: Any, entry: Entry, reason: str) -> Recusal:
    """A judge steps aside from an entry (a conflict of interest); a score they gave it goes."""
    _require_judge(actor, entry)
    reason = c.text(reason, "reason", max_length=500)
    with transaction.atomic():
        recusal, created = Recusal.objects.get_or_create(
            entry=entry, judge=actor, defaults={"reason": reason}
        )
        if created:
            audit_create(actor, recusal)
            Score.objects.filter(entry=entry, judge=actor).delete()
    return recusal


def score_record(*, actor: Any, entry: Entry, marks: Mapping[str, Any]) -> Score:
    """A judge's marks against the rubric (each from 0 to the criterion's top mark)."""
    _require_judge(actor, entry)
    if Recusal.objects.filter(entry=entry, judge=actor).exists():
        raise InvalidInput(_("You recused yourself from this entry; you cannot score it."), "entry")
    if entry.status != EntryStatus.APPROVED:
        raise InvalidInput(_("Only approved entries are judged."), "entry")
    kept: dict[str, int] = {}
    errors: dict[str, str] = {}
    for criterion in entry.contest.rubric:
        key = criterion["key"]
        try:
            kept[key] = c.integer(marks.get(key), f"marks.{key}", high=int(criterion["max"]))
            if str(marks.get(key, "")).strip() == "":
                raise InvalidInput(_("Give a mark."), f"marks.{key}")
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    total = Decimal(sum(kept.values()))
    with transaction.atomic():
        score, created = Score.objects.update_or_create(
            entry=entry,
            judge=actor,
            defaults={"marks": kept, "total": total, "scored_at": timezone.now()},
        )
        if created:
            audit_create(actor, score)
    return score


# --- public votes -------------------------------------------------------------------------------


def voting_is_open(contest: Contest, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    closes = contest.voting_closes_at or contest.deadline
    return contest.voting and contest.opens_at <= now < closes


def source_digest(address: str) -> str:
    return phone_digest(f"address:{address}")


def vote_cast(*, entry: Entry, phone: str, source: str, now: dt.datetime | None = None) -> Vote:
    """One vote per verified phone per contest per day. Votes beyond the burst limit from one
    source address are kept but flagged, and not counted until an official clears them."""
    now = now or timezone.now()
    contest = entry.contest
    if not contest.voting:
        raise InvalidInput(_("This contest has no public vote."), "entry")
    if not voting_is_open(contest, now):
        raise InvalidInput(_("Voting is closed."), "entry")
    if entry.status != EntryStatus.APPROVED:
        raise InvalidInput(_("This entry is not open for votes."), "entry")
    day = timezone.localdate(now)
    digest = phone_digest(phone)
    again = InvalidInput(
        _("This phone number has already voted in this contest today; vote again tomorrow."),
        "phone",
    )
    if Vote.objects.filter(contest=contest, phone_digest=digest, day=day).exists():
        raise again
    burst = rule("outreach_vote_burst")
    where = source_digest(source) if source else ""
    recent = (
        Vote.objects.filter(
            source=where, cast_at__gte=now - dt.timedelta(minutes=int(burst["minutes"]))
        ).count()
        if where
        else 0
    )
    flagged = recent >= int(burst["count"])
    try:
        with transaction.atomic():
            return Vote.objects.create(
                contest=contest,
                entry=entry,
                phone_digest=digest,
                day=day,
                source=where,
                cast_at=now,
                flagged=flagged,
                flag_reason=BURST if flagged else "",
            )
    except IntegrityError as exc:
        raise again from exc


def flagged_votes_decide(*, actor: Any, contest: Contest, decision: str) -> int:
    """An official running the contest looks at the votes flagged in bursts: "count" them (a
    factory's shared Wi-Fi, say) or "discard" them (kept, marked, never counted). Returns how
    many votes were decided."""
    require_runs_programme(actor, region=contest.region)
    if decision not in ("count", "discard"):
        raise InvalidInput(_("Count or discard."), "decision")
    with transaction.atomic():
        flagged = Vote.objects.select_for_update().filter(
            contest=contest, flagged=True, flag_reason__in=[BURST, ""]
        )
        if decision == "count":
            decided = flagged.update(flagged=False, flag_reason=COUNTED)
        else:
            decided = flagged.update(flag_reason=DISCARDED)
        if decided:
            audit_event(actor, contest, "update", reason=f"{decided} flagged votes: {decision}")
    return decided


# --- results ------------------------------------------------------------------------------------


def contest_results_publish(
    *, actor: Any, contest: Contest, now: dt.datetime | None = None
) -> Contest:
    """Ranks the approved, judged entries by their normalised score (`fairness.py`), gives
    the prizes in rank order, and publishes the results page."""
    require_runs_programme(actor, region=contest.region)
    now = now or timezone.now()
    with transaction.atomic():
        contest = Contest.objects.select_for_update().get(pk=contest.pk)
        if contest.results_published_at is not None:
            raise InvalidInput(_("The results are already published."), "contest")
        if now < contest.deadline:
            raise InvalidInput(_("Results are published after the deadline."), "contest")
        rows = Score.objects.filter(
            entry__contest=contest, entry__status=EntryStatus.APPROVED
        ).values_list("judge_id", "entry_id", "total")
        results = fairness.normalised(rows)
        if not results:
            raise InvalidInput(_("No entry has been scored yet."), "contest")
        ranked = fairness.ranking(results)
        ranks = prize_ranks(contest.prizes)
        entries = {e.pk: e for e in contest.entries.filter(pk__in=ranked)}
        for position, entry_id in enumerate(ranked):
            entry = entries[entry_id]
            entry.final_score = Decimal(str(round(results[entry_id], 4)))
            entry.award = str(ranks[position]) if position < len(ranks) else ""
            entry.save(update_fields=["final_score", "award"])
        before = snapshot(contest)
        contest.results_published_at = now
        contest.save(update_fields=["results_published_at"])
        audit_update(actor, contest, before, reason=_("results published"))
    return contest


def prize_ranks(prizes: list[int]) -> list[int]:
    """The prize rank of each awarded place, best first: [1, 2, 2, 3, 3, 3] for [1, 2, 3]."""
    return [rank for rank, count in enumerate(prizes, start=1) for _n in range(count)]


def award_label(award: str) -> str:
    """How an award reads: 一等奖, 二等奖, 三等奖, then "prize of rank n"."""
    if not award:
        return ""
    names = {"1": _("First prize"), "2": _("Second prize"), "3": _("Third prize")}
    return names.get(award) or _("Prize of rank %(n)s") % {"n": award}
