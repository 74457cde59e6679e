"""Publicity (宣传): campaigns and their activities, prize quizzes (有奖知识竞答) and contests
(征集 / 大赛: micro-video, photo, song), with their entries, judging and public votes.

The public enters with a verified phone number, kept only as a keyed digest (one entry a day,
one vote a day) and a masked form for the leaderboard; never in clear."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ActivityKind(models.TextChoices):
    VISIT_ONE_ON_ONE = "visit_one_on_one", _("one-on-one visit")
    VISIT_FACTORY = "visit_factory", _("into a factory")
    VISIT_WORKSHOP = "visit_workshop", _("into a workshop")
    VISIT_SITE = "visit_site", _("onto a building site")
    VISIT_SCHOOL = "visit_school", _("into a school")
    LECTURE = "lecture", _("lecture")
    EXHIBITION = "exhibition", _("exhibition")
    MEDIA = "media", _("media item")


class PublicityCampaign(models.Model):
    """A publicity campaign of a city (or one of its counties): the activities carry it out."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("publicity campaign")
        verbose_name_plural = _("publicity campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="outreach_campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class OutreachActivity(models.Model):
    """One activity of a campaign: a visit, a lecture, an exhibition, a media item; its reach."""

    campaign = models.ForeignKey(
        PublicityCampaign,
        verbose_name=pgettext_lazy("publicity", "campaign"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"), db_index=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "regions.Grid", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "organisations.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    people_reached = models.PositiveIntegerField(_("people reached"), default=0)
    enterprises_reached = models.PositiveIntegerField(_("enterprises reached"), default=0)
    note = models.TextField(_("note"), blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(OutreachActivity, on_delete=models.CASCADE, related_name="photos")
    image_path = models.CharField(max_length=300)
    thumbnail_path = models.CharField(max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    # --- prize quizzes ------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"photo {self.pk} of activity {self.activity_id}"


class Quiz(models.Model):
    """A prize quiz (有奖知识竞答) of the province or a city. Its questions are copied from the
    training question bank when it is set up, so the public never reads the bank itself.

    The prize draw is committed when the quiz is set up: the SHA-256 of a random seed is shown
    from the first day, the seed only after the draw (`draw.py` says how anyone re-runs it)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    questions_per_entry = models.PositiveSmallIntegerField(_("questions per entry"))
    qualifying_score = models.PositiveSmallIntegerField(_("correct answers to qualify"))
    prize_count = models.PositiveSmallIntegerField(_("prizes"))
    seed_hash = models.CharField(_("SHA-256 of the draw's seed"), max_length=64)
    seed = models.CharField(_("draw seed"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    winners = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prize quiz")
        verbose_name_plural = _("prize quizzes")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="outreach_quiz_closes_after_open"
            ),
            models.CheckConstraint(
                condition=Q(qualifying_score__lte=F("questions_per_entry")),
                name="outreach_quiz_qualifying_within_questions",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class QuizSeed(models.Model):
    """The draw's secret seed until the draw, kept apart from the quiz (whose changes the audit
    log records) so that nobody reads it before the draw; the draw copies it to `Quiz.seed`."""

    quiz = models.OneToOneField(Quiz, on_delete=models.CASCADE, related_name="secret")
    seed = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"seed of quiz {self.quiz_id}"


class QuizQuestion(models.Model):
    """A question of a quiz, copied from the training bank (`source_code` names it there)."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    source_code = models.CharField(max_length=20)
    type = models.CharField(max_length=12)
    stem = models.TextField()
    options = models.JSONField()
    answer = models.JSONField()

    class Meta:
        ordering = ["quiz", "number"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "number"], name="outreach_quiz_question_once")
        ]

    def __str__(self) -> str:
        return f"{self.quiz_id}/{self.number} {self.stem[:30]}"


class QuizEntry(models.Model):
    """One person's entry on one day: the questions drawn for it, the answers, the score."""

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="entries")
    token = models.CharField(max_length=32, unique=True)
    phone_digest = models.CharField(max_length=64)
    phone_masked = models.CharField(_("phone"), max_length=16)
    nickname = models.CharField(_("name shown"), max_length=30, blank=True)
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organised_by_employer = models.BooleanField(_("organised by the employer"), default=False)
    day = models.DateField(_("day"))
    question_numbers = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(pgettext_lazy("quiz entry", "started at"))
    deadline_at = models.DateTimeField(_("time limit"))
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    seconds_taken = models.PositiveIntegerField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("quiz entry")
        verbose_name_plural = _("quiz entries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "phone_digest", "day"], name="outreach_quiz_entry_once_a_day"
            )
        ]

    # --- contests -----------------------------------------------------------------------------------

    def __str__(self) -> str:
        return f"quiz {self.quiz_id} entry {self.pk}"


class ContestKind(models.TextChoices):
    VIDEO = "video", _("micro-video")
    PHOTO = "photo", _("photography")
    SONG = "song", _("song and lyrics")


class Contest(models.Model):
    """A call for entries (征集 / 大赛) with its rules, deadline, rubric and judging panel."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=ContestKind.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    rules = models.TextField(_("rules"))
    # [{"key": "message", "label": "主题表达", "max": 10}, ...]: what judges score.
    rubric = models.JSONField(_("rubric"))
    opens_at = models.DateTimeField(_("opens at"))
    deadline = models.DateTimeField(_("deadline"))
    voting = models.BooleanField(_("public voting"), default=False)
    voting_closes_at = models.DateTimeField(_("voting closes at"), null=True, blank=True)
    # Prizes per rank, best first: [1, 2, 3] is one first, two second and three third prizes.
    prizes = models.JSONField(_("prizes"), default=list)
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-deadline", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=F("opens_at")), name="outreach_contest_deadline_after_open"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Judge(models.Model):
    """A person named on a contest's judging panel."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="outreach_judge_once")
        ]

    def __str__(self) -> str:
        return f"judge {self.user_id} of contest {self.contest_id}"


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("awaiting moderation")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class Entry(models.Model):
    """A contest entry. Shown in public only once approved; the same file twice in a contest is
    refused by its SHA-256."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="entries")
    token = models.CharField(max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    lyrics = models.TextField(_("lyrics"), blank=True)
    author_name = models.CharField(_("author"), max_length=60)
    phone_digest = models.CharField(max_length=64)
    phone_masked = models.CharField(_("phone"), max_length=16)
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organised_by_employer = models.BooleanField(_("organised by the employer"), default=False)
    declared_at = models.DateTimeField(_("declaration accepted at"))
    file_path = models.CharField(max_length=300, blank=True)
    thumbnail_path = models.CharField(max_length=300, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    media_format = models.CharField(max_length=20, blank=True)
    duration_seconds = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EntryStatus.choices, default=EntryStatus.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_note = models.CharField(_("moderation note"), max_length=500, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    final_score = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    award = models.CharField(_("award"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("contest entry")
        verbose_name_plural = _("contest entries")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "file_sha256"],
                condition=~Q(file_sha256=""),
                name="outreach_entry_file_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Recusal(models.Model):
    """A judge stepping aside from an entry for a conflict of interest: they cannot score it."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="recusals")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge"], name="outreach_recusal_once")
        ]

    def __str__(self) -> str:
        return f"recusal of {self.judge_id} from entry {self.entry_id}"


class Score(models.Model):
    """A judge's marks for an entry against the contest's rubric, and their sum."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marks = models.JSONField()
    total = models.DecimalField(max_digits=8, decimal_places=2)
    scored_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "judge"], name="outreach_score_once")
        ]

    def __str__(self) -> str:
        return f"score of {self.judge_id} for entry {self.entry_id}"


class Vote(models.Model):
    """A public vote: one per verified phone per contest per day. A vote in a burst from one
    source address is kept but flagged, and not counted."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="votes")
    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="votes")
    phone_digest = models.CharField(max_length=64)
    day = models.DateField()
    source = models.CharField(max_length=64, blank=True)
    cast_at = models.DateTimeField()
    flagged = models.BooleanField(default=False)
    flag_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "phone_digest", "day"], name="outreach_vote_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["source", "cast_at"], name="outreach_vote_source_idx")]

    def __str__(self) -> str:
        return f"vote {self.pk} for entry {self.entry_id}"
