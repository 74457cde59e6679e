"""Accident reports (工伤事故报告) and injury recognition applications (工伤认定申请).

Every time limit is derived from the dates kept here and the dated parameters in
`policy/parameters/recognition.yaml` (see `clock.py`), never stored: a late report, a late
application, the check's and the decision's due dates and their overdue flags are computed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AccidentGrade(models.TextChoices):
    """生产安全事故报告和调查处理条例 第三条, most serious first."""

    ESPECIALLY_SERIOUS = "especially_serious", _("especially serious accident")
    MAJOR = "major", _("major accident")
    LARGER = "larger", _("larger accident")
    ORDINARY = "ordinary", _("ordinary accident")


class AccidentReport(models.Model):
    """An enterprise's report of an accident: what happened, the casualties and the loss.
    The grade and whether it came within the one-hour duty are derived."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="accident_reports",
    )
    occurred_at = models.DateTimeField(_("accident time"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("what happened"))
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    serious_injuries = models.PositiveIntegerField(_("serious injuries"), default=0)
    minor_injuries = models.PositiveIntegerField(_("minor injuries"), default=0)
    missing = models.PositiveIntegerField(_("missing"), default=0)
    direct_loss = models.DecimalField(
        _("direct economic loss (yuan)"), max_digits=14, decimal_places=2, default=0
    )
    measures = models.TextField(_("measures taken"), blank=True)
    late_reason = models.TextField(_("reason for reporting late"), blank=True)
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The employer's 30 days may be extended with the department's approval (条例 第十七条).
    extension_reason = models.TextField(_("reason for an extension"), blank=True)
    extension_requested_at = models.DateTimeField(
        _("extension requested at"), null=True, blank=True
    )
    extended_until = models.DateField(_("application limit extended until"), null=True, blank=True)

    class Meta:
        verbose_name = _("accident report")
        verbose_name_plural = _("accident reports")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="accident_report_loss_not_negative", condition=Q(direct_loss__gte=0)
            ),
            models.CheckConstraint(
                name="accident_report_not_before_accident",
                condition=Q(reported_at__gte=models.F("occurred_at")),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.occurred_at:%Y-%m-%d %H:%M}"


class ApplicantKind(models.TextChoices):
    EMPLOYER = "employer", _("employer")
    WORKER = "worker", _("the injured worker")
    RELATIVE = "relative", _("a close relative")
    UNION = "union", _("the trade union")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("materials being checked")
    MATERIALS_REQUESTED = "materials_requested", _("materials requested")
    ACCEPTED = "accepted", _("accepted, awaiting decision")
    SUSPENDED = "suspended", _("suspended")
    NOT_ACCEPTED = "not_accepted", _("not accepted")
    RECOGNISED = "recognised", _("recognised as a work injury")
    NOT_RECOGNISED = "not_recognised", _("not recognised")


OPEN_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.MATERIALS_REQUESTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.SUSPENDED,
)
DECIDED_STATUSES = (ApplicationStatus.RECOGNISED, ApplicationStatus.NOT_RECOGNISED)


class RecognitionApplication(models.Model):
    """An application for injury recognition, by the employer or by the worker, a relative or
    the union. The injured worker's ID number is kept as the injury cases keep it: a digest,
    an encrypted copy and a masked form."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="recognition_applications",
    )
    accident_report = models.ForeignKey(
        AccidentReport,
        verbose_name=_("accident report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant_kind = models.CharField(_("applicant"), max_length=10, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("applicant's name"), max_length=60)
    applicant_phone = models.CharField(_("applicant's phone"), max_length=20, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    worker_name = models.CharField(_("injured worker"), max_length=60)
    worker_id_digest = models.CharField(max_length=64, editable=False)
    worker_id_encrypted = models.TextField(editable=False)
    worker_id_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    accident_date = models.DateField(_("accident or diagnosis date"))
    accident_place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("time, place and cause"))
    injury = models.TextField(_("injury and diagnosis"))
    kind = models.CharField(_("kind"), max_length=24)
    occupational_disease = models.CharField(_("occupational disease"), max_length=100, blank=True)
    accident_category = models.CharField(_("accident category"), max_length=2)
    body_part = models.CharField(_("body part"), max_length=16)
    is_death = models.BooleanField(_("death"), default=False)
    received_on = models.DateField(_("received on"))
    late_reason = models.TextField(_("reason for applying late"), blank=True)
    # A late worker, relative or union says time was lost through no fault of theirs
    # (R10 第七条); the bureau decides by recording the pause (`LimitPause`) or not.
    pause_claimed = models.BooleanField(_("claims time lost through no fault"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    # The department asks once, in writing, for everything missing (条例 第十八条).
    materials_requested_on = models.DateField(_("materials requested on"), null=True, blank=True)
    requested_materials = models.JSONField(_("materials requested"), default=list, blank=True)
    request_note = models.TextField(_("what is missing"), blank=True)
    supplemented_on = models.DateField(_("supplemented on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    not_accepted_on = models.DateField(_("not accepted on"), null=True, blank=True)
    # The bureau named on the acceptance or not-accepted letter (受理 / 不予受理决定书): the one
    # that checked the materials, which need not be the one that later decides.
    accepting_bureau = models.CharField(_("accepting bureau"), max_length=200, blank=True)
    is_clear_case = models.BooleanField(_("clear case"), default=False)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.TextField(_("grounds of the decision"), blank=True)
    case_number = models.CharField(_("case number"), max_length=40, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    bureau_name = models.CharField(_("deciding bureau"), max_length=200, blank=True)
    injury_case = models.ForeignKey(
        "injuries.InjuryCase",
        verbose_name=_("injury case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("recognition application")
        verbose_name_plural = _("recognition applications")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="recognition_accident_not_after_receipt",
                condition=Q(accident_date__lte=models.F("received_on")),
            ),
            models.CheckConstraint(
                name="recognition_decided_has_date_and_number",
                condition=~Q(status__in=["recognised", "not_recognised"])
                | (Q(decided_on__isnull=False) & ~Q(case_number="")),
            ),
            models.CheckConstraint(
                name="recognition_accepted_has_date",
                condition=~Q(status__in=["accepted", "suspended", "recognised", "not_recognised"])
                | Q(accepted_on__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["case_number"],
                condition=~Q(case_number=""),
                name="recognition_unique_case_number",
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "status"])]

    def __str__(self) -> str:
        return f"{self.worker_name} {self.accident_date}"


class MaterialKind(models.TextChoices):
    APPLICATION_FORM = "application_form", _("application form")
    EMPLOYMENT_PROOF = "employment_proof", _("proof of employment")
    DIAGNOSIS = "diagnosis", _("medical diagnosis or occupational-disease certificate")
    IDENTITY = "identity", _("identity document")
    OTHER = "other", _("other evidence")


class Material(models.Model):
    """An uploaded document of an application: a PDF or an image, checked by its content."""

    application = models.ForeignKey(
        RecognitionApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="materials",
    )
    kind = models.CharField(_("kind of material"), max_length=20, choices=MaterialKind.choices)
    file_path = models.CharField(max_length=300, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("application material")
        verbose_name_plural = _("application materials")
        ordering = ["application", "kind", "id"]

    def __str__(self) -> str:
        return self.original_name


class Suspension(models.Model):
    """A pause of the decision clock while the decision waits for a judicial or
    administrative body's conclusion (条例 第二十条第三款)."""

    application = models.ForeignKey(
        RecognitionApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="suspensions",
    )
    started_on = models.DateField(_("suspended on"))
    ended_on = models.DateField(_("resumed on"), null=True, blank=True)
    reason = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("suspension")
        verbose_name_plural = _("suspensions")
        ordering = ["application", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="suspension_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(ended_on__isnull=True),
                name="suspension_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_on}–{self.ended_on or ''}"


class LimitPause(models.Model):
    """Time the worker, a relative or the union lost through no fault of theirs (force
    majeure and the like), which does not count in the one-year limit to apply (最高人民法院
    关于审理工伤保险行政案件若干问题的规定 第七条). Recorded by the bureau, with its evidence."""

    application = models.ForeignKey(
        RecognitionApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="limit_pauses",
    )
    started_on = models.DateField(_("time lost from"))
    ended_on = models.DateField(_("time lost to"))
    reason = models.TextField(_("reason"))
    evidence = models.TextField(_("proof of the time lost"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pause of the time limit to apply")
        verbose_name_plural = _("pauses of the time limit to apply")
        ordering = ["application", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="limit_pause_ends_after_start",
                condition=Q(ended_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.started_on}–{self.ended_on}"

    @property
    def days(self) -> int:
        return (self.ended_on - self.started_on).days + 1


class ApplicationEvent(models.Model):
    """One step of an application, as the applicant and the bureau read it in its history."""

    application = models.ForeignKey(
        RecognitionApplication,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["application", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class WarningKind(models.TextChoices):
    APPLICATION_LIMIT = "application_limit", _("application time limit nearing")
    CHECK_DUE = "check_due", _("materials check due")
    DECISION_DUE = "decision_due", _("decision due")
    DECISION_OVERDUE = "decision_overdue", _("decision overdue")


class DeadlineWarning(models.Model):
    """A warning sent once per record and kind, so the daily run does not repeat itself."""

    accident_report = models.ForeignKey(
        AccidentReport, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(
        RecognitionApplication,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=WarningKind.choices)
    # The due date warned about: a new due date (a resumed clock, a supplement) warns again.
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["accident_report", "kind", "due_on"],
                condition=Q(accident_report__isnull=False),
                name="deadline_warning_once_per_report",
            ),
            models.UniqueConstraint(
                fields=["application", "kind", "due_on"],
                condition=Q(application__isnull=False),
                name="deadline_warning_once_per_application",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"
