"""Training: bases and experience halls, sessions (in a hall or on site in an enterprise),
enrollment and attendance, online courses, the question bank, exams, certificates,
campaigns (百企万人), materials and feedback.

Person-times are attendances: an enrollment with a check-in. One enrollment per trainee and
session (a database constraint), so a person is counted once per session.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yufang.support.topics import Topic


class KeyRole(models.TextChoices):
    # The three key people of key enterprises, 鲁人社字〔2021〕73号 and 〔2022〕14号.
    SAFETY_DEPUTY_HEAD = "safety_deputy_head", _("deputy head in charge of safety")
    SAFETY_OFFICER = "safety_officer", _("safety officer")
    TEAM_LEADER = "team_leader", _("team leader")
    OTHER = "other", _("other employee")


class Trainee(models.Model):
    """A person who is trained. Often not a platform user; linked to one when it exists.

    The ID number is stored three ways: an HMAC digest to match on (unique), a masked form to
    show, and an encrypted form only staff who need the whole number may read.
    """

    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    id_digest = models.CharField(_("ID number digest"), max_length=64, unique=True)
    id_masked = models.CharField(_("ID number"), max_length=18)
    id_encrypted = models.TextField(_("encrypted ID number"), blank=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=pgettext_lazy("training", "enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trainees",
    )
    key_role = models.CharField(
        _("key-person role"), max_length=20, choices=KeyRole.choices, default=KeyRole.OTHER
    )
    # The post as the enterprise names it (岗位: 焊工, 叉车司机 …); `key_role` flags the key people.
    post = models.CharField(_("post"), max_length=100, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainee",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.id_masked}"


class TrainingBase(models.Model):
    name = models.CharField(_("name"), max_length=200)
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("operating institution"),
        on_delete=models.PROTECT,
        related_name="training_bases",
    )

    class Meta:
        verbose_name = _("training base")
        verbose_name_plural = _("training bases")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Hall(models.Model):
    """An experience hall (体验馆) of a base."""

    base = models.ForeignKey(
        TrainingBase,
        verbose_name=_("training base"),
        on_delete=models.CASCADE,
        related_name="halls",
    )
    name = models.CharField(_("name"), max_length=100)
    topic = models.CharField(
        pgettext_lazy("training", "topic"), max_length=30, choices=Topic.choices
    )
    capacity = models.PositiveIntegerField(_("capacity"))

    class Meta:
        verbose_name = _("experience hall")
        verbose_name_plural = _("experience halls")
        ordering = ["base", "name"]
        constraints = [
            models.UniqueConstraint(fields=["base", "name"], name="hall_unique_name"),
            models.CheckConstraint(name="hall_capacity_positive", condition=Q(capacity__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.base.name} · {self.name}"


class Campaign(models.Model):
    """A campaign such as 百企万人: target enterprises and person-times in a region."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(pgettext_lazy("training", "description"), blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=pgettext_lazy("training", "region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    city = models.ForeignKey(
        "regions.Region",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    target_enterprises = models.PositiveIntegerField(_("target enterprises"))
    target_person_times = models.PositiveIntegerField(_("target person-times"))
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise",
        verbose_name=_("target enterprises"),
        blank=True,
        related_name="training_campaigns",
    )
    courses = models.ManyToManyField(
        "training.Course", verbose_name=_("courses"), blank=True, related_name="campaigns"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                name="campaign_dates_ordered", condition=Q(ends_on__gte=models.F("starts_on"))
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    HALL = "hall", _("in an experience hall")
    ONSITE = "onsite", _("on site (workshop or team)")


class TrainingSession(models.Model):
    """A session: in a hall of a base, or on site in an enterprise's workshop or team.

    `city` and `county` are where it takes place (the base's city, the enterprise's county),
    kept for scoping and statistics.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(
        pgettext_lazy("training", "kind"), max_length=10, choices=SessionKind.choices
    )
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(
        pgettext_lazy("training", "topic"), max_length=30, choices=Topic.choices
    )
    hall = models.ForeignKey(
        Hall,
        verbose_name=_("experience hall"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("host enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="onsite_sessions",
    )
    location = models.CharField(_("workshop or team"), max_length=200, blank=True)
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
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
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
    )
    trainer = models.CharField(_("trainer"), max_length=100)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"))
    class_hours = models.DecimalField(_("class hours"), max_digits=4, decimal_places=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start", condition=Q(ends_at__gt=models.F("starts_at"))
            ),
            models.CheckConstraint(name="session_capacity_positive", condition=Q(capacity__gt=0)),
            models.CheckConstraint(
                name="session_class_hours_positive", condition=Q(class_hours__gt=0)
            ),
            models.CheckConstraint(
                name="session_kind_has_place",
                condition=Q(kind="hall", hall__isnull=False)
                | Q(kind="onsite", enterprise__isnull=False, hall__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["city", "starts_at"], name="session_city_time_idx")]

    def __str__(self) -> str:
        return f"{self.title} {self.starts_at:%Y-%m-%d %H:%M}"


class SessionPhoto(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="photos",
    )
    # Storage paths, not FileFields: the audit snapshot stores plain values only.
    image = models.CharField(_("photo"), max_length=300)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("session photo")
        verbose_name_plural = _("session photos")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.caption or self.image

    @property
    def url(self) -> str:
        """Served after a scope check (`views.photo`), never from /media/."""
        return reverse("training:photo", args=[self.pk])


class Enrollment(models.Model):
    """A seat booked (or waited for) by one trainee in one session; checked in = attended."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        WAITLISTED = "waitlisted", _("waitlisted")
        CANCELLED = "cancelled", _("cancelled")

    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="enrollments"
    )
    # The enterprise that booked the seat (group booking); empty for an individual sign-up.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("booking enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainee"], name="enrollment_one_per_trainee_session"
            ),
            models.CheckConstraint(
                name="enrollment_checked_in_is_booked",
                condition=Q(checked_in_at__isnull=True) | Q(status="booked"),
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="enrollment_status_idx")]

    def __str__(self) -> str:
        return f"{self.trainee} @ {self.session}"


class Course(models.Model):
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(
        pgettext_lazy("training", "topic"), max_length=30, choices=Topic.choices
    )
    description = models.TextField(pgettext_lazy("training", "description"), blank=True)
    class_hours = models.DecimalField(_("class hours"), max_digits=4, decimal_places=1)
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("online course")
        verbose_name_plural = _("online courses")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                name="course_class_hours_positive", condition=Q(class_hours__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("text")
        IMAGE = "image", _("image")
        VIDEO = "video", _("video")

    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="lessons"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(
        pgettext_lazy("training", "kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT
    )
    body = models.TextField(_("text"), blank=True)
    file = models.CharField(_("file"), max_length=300, blank=True)
    # How long the lesson takes to follow (a video's running time); a learner completes it
    # only after following it this long.
    minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=10)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "position"], name="lesson_unique_position"),
            models.CheckConstraint(name="lesson_minutes_positive", condition=Q(minutes__gt=0)),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        """Served after a scope check (`views.lesson_file`), never from /media/."""
        return reverse("training:lesson_file", args=[self.pk]) if self.file else ""


class LessonProgress(models.Model):
    """Time a trainee followed a lesson, measured by the server between the page's heartbeats;
    completed once it reaches the lesson's length."""

    lesson = models.ForeignKey(
        Lesson, verbose_name=_("lesson"), on_delete=models.CASCADE, related_name="progress"
    )
    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.CASCADE, related_name="progress"
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    last_beat_at = models.DateTimeField(_("last heartbeat at"), null=True, blank=True)
    seconds_followed = models.PositiveIntegerField(_("seconds followed"), default=0)
    # The furthest point of a video reached while it played (seconds).
    position_seconds = models.PositiveIntegerField(_("video position (seconds)"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["lesson", "trainee"], name="progress_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee_id}: {self.lesson_id}"


class QuestionType(models.TextChoices):
    SINGLE = "single", _("single choice")
    MULTIPLE = "multiple", _("multiple choice")
    TRUE_FALSE = "true_false", _("true/false")


class Question(models.Model):
    """A question of the bank. `options` is a list of {key, text}; `answer` a list of keys."""

    code = models.CharField(pgettext_lazy("question", "code"), max_length=20, unique=True)
    topic = models.CharField(
        pgettext_lazy("training", "topic"), max_length=30, choices=Topic.choices, db_index=True
    )
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    stem = models.TextField(_("question"))
    options = models.JSONField(_("options"))
    answer = models.JSONField(pgettext_lazy("training", "answer"))
    explanation = models.TextField(_("explanation"), blank=True)
    basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Who owns the question: neither is the province's shared bank; a region's officials or an
    # institution add their own (`scoping.may_change_question`).
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.stem[:30]}"


class Exam(models.Model):
    """An exam drawn at random from the bank for each attempt."""

    title = models.CharField(_("title"), max_length=200)
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exams",
    )
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exams",
    )
    # Topic values to draw from; empty means the whole bank.
    topics = models.JSONField(_("topics"), default=list, blank=True)
    single_count = models.PositiveSmallIntegerField(_("single-choice questions"), default=0)
    multiple_count = models.PositiveSmallIntegerField(_("multiple-choice questions"), default=0)
    true_false_count = models.PositiveSmallIntegerField(_("true/false questions"), default=0)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"))
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit (minutes)"))
    max_attempts = models.PositiveSmallIntegerField(_("attempt limit"))
    is_open = models.BooleanField(pgettext_lazy("exam", "open"), default=True)
    # What a trainee must have done before starting: every lesson of the course, and/or
    # attended a session.
    requires_lessons = models.BooleanField(_("requires the course's lessons"), default=False)
    required_session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("requires attendance of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                name="exam_pass_mark_percent", condition=Q(pass_mark__gte=1, pass_mark__lte=100)
            ),
            models.CheckConstraint(
                name="exam_limits_positive",
                condition=Q(time_limit_minutes__gt=0, max_attempts__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def question_count(self) -> int:
        return self.single_count + self.multiple_count + self.true_false_count


class ExamAttempt(models.Model):
    class Status(models.TextChoices):
        STARTED = "started", pgettext_lazy("training", "in progress")
        SUBMITTED = "submitted", pgettext_lazy("training", "submitted")
        EXPIRED = "expired", _("submitted after the time limit")

    exam = models.ForeignKey(
        Exam, verbose_name=_("exam"), on_delete=models.PROTECT, related_name="attempts"
    )
    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(pgettext_lazy("training", "deadline"))
    submitted_at = models.DateTimeField(
        pgettext_lazy("training", "submitted at"), null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.STARTED
    )
    score = models.DecimalField(
        _("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("exam attempt")
        verbose_name_plural = _("exam attempts")
        ordering = ["-started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "trainee", "number"], name="attempt_unique_number"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exam} #{self.number} {self.trainee}"


class AttemptItem(models.Model):
    attempt = models.ForeignKey(
        ExamAttempt, verbose_name=_("exam attempt"), on_delete=models.CASCADE, related_name="items"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    chosen = models.JSONField(_("answer given"), default=list, blank=True)
    correct = models.BooleanField(_("correct"), null=True, blank=True)

    class Meta:
        verbose_name = _("exam item")
        verbose_name_plural = _("exam items")
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="item_unique_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.position}"


class Certificate(models.Model):
    """A training certificate; valid, expired or revoked is derived from the dates."""

    code = models.CharField(_("certificate number"), max_length=32, unique=True)
    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.PROTECT, related_name="certificates"
    )
    title = models.CharField(_("title"), max_length=200)
    attempt = models.OneToOneField(
        ExamAttempt,
        verbose_name=_("exam attempt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    course = models.ForeignKey(
        Course,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    # When the recertification reminder was sent (an event, not a derived state).
    reminded_on = models.DateField(_("reminder sent on"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="certificate_expires_after_issue",
                condition=Q(expires_on__gt=models.F("issued_on")),
            ),
            models.CheckConstraint(
                name="certificate_revocation_has_reason",
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.code


class Material(models.Model):
    class Kind(models.TextChoices):
        TEXTBOOK = "textbook", _("textbook")
        HANDOUT = "handout", _("handout")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(pgettext_lazy("training", "kind"), max_length=10, choices=Kind.choices)
    topic = models.CharField(
        pgettext_lazy("training", "topic"), max_length=30, choices=Topic.choices
    )
    series = models.CharField(_("series"), max_length=200, blank=True)
    authors = models.CharField(_("authors"), max_length=200, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        pgettext_lazy("training", "year"), null=True, blank=True
    )
    description = models.TextField(pgettext_lazy("training", "description"), blank=True)
    file = models.CharField(_("file"), max_length=300)
    download_count = models.PositiveIntegerField(_("downloads"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["series", "title"]

    def __str__(self) -> str:
        return self.title


class Feedback(models.Model):
    session = models.ForeignKey(
        TrainingSession,
        verbose_name=_("training session"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    trainee = models.ForeignKey(
        Trainee, verbose_name=_("trainee"), on_delete=models.CASCADE, related_name="feedback"
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "trainee"], name="feedback_once"),
            models.CheckConstraint(
                name="feedback_rating_1_to_5", condition=Q(rating__gte=1, rating__lte=5)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.rating}"
