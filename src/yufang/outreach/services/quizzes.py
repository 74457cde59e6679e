"""Prize quizzes: set up from the training question bank, entered by the public with a
verified phone (one entry per phone per quiz per day, a time limit kept by the server),
scored, and closed by a prize draw anyone can check (`outreach/draw.py`)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.outreach import require_runs_programme
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.lib.errors import InvalidInput
from yufang.lib.protected import phone_digest, phone_mask
from yufang.outreach import draw
from yufang.outreach.models import Quiz, QuizEntry, QuizQuestion, QuizSeed
from yufang.outreach.services import common as c
from yufang.outreach.services.media import rule
from yufang.regions.models import Region
from yufang.training.selectors.exams import questions_visible

MAX_POOL = 300


def quiz_create(
    *,
    actor: Any,
    title: str,
    region_code: str,
    opens_at: Any,
    closes_at: Any,
    questions_per_entry: Any,
    qualifying_score: Any,
    prize_count: Any,
    description: str = "",
    topic: str = "",
) -> Quiz:
    """A quiz of the province or a city. Its questions are copied from the bank questions the
    official may read (the province's shared bank, active, of a topic if given); each entry
    draws its own from them. The draw's seed is chosen now and only its hash is shown."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    readers = {
        "title": lambda: c.text(title, "title", max_length=200),
        "description": lambda: c.text(description, "description", max_length=5000, required=False),
        "region": lambda: c.region_by_code(
            region_code, "region", Region.Level.PROVINCE, Region.Level.CITY
        ),
        "opens_at": lambda: c.moment(opens_at, "opens_at"),
        "closes_at": lambda: c.moment(closes_at, "closes_at"),
        "questions_per_entry": lambda: c.integer(
            questions_per_entry, "questions_per_entry", low=1, high=50
        ),
        "qualifying_score": lambda: c.integer(qualifying_score, "qualifying_score", high=50),
        "prize_count": lambda: c.integer(prize_count, "prize_count", low=1, high=1000),
    }
    for field, read in readers.items():
        try:
            values[field] = read()
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    if values["closes_at"] <= values["opens_at"]:
        raise InvalidInput(_("The quiz closes after it opens."), "closes_at")
    if values["qualifying_score"] > values["questions_per_entry"]:
        raise InvalidInput(
            _("No more correct answers can be asked for than there are questions."),
            "qualifying_score",
        )
    require_runs_programme(actor, region=values["region"])
    bank = questions_visible(actor).filter(
        is_active=True, region__isnull=True, institution__isnull=True
    )
    if topic:
        bank = bank.filter(topic=topic)
    pool = list(bank.order_by("code")[:MAX_POOL])
    if len(pool) < values["questions_per_entry"]:
        raise InvalidInput(
            _("The question bank has only %(n)s questions for this quiz.") % {"n": len(pool)},
            "questions_per_entry",
        )
    seed = draw.seed_new()
    with transaction.atomic():
        quiz = Quiz.objects.create(
            title=values["title"],
            description=values["description"],
            region=values["region"],
            opens_at=values["opens_at"],
            closes_at=values["closes_at"],
            questions_per_entry=values["questions_per_entry"],
            qualifying_score=values["qualifying_score"],
            prize_count=values["prize_count"],
            seed_hash=draw.seed_hash(seed),
            created_by=actor,
        )
        QuizSeed.objects.create(quiz=quiz, seed=seed)
        QuizQuestion.objects.bulk_create(
            QuizQuestion(
                quiz=quiz,
                number=n,
                source_code=q.code,
                type=q.type,
                stem=q.stem,
                options=q.options,
                answer=q.answer,
            )
            for n, q in enumerate(pool, start=1)
        )
        audit_create(actor, quiz)
    return quiz


def quiz_is_open(quiz: Quiz, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return quiz.opens_at <= now < quiz.closes_at


def quiz_entry_start(
    *,
    quiz: Quiz,
    phone: str,
    nickname: str = "",
    city_code: str = "",
    organised_by_employer: bool = False,
    now: dt.datetime | None = None,
) -> QuizEntry:
    """Starts today's entry for a verified phone: draws its questions and starts its clock.
    A second entry by the same phone in the same quiz on the same day is refused (a unique
    constraint holds it even for two at once)."""
    now = now or timezone.now()
    if not quiz_is_open(quiz, now):
        raise InvalidInput(_("The quiz is not open now."), "quiz")
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    try:
        values["nickname"] = c.text(nickname, "nickname", max_length=30, required=False)
    except InvalidInput as exc:
        errors.update(exc.errors)
    city = None
    if city_code:
        try:
            city = c.region_by_code(city_code, "city", Region.Level.CITY)
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    digest = phone_digest(phone)
    day = timezone.localdate(now)
    again = InvalidInput(
        _("This phone number has already entered this quiz today; come back tomorrow."), "phone"
    )
    if QuizEntry.objects.filter(quiz=quiz, phone_digest=digest, day=day).exists():
        raise again
    numbers = list(quiz.questions.values_list("number", flat=True))
    drawn = sorted(secrets.SystemRandom().sample(numbers, quiz.questions_per_entry))
    seconds = int(rule("outreach_quiz_seconds_per_question")) * len(drawn)
    try:
        with transaction.atomic():
            return QuizEntry.objects.create(
                quiz=quiz,
                token=secrets.token_hex(16),
                phone_digest=digest,
                phone_masked=phone_mask(phone),
                nickname=values["nickname"],
                city=city,
                organised_by_employer=bool(organised_by_employer),
                day=day,
                question_numbers=drawn,
                started_at=now,
                deadline_at=now + dt.timedelta(seconds=seconds),
            )
    except IntegrityError as exc:
        raise again from exc


def quiz_entry_questions(entry: QuizEntry) -> list[QuizQuestion]:
    by_number = {
        q.number: q for q in entry.quiz.questions.filter(number__in=entry.question_numbers)
    }
    return [by_number[n] for n in entry.question_numbers if n in by_number]


def quiz_entry_submit(
    *, entry: QuizEntry, answers: Mapping[int, list[str]], now: dt.datetime | None = None
) -> QuizEntry:
    """Scores an entry's answers (a question counts when exactly its right options are
    chosen). Answers arriving after the time limit (and its grace) are not counted: the entry
    is closed as timed out and the entrant told so."""
    now = now or timezone.now()
    grace = dt.timedelta(seconds=int(rule("outreach_quiz_grace_seconds")))
    with transaction.atomic():
        entry = QuizEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.submitted_at is not None:
            raise InvalidInput(_("This entry has already been submitted."), "answers")
        entry.submitted_at = now
        entry.seconds_taken = max(0, int((now - entry.started_at).total_seconds()))
        if now > entry.deadline_at + grace:
            entry.timed_out = True
            entry.score = 0
            entry.save(update_fields=["submitted_at", "seconds_taken", "timed_out", "score"])
            timed_out = True
        else:
            timed_out = False
            score = 0
            kept: dict[str, list[str]] = {}
            for q in quiz_entry_questions(entry):
                given = sorted({str(k) for k in answers.get(q.number, [])})[:10]
                kept[str(q.number)] = given
                if given and given == sorted(str(k) for k in q.answer):
                    score += 1
            entry.answers = kept
            entry.score = score
            entry.save(update_fields=["submitted_at", "seconds_taken", "answers", "score"])
    if timed_out:
        raise InvalidInput(
            _("Time was up before the answers arrived; this entry scores nothing."), "answers"
        )
    return entry


def quiz_qualified(quiz: Quiz) -> list[QuizEntry]:
    """Entries in the draw, in the published order (entry number)."""
    return list(
        quiz.entries.filter(
            submitted_at__isnull=False, timed_out=False, score__gte=quiz.qualifying_score
        ).order_by("pk")
    )


def quiz_draw(*, actor: Any, quiz: Quiz, now: dt.datetime | None = None) -> Quiz:
    """Draws the prizes among the qualified entries once the quiz has closed, and publishes
    the seed whose hash was shown from the start."""
    require_runs_programme(actor, region=quiz.region)
    now = now or timezone.now()
    with transaction.atomic():
        quiz = Quiz.objects.select_for_update().get(pk=quiz.pk)
        if quiz.drawn_at is not None:
            raise InvalidInput(_("The prizes have already been drawn."), "quiz")
        if now < quiz.closes_at:
            raise InvalidInput(_("The draw is held after the quiz closes."), "quiz")
        before = snapshot(quiz)
        seed = QuizSeed.objects.get(quiz=quiz).seed
        codes = [str(e.pk) for e in quiz_qualified(quiz)]
        quiz.winners = [int(code) for code in draw.draw_winners(seed, codes, quiz.prize_count)]
        quiz.seed = seed
        quiz.drawn_at = now
        quiz.save(update_fields=["winners", "seed", "drawn_at"])
        audit_update(actor, quiz, before, reason=_("prize draw"))
    return quiz
