"""The outreach API: campaigns and activities, prize quizzes and their draws, contests with
their entries, moderation, judging and votes, and the engagement figures. The same services
and selectors as the pages. Operations under /public need no account: an entrant proves a
phone number with a code (`POST /api/v1/notifications/phone-codes`) and sends it with the
entry or the vote; they are rate limited per client address."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from yufang.accounts.scoping.outreach import may_read_engagement
from yufang.lib.errors import InvalidInput
from yufang.notifications.phone import phone_clean, phone_code_check
from yufang.outreach import draw, selectors, services
from yufang.outreach.models import (
    Contest,
    Entry,
    OutreachActivity,
    PublicityCampaign,
    Quiz,
    QuizEntry,
)
from yufang.outreach.views.common import PUBLIC_READ_RATE, PUBLIC_WRITE_RATE
from yufang.support.bounds import Code, Id, Name, Note, Text, Year, paginated
from yufang.support.http import client_address
from yufang.support.ratelimits import client_address as rate_key

router = Router(tags=["outreach"])
Phone = Annotated[str, Field(max_length=20)]
SmsCode = Annotated[str, Field(max_length=10)]
Mark = Annotated[int, Field(ge=0, le=100)]
Small = Annotated[int, Field(ge=0, le=1000)]


# --- schemas ------------------------------------------------------------------------------------


class PublicityCampaignIn(Schema):
    title: Name
    region: Code
    starts_on: dt.date
    ends_on: dt.date
    description: Text = ""


class PublicityCampaignOut(Schema):
    id: int
    title: str
    description: str
    city: str
    county: str | None
    starts_on: dt.date
    ends_on: dt.date
    activity_count: int
    people_reached: int
    enterprises_reached: int

    @staticmethod
    def resolve_city(obj: PublicityCampaign) -> str:
        return obj.city.code

    @staticmethod
    def resolve_county(obj: PublicityCampaign) -> str | None:
        return obj.county.code if obj.county_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_people_reached(obj: Any) -> int:
        return int(getattr(obj, "people", 0) or 0)

    @staticmethod
    def resolve_enterprises_reached(obj: Any) -> int:
        return int(getattr(obj, "enterprises", 0) or 0)


class ActivityIn(Schema):
    kind: Code
    title: Name
    held_on: dt.date
    place: Name = ""
    county: Code = ""
    enterprise_id: Id | None = None
    people_reached: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    enterprises_reached: Annotated[int, Field(ge=0, le=100_000)] = 0
    note: Text = ""
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)


class ActivityOut(Schema):
    id: int
    campaign_id: int
    kind: str
    title: str
    held_on: dt.date
    place: str
    city: str
    county: str | None
    enterprise_id: int | None
    people_reached: int
    enterprises_reached: int
    note: str
    photo_urls: list[str]

    @staticmethod
    def resolve_city(obj: OutreachActivity) -> str:
        return obj.city.code

    @staticmethod
    def resolve_county(obj: OutreachActivity) -> str | None:
        return obj.county.code if obj.county_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_photo_urls(obj: OutreachActivity) -> list[str]:
        from django.urls import reverse

        return [reverse("outreach:activity_photo", args=[p.pk, "full"]) for p in obj.photos.all()]


class QuizIn(Schema):
    title: Name
    region: Code
    opens_at: dt.datetime
    closes_at: dt.datetime
    questions_per_entry: Annotated[int, Field(ge=1, le=50)]
    qualifying_score: Annotated[int, Field(ge=0, le=50)]
    prize_count: Annotated[int, Field(ge=1, le=1000)]
    description: Text = ""
    topic: Code = ""


class QuizOut(Schema):
    id: int
    title: str
    description: str
    region: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    questions_per_entry: int
    qualifying_score: int
    prize_count: int
    seed_hash: str
    seed: str | None
    drawn_at: dt.datetime | None
    winners: list[int]

    @staticmethod
    def resolve_region(obj: Quiz) -> str:
        return obj.region.code

    @staticmethod
    def resolve_seed(obj: Quiz) -> str | None:
        return obj.seed if obj.drawn_at else None


class LeaderOut(Schema):
    entry: int
    nickname: str
    phone: str
    score: int | None
    seconds_taken: int | None

    @staticmethod
    def resolve_entry(obj: QuizEntry) -> int:
        return obj.pk

    @staticmethod
    def resolve_phone(obj: QuizEntry) -> str:
        return obj.phone_masked


class DrawOut(Schema):
    seed_hash: str
    seed: str | None
    qualified: list[str]
    prize_count: int
    winners: list[int]
    method: str


class QuizEntryIn(Schema):
    phone: Phone
    code: SmsCode
    nickname: Annotated[str, Field(max_length=30)] = ""
    city: Code = ""
    organised_by_employer: bool = False


class QuizQuestionOut(Schema):
    number: int
    type: str
    stem: str
    options: list[dict[str, str]]


class QuizEntryOut(Schema):
    token: str
    entry: int
    deadline_at: dt.datetime
    questions: list[QuizQuestionOut]


class AnswersIn(Schema):
    token: Annotated[str, Field(max_length=32)]
    answers: dict[str, list[Annotated[str, Field(max_length=4)]]] = Field(
        default_factory=dict, max_length=50
    )


class QuizResultOut(Schema):
    entry: int
    score: int | None
    timed_out: bool
    qualified: bool


class RubricIn(Schema):
    key: Annotated[str, Field(max_length=20)]
    label: Annotated[str, Field(max_length=60)]
    max: Annotated[int, Field(ge=1, le=100)]


class ContestIn(Schema):
    title: Name
    kind: Code
    region: Code
    rules: Text
    opens_at: dt.datetime
    deadline: dt.datetime
    prizes: list[Annotated[int, Field(ge=1, le=100)]] = Field(..., min_length=1, max_length=10)
    voting: bool = False
    voting_closes_at: dt.datetime | None = None
    rubric: list[RubricIn] | None = Field(None, max_length=10)
    judges: list[Annotated[str, Field(max_length=150)]] = Field(default_factory=list, max_length=30)


class ContestOut(Schema):
    id: int
    title: str
    kind: str
    region: str
    rules: str
    rubric: list[dict[str, Any]]
    opens_at: dt.datetime
    deadline: dt.datetime
    voting: bool
    voting_closes_at: dt.datetime | None
    prizes: list[int]
    results_published_at: dt.datetime | None

    @staticmethod
    def resolve_region(obj: Contest) -> str:
        return obj.region.code


class EntryOut(Schema):
    id: int
    contest_id: int
    title: str
    author_name: str
    description: str
    lyrics: str
    city: str | None
    media_format: str
    duration_seconds: Decimal | None
    status: str
    votes: int
    final_score: Decimal | None
    award: str
    file_url: str | None

    @staticmethod
    def resolve_city(obj: Entry) -> str | None:
        return obj.city.code if obj.city_id else None  # type: ignore[union-attr]

    @staticmethod
    def resolve_votes(obj: Any) -> int:
        return int(getattr(obj, "vote_count", 0) or 0)

    @staticmethod
    def resolve_file_url(obj: Entry) -> str | None:
        from django.urls import reverse

        if not obj.file_path or obj.status != "approved":
            return None
        return reverse("outreach:public_entry_media", args=[obj.pk, "full"])


class ModerationIn(Schema):
    decision: Code
    note: Note = ""


class ScoreIn(Schema):
    marks: dict[str, Mark] = Field(..., max_length=10)


class ScoreOut(Schema):
    entry: int
    marks: dict[str, int]
    total: Decimal

    @staticmethod
    def resolve_entry(obj: Any) -> int:
        return int(obj.entry_id)


class RecusalIn(Schema):
    reason: Note


class VoteIn(Schema):
    phone: Phone
    code: SmsCode


class VoteOut(Schema):
    entry: int
    counted: bool
    detail: str


class EngagementOut(Schema):
    year: int
    totals: dict[str, int]
    participants: dict[str, int]
    cities: list[dict[str, Any]]
    months: list[dict[str, Any]]


# --- campaigns and activities -------------------------------------------------------------------


@router.get("/campaigns", response=list[PublicityCampaignOut])
@paginated(50)
def campaigns(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Publicity campaigns in the caller's reach, with their activities' reach."""
    return selectors.campaigns_visible(request.user)


@router.post("/campaigns", response={201: PublicityCampaignOut})
def campaign_create(request: HttpRequest, payload: PublicityCampaignIn) -> Status:
    campaign = services.publicity_campaign_create(
        actor=request.user,
        title=payload.title,
        region_code=payload.region,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        description=payload.description,
    )
    return Status(201, selectors.campaign_get(request.user, campaign.pk))


@router.get("/campaigns/{publicity_campaign_id}", response=PublicityCampaignOut)
def campaign(request: HttpRequest, publicity_campaign_id: Id) -> PublicityCampaign:
    return selectors.campaign_get(request.user, publicity_campaign_id)


@router.get("/campaigns/{publicity_campaign_id}/activities", response=list[ActivityOut])
@paginated(100)
def campaign_activities(request: HttpRequest, publicity_campaign_id: Id):  # type: ignore[no-untyped-def]
    found = selectors.campaign_get(request.user, publicity_campaign_id)
    return (
        selectors.activities_visible(request.user).filter(campaign=found).prefetch_related("photos")
    )


@router.post("/campaigns/{publicity_campaign_id}/activities", response={201: ActivityOut})
def activity_record(request: HttpRequest, publicity_campaign_id: Id, payload: ActivityIn) -> Status:
    """Records an activity (photos are added after, one request each)."""
    from yufang.enterprises.selectors import enterprises_to_pick

    found = selectors.campaign_get(request.user, publicity_campaign_id)
    enterprise = None
    if payload.enterprise_id is not None:
        enterprise = enterprises_to_pick(request.user).filter(pk=payload.enterprise_id).first()
        if enterprise is None:
            raise InvalidInput(_("No enterprise you may work at has this id."), "enterprise_id")
    activity = services.outreach_activity_record(
        actor=request.user,
        campaign=found,
        kind=payload.kind,
        title=payload.title,
        held_on=payload.held_on,
        place=payload.place,
        county_code=payload.county,
        enterprise=enterprise,
        people_reached=payload.people_reached,
        enterprises_reached=payload.enterprises_reached,
        note=payload.note,
        latitude=payload.latitude,
        longitude=payload.longitude,
    )
    return Status(201, activity)


@router.get("/activities/{activity_id}", response=ActivityOut)
def activity(request: HttpRequest, activity_id: Id) -> OutreachActivity:
    return selectors.activity_get(request.user, activity_id)


@router.post("/activities/{activity_id}/photos", response={201: ActivityOut})
def activity_photo(request: HttpRequest, activity_id: Id, photo: File[UploadedFile]) -> Status:
    found = selectors.activity_get(request.user, activity_id)
    services.activity_photo_add(actor=request.user, activity=found, upload=photo)
    return Status(201, selectors.activity_get(request.user, activity_id))


@router.get("/statistics", response=EngagementOut)
def statistics(request: HttpRequest, year: Year | None = None) -> dict[str, Any]:
    """Engagement by city and month of a year (this year by default); voluntary
    participation apart."""
    if not may_read_engagement(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("The engagement figures are for officials and auditors."))
    figures = selectors.engagement(request.user, year=year or timezone.localdate().year)
    return {**figures, "cities": figures["cities"], "months": figures["months"]}


# --- quizzes (running side) ---------------------------------------------------------------------


@router.get("/quizzes", response=list[QuizOut])
@paginated(50)
def quizzes(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.quizzes_visible(request.user)


@router.post("/quizzes", response={201: QuizOut})
def quiz_create(request: HttpRequest, payload: QuizIn) -> Status:
    quiz = services.quiz_create(
        actor=request.user, **payload.dict(exclude={"region"}), region_code=payload.region
    )
    return Status(201, quiz)


@router.get("/quizzes/{quiz_id}", response=QuizOut)
def quiz(request: HttpRequest, quiz_id: Id) -> Quiz:
    return selectors.quiz_get(request.user, quiz_id)


@router.post("/quizzes/{quiz_id}/draw", response=DrawOut)
def quiz_draw(request: HttpRequest, quiz_id: Id) -> dict[str, Any]:
    """Draws the prizes (after the quiz closes) and publishes the seed."""
    found = services.quiz_draw(actor=request.user, quiz=selectors.quiz_get(request.user, quiz_id))
    return _draw_out(found)


def _draw_out(quiz: Quiz) -> dict[str, Any]:
    drawn = quiz.drawn_at is not None
    return {
        "seed_hash": quiz.seed_hash,
        "seed": quiz.seed if drawn else None,
        "qualified": [str(e.pk) for e in services.quiz_qualified(quiz)] if drawn else [],
        "prize_count": quiz.prize_count,
        "winners": quiz.winners if drawn else [],
        "method": (draw.__doc__ or "").strip(),
    }


# --- contests (running side) --------------------------------------------------------------------


@router.get("/contests", response=list[ContestOut])
@paginated(50)
def contests(request: HttpRequest):  # type: ignore[no-untyped-def]
    return selectors.contests_visible(request.user)


@router.post("/contests", response={201: ContestOut})
def contest_create(request: HttpRequest, payload: ContestIn) -> Status:
    found = services.contest_create(
        actor=request.user,
        title=payload.title,
        kind=payload.kind,
        region_code=payload.region,
        rules=payload.rules,
        opens_at=payload.opens_at,
        deadline=payload.deadline,
        prizes=payload.prizes,
        voting=payload.voting,
        voting_closes_at=payload.voting_closes_at,
        rubric=[r.dict() for r in payload.rubric] if payload.rubric else None,
        judges=payload.judges,
    )
    return Status(201, found)


@router.get("/contests/{contest_id}", response=ContestOut)
def contest(request: HttpRequest, contest_id: Id) -> Contest:
    return selectors.contest_get(request.user, contest_id)


@router.get("/contests/{contest_id}/entries", response=list[EntryOut])
@paginated(100)
def contest_entries(request: HttpRequest, contest_id: Id):  # type: ignore[no-untyped-def]
    """All entries of a contest in the caller's reach (or that they judge), any status."""
    found = selectors.contest_get(request.user, contest_id)
    return selectors.entries_visible(request.user).filter(contest=found).order_by("pk")


@router.post("/contests/{contest_id}/results", response=list[EntryOut])
def contest_results(request: HttpRequest, contest_id: Id) -> list[Entry]:
    """Publishes the results (after the deadline): normalised scores and awards."""
    found = services.contest_results_publish(
        actor=request.user, contest=selectors.contest_get(request.user, contest_id)
    )
    return selectors.contest_standings(found)


class FlaggedVotesIn(Schema):
    decision: Code


@router.post("/contests/{contest_id}/flagged-votes", response=dict[str, int])
def contest_flagged_votes(
    request: HttpRequest, contest_id: Id, payload: FlaggedVotesIn
) -> dict[str, int]:
    """Counts or discards the votes flagged in bursts (`decision`: count, discard)."""
    decided = services.flagged_votes_decide(
        actor=request.user,
        contest=selectors.contest_get(request.user, contest_id),
        decision=payload.decision,
    )
    return {"decided": decided}


@router.get("/moderation", response=list[EntryOut])
def moderation(request: HttpRequest) -> list[Entry]:
    """Entries waiting for moderation in the contests the caller runs."""
    return selectors.moderation_queue(request.user)


@router.post("/entries/{entry_id}/moderation", response=EntryOut)
def entry_moderate(request: HttpRequest, entry_id: Id, payload: ModerationIn) -> Entry:
    found = services.entry_moderate(
        actor=request.user,
        entry=selectors.entry_get(request.user, entry_id),
        decision=payload.decision,
        note=payload.note,
    )
    return selectors.entry_get(request.user, found.pk)


@router.post("/entries/{entry_id}/scores", response=ScoreOut)
def entry_score(request: HttpRequest, entry_id: Id, payload: ScoreIn) -> Any:
    """A judge's marks against the rubric."""
    return services.score_record(
        actor=request.user,
        entry=selectors.entry_get(request.user, entry_id),
        marks=payload.marks,
    )


@router.post("/entries/{entry_id}/recusal", response={201: dict[str, str]})
def entry_recuse(request: HttpRequest, entry_id: Id, payload: RecusalIn) -> Status:
    services.recusal_declare(
        actor=request.user, entry=selectors.entry_get(request.user, entry_id), reason=payload.reason
    )
    return Status(201, {"detail": _("You have recused yourself from this entry.")})


# --- the public ---------------------------------------------------------------------------------


def _proved(phone: str, code: str, purpose: str) -> str:
    number = phone_clean(phone)
    phone_code_check(phone=number, code=code, purpose=purpose)
    return number


@router.get("/public/quizzes", auth=None, response=list[QuizOut])
@ratelimit(key=rate_key, rate=PUBLIC_READ_RATE, block=True)
def public_quizzes(request: HttpRequest) -> list[Quiz]:
    return list(selectors.quizzes_public()[:50])


@router.get("/public/quizzes/{quiz_id}", auth=None, response=QuizOut)
@ratelimit(key=rate_key, rate=PUBLIC_READ_RATE, block=True)
def public_quiz(request: HttpRequest, quiz_id: Id) -> Quiz:
    return selectors.quiz_public_get(quiz_id)


@router.get("/public/quizzes/{quiz_id}/leaderboard", auth=None, response=list[LeaderOut])
@ratelimit(key=rate_key, rate=PUBLIC_READ_RATE, block=True)
def public_leaderboard(request: HttpRequest, quiz_id: Id) -> list[QuizEntry]:
    return list(selectors.leaderboard(selectors.quiz_public_get(quiz_id), limit=50))


@router.get("/public/quizzes/{quiz_id}/draw", auth=None, response=DrawOut)
@ratelimit(key=rate_key, rate=PUBLIC_READ_RATE, block=True)
def public_draw(request: HttpRequest, quiz_id: Id) -> dict[str, Any]:
    """The committed hash; after the draw the seed, the qualified entries in order and the
    winners, to re-run `method`."""
    return _draw_out(selectors.quiz_public_get(quiz_id))


@router.post("/public/quizzes/{quiz_id}/entries", auth=None, response={201: QuizEntryOut})
@ratelimit(key=rate_key, rate=PUBLIC_WRITE_RATE, block=True)
def public_quiz_enter(request: HttpRequest, quiz_id: Id, payload: QuizEntryIn) -> Status:
    """Starts today's entry with a phone proved by its code: the questions and the deadline;
    answer with the token."""
    found = selectors.quiz_public_get(quiz_id)
    phone = _proved(payload.phone, payload.code, "quiz")
    entry = services.quiz_entry_start(
        quiz=found,
        phone=phone,
        nickname=payload.nickname,
        city_code=payload.city,
        organised_by_employer=payload.organised_by_employer,
    )
    return Status(
        201,
        {
            "token": entry.token,
            "entry": entry.pk,
            "deadline_at": entry.deadline_at,
            "questions": [
                {"number": q.number, "type": q.type, "stem": q.stem, "options": q.options}
                for q in services.quiz_entry_questions(entry)
            ],
        },
    )


@router.post("/public/quiz-answers", auth=None, response=QuizResultOut)
@ratelimit(key=rate_key, rate=PUBLIC_WRITE_RATE, block=True)
def public_quiz_answer(request: HttpRequest, payload: AnswersIn) -> dict[str, Any]:
    entry = QuizEntry.objects.select_related("quiz").filter(token=payload.token).first()
    if entry is None:
        raise Http404(_("No such entry."))
    answers: dict[int, list[str]] = {}
    for key, keys in payload.answers.items():
        if key.isdigit() and len(key) < 6:
            answers[int(key)] = keys
    entry = services.quiz_entry_submit(entry=entry, answers=answers)
    return {
        "entry": entry.pk,
        "score": entry.score,
        "timed_out": entry.timed_out,
        "qualified": not entry.timed_out and (entry.score or 0) >= entry.quiz.qualifying_score,
    }


@router.get("/public/contests", auth=None, response=list[ContestOut])
@ratelimit(key=rate_key, rate=PUBLIC_READ_RATE, block=True)
def public_contests(request: HttpRequest) -> list[Contest]:
    return list(selectors.contests_public()[:50])


@router.get("/public/contests/{contest_id}/entries", auth=None, response=list[EntryOut])
@ratelimit(key=rate_key, rate=PUBLIC_READ_RATE, block=True)
def public_gallery(request: HttpRequest, contest_id: Id) -> list[Entry]:
    """The gallery: approved entries only, with their counted votes."""
    return list(selectors.entries_public(selectors.contest_public_get(contest_id))[:500])


@router.post("/public/contests/{contest_id}/entries", auth=None, response={201: EntryOut})
@ratelimit(key=rate_key, rate=PUBLIC_WRITE_RATE, block=True)
def public_entry_submit(
    request: HttpRequest,
    contest_id: Id,
    phone: Form[Phone],
    code: Form[SmsCode],
    title: Form[Name],
    author_name: Form[Annotated[str, Field(max_length=60)]],
    declaration: Form[bool],
    description: str = Form("", max_length=2000),
    lyrics: str = Form("", max_length=10000),
    city: str = Form("", max_length=32),
    organised_by_employer: bool = Form(False),
    file: UploadedFile | None = File(None),  # noqa: B008 - Ninja reads the default
) -> Status:
    """An entry with its file (checked by content) and the entrant's declaration; it waits
    for moderation before the gallery shows it."""
    found = selectors.contest_public_get(contest_id)
    number = _proved(phone, code, "contest_entry")
    entry = services.entry_submit(
        contest=found,
        phone=number,
        title=title,
        author_name=author_name,
        declaration=declaration,
        upload=file,
        description=description,
        lyrics=lyrics,
        city_code=city,
        organised_by_employer=organised_by_employer,
    )
    return Status(201, entry)


@router.post("/public/entries/{entry_id}/votes", auth=None, response={201: VoteOut})
@ratelimit(key=rate_key, rate=PUBLIC_WRITE_RATE, block=True)
def public_vote(request: HttpRequest, entry_id: Id, payload: VoteIn) -> Status:
    """One vote per proved phone per contest per day; a burst from one address is flagged."""
    found = selectors.entry_public_get(entry_id)
    number = _proved(payload.phone, payload.code, "vote")
    vote = services.vote_cast(entry=found, phone=number, source=client_address(request))
    return Status(
        201,
        {
            "entry": found.pk,
            "counted": not vote.flagged,
            "detail": _("Held for review: a burst of votes from one address.")
            if vote.flagged
            else _("Thank you: your vote is counted."),
        },
    )
