"""Risk assessment and the hazard closed loop (排查 → 登记 → 整改 → 验收 → 销号).

A checklist is versioned: editing one makes a new version, and an assessment keeps the
version it was filled against. Overdue and the enterprise's risk colour are derived, never
stored (see selectors).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yufang.support.topics import Topic


class RiskColour(models.TextChoices):
    RED = "red", _("red (major risk)")
    ORANGE = "orange", _("orange (high risk)")
    YELLOW = "yellow", _("yellow (moderate risk)")
    BLUE = "blue", _("blue (low risk)")


# Worst first: the order used to pick the worse of two colours.
COLOUR_RANK = {RiskColour.RED: 0, RiskColour.ORANGE: 1, RiskColour.YELLOW: 2, RiskColour.BLUE: 3}


class Checklist(models.Model):
    """One version of an inspection template for a topic. `key` names the template across
    versions; a change is saved as a new row with the next version number."""

    key = models.CharField(pgettext_lazy("checklist", "key"), max_length=40, db_index=True)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    topic = models.CharField(_("topic"), max_length=40, choices=Topic.choices)
    effective_from = models.DateField(_("effective from"))
    change_note = models.CharField(_("what changed"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="checklist_unique_version"),
            models.CheckConstraint(name="checklist_version_positive", condition=Q(version__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ChecklistItem(models.Model):
    """A yes/no question asked in the compliant direction: the answer "fail" is a hazard."""

    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveIntegerField(pgettext_lazy("checklist item", "number"))
    text = models.TextField(pgettext_lazy("checklist", "item"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    is_major = models.BooleanField(_("failure is a major hazard"), default=False)
    is_confirmed = models.BooleanField(_("confirmed"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["checklist", "number"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="checklist_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"

    @property
    def basis_shown(self) -> str:
        """The legal basis as a reader sees it: the data's "[U]" (not verified) marker said in
        words, or dropped where the text already says 未核."""
        text = re.sub(r"(未核）?)\[U\]", r"\1", self.legal_basis)
        return text.replace("[U]", "（未核实）").replace("[C]", "")


class AssessmentMethod(models.TextChoices):
    SITE_PATROL = "site_patrol", _("site patrol")
    SITE_SURVEY = "site_survey", _("site survey")
    ENVIRONMENTAL_MONITORING = "environmental_monitoring", _("environmental monitoring")
    ROUTINE_SCREENING = "routine_screening", _("routine screening")


class AssessmentStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    # A draft started by mistake: kept for the record, left out of lists and figures.
    CANCELLED = "cancelled", _("cancelled")


# Statuses an assessment can still be worked on (a draft): filled, completed or cancelled.
DRAFT_STATUSES = (AssessmentStatus.PLANNED, AssessmentStatus.IN_PROGRESS)


class Assessment(models.Model):
    """A visit to an enterprise to fill one checklist version, with optional LEC and L×S
    scoring. `institution` is the service institution assigned to it: its staff (consulting
    experts) see and work on the assessment and the hazards it found."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    checklist = models.ForeignKey(
        Checklist, verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(
        pgettext_lazy("assessment", "method"), max_length=30, choices=AssessmentMethod.choices
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.IN_PROGRESS,
        db_index=True,
    )
    is_planned = models.BooleanField(_("planned visit"), default=False)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    visited_on = models.DateField(_("visited on"), null=True, blank=True)
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("assigned institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    lec_l = models.DecimalField(
        _("LEC likelihood (L)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    lec_e = models.DecimalField(
        _("LEC exposure (E)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    lec_c = models.DecimalField(
        _("LEC consequence (C)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    ls_l = models.PositiveSmallIntegerField(_("matrix likelihood (L)"), null=True, blank=True)
    ls_s = models.PositiveSmallIntegerField(_("matrix severity (S)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="assessment_ls_1_to_5",
                condition=(Q(ls_l__isnull=True) | Q(ls_l__gte=1, ls_l__lte=5))
                & (Q(ls_s__isnull=True) | Q(ls_s__gte=1, ls_s__lte=5)),
            ),
            models.CheckConstraint(
                name="assessment_completed_has_date",
                condition=~Q(status="completed")
                | Q(completed_at__isnull=False, visited_on__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "status"], name="assessment_ent_status_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.checklist.title} · {self.visited_on or self.planned_on}"


class AnswerResult(models.TextChoices):
    PASS = "pass", _("compliant")
    FAIL = "fail", _("not compliant")
    NOT_APPLICABLE = "na", _("not applicable")


class Answer(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="answers"
    )
    item = models.ForeignKey(
        ChecklistItem,
        verbose_name=pgettext_lazy("checklist", "item"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    result = models.CharField(_("result"), max_length=4, choices=AnswerResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["assessment", "item__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item"], name="answer_unique_item"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.result}"


class SampleType(models.TextChoices):
    # Each sample type is compared with its own kind of limit (GBZ 2.1-2019): an 8-h TWA with
    # PC-TWA, a 15-min sample with PC-STEL, and any sample with a MAC where one exists.
    TWA_8H = "twa_8h", _("8-h time-weighted average (vs PC-TWA)")
    STEL_15MIN = "stel_15min", _("15-min short-term (vs PC-STEL)")
    CEILING = "ceiling", _("ceiling / peak (vs MAC)")


class Measurement(models.Model):
    """One environmental-monitoring sample. Exceedance is computed from the exposure limits in
    force on `sampled_on` (policy), not stored."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    agent = models.CharField(_("agent"), max_length=60)
    sample_type = models.CharField(_("sample type"), max_length=12, choices=SampleType.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=12)
    sampled_on = models.DateField(_("sampled on"))
    location = models.CharField(_("sampling point"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["assessment", "id"]
        constraints = [
            models.CheckConstraint(name="measurement_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.agent} {self.value} {self.unit}"


class HazardLevel(models.TextChoices):
    ORDINARY = "ordinary", _("ordinary hazard")
    MAJOR = "major", _("major hazard")


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("reported")
    ASSIGNED = "assigned", _("assigned")
    RECTIFYING = "rectifying", _("rectifying")
    SUBMITTED = "submitted", pgettext_lazy("hazard", "submitted")
    VERIFIED = "verified", _("verified")
    CLOSED = "closed", pgettext_lazy("hazard", "closed")


# Statuses in which the enterprise still has to act: a hazard past its deadline in one of
# these is overdue.
RECTIFICATION_PENDING = (HazardStatus.REPORTED, HazardStatus.ASSIGNED, HazardStatus.RECTIFYING)
OPEN_STATUSES = (*RECTIFICATION_PENDING, HazardStatus.SUBMITTED, HazardStatus.VERIFIED)


class Hazard(models.Model):
    """A hazard (隐患): a failed checklist item or an ad-hoc finding, and its rectification.

    Major hazards carry the Safety-Law "five in place" plan (措施、责任、资金、时限、预案);
    the database refuses a major hazard past rectification without it.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise responsible"),
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    checklist_item = models.ForeignKey(
        ChecklistItem,
        verbose_name=_("checklist item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("assigned institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.CharField(_("topic"), max_length=40, choices=Topic.choices)
    level = models.CharField(
        pgettext_lazy("hazard", "level"), max_length=10, choices=HazardLevel.choices
    )
    description = models.TextField(pgettext_lazy("hazard", "description"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=HazardStatus.choices,
        default=HazardStatus.REPORTED,
        db_index=True,
    )
    deadline = models.DateField(_("rectification deadline"), db_index=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported at"))
    rectification_note = models.TextField(_("rectification done"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("hazard", "closed at"), null=True, blank=True)
    plan_measures = models.TextField(_("measures"), blank=True)
    plan_responsible = models.CharField(_("person responsible"), max_length=100, blank=True)
    plan_funds = models.DecimalField(
        _("funds (yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    plan_deadline = models.DateField(_("plan deadline"), null=True, blank=True)
    plan_emergency = models.TextField(_("emergency plan"), blank=True)

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                name="hazard_major_has_plan_when_submitted",
                condition=~Q(level="major", status__in=["submitted", "verified", "closed"])
                | (
                    ~Q(plan_measures="")
                    & ~Q(plan_responsible="")
                    & Q(plan_funds__isnull=False, plan_deadline__isnull=False)
                    & ~Q(plan_emergency="")
                ),
            ),
            models.CheckConstraint(
                name="hazard_closed_has_time",
                condition=~Q(status="closed") | Q(closed_at__isnull=False),
            ),
            models.CheckConstraint(
                name="hazard_funds_not_negative",
                condition=Q(plan_funds__isnull=True) | Q(plan_funds__gte=0),
            ),
        ]
        indexes = [models.Index(fields=["enterprise", "status"], name="hazard_ent_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.description[:40]}"

    @property
    def plan_complete(self) -> bool:
        return bool(
            self.plan_measures
            and self.plan_responsible
            and self.plan_funds is not None
            and self.plan_deadline
            and self.plan_emergency
        )


class HazardEvent(models.Model):
    """One transition of a hazard: who, when, from what to what, and why."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from"), max_length=12, choices=HazardStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=12, choices=HazardStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("hazard event")
        verbose_name_plural = _("hazard events")
        ordering = ["hazard", "at", "id"]

    def __str__(self) -> str:
        return f"#{self.hazard_id} {self.from_status} → {self.to_status}"


class PhotoKind(models.TextChoices):
    FINDING = "finding", _("finding")
    EVIDENCE = "evidence", _("rectification evidence")


class Photo(models.Model):
    """A photo of a finding or of rectification evidence, with when and where it was taken
    (from the form, else from its EXIF data)."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    hazard = models.ForeignKey(
        Hazard,
        verbose_name=_("hazard"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="photos",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PhotoKind.choices)
    # A storage path, not a FileField: the audit snapshot stores plain values only.
    image_path = models.CharField(_("image"), max_length=255)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="photo_belongs_somewhere",
                condition=Q(assessment__isnull=False) | Q(hazard__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.image_path

    @property
    def url(self) -> str:
        """The address that serves the photo to those who may see its record (never the
        storage's own address: uploads are not public)."""
        from django.urls import reverse

        return reverse("hazards:photo", args=[self.pk])


class EscalationLevel(models.TextChoices):
    COUNTY = "county", _("county officials")
    CITY = "city", _("city officials")


class EscalationCause(models.TextChoices):
    MAJOR = "major", _("major hazard")
    OVERDUE = "overdue", _("rectification overdue")


class Escalation(models.Model):
    """A major or overdue hazard brought to the officials of a region. An escalation nobody
    answers rises again after the configured delay (county → city, then city again)."""

    hazard = models.ForeignKey(
        Hazard, verbose_name=_("hazard"), on_delete=models.CASCADE, related_name="escalations"
    )
    level = models.CharField(_("level"), max_length=10, choices=EscalationLevel.choices)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    # Stored as a code, shown in the reader's language.
    cause = models.CharField(_("cause"), max_length=10, choices=EscalationCause.choices)
    escalated_at = models.DateTimeField(_("escalated at"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-escalated_at", "-id"]
        constraints = [
            # Makes the escalation task idempotent: running it twice cannot add a second row.
            models.UniqueConstraint(
                fields=["hazard", "level", "round"], name="escalation_unique_round"
            ),
            models.CheckConstraint(
                name="escalation_answer_has_time",
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.hazard_id} → {self.level} ({self.round})"


class RectificationNotice(models.Model):
    """A rectification notice (整改通知书) issued to an enterprise for a set of hazards."""

    number = models.CharField(pgettext_lazy("notice", "number"), max_length=30, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    hazards = models.ManyToManyField(Hazard, verbose_name=_("hazards"), related_name="notices")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))
    # The issuing authority as it stood when the notice was issued: a notice once printed
    # does not change when the configuration does.
    issuer_name = models.CharField(_("issuing authority"), max_length=100, blank=True)
    issuer_seal_path = models.CharField(_("seal"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("rectification notice")
        verbose_name_plural = _("rectification notices")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number


class NoticeIssuer(models.Model):
    """The authority that issues rectification notices for a region (a city or a county
    bureau), with its seal. A region without one issues in the name of its city's bureau,
    "<city>人力资源和社会保障局"."""

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("issuing authority"), max_length=100)
    # A storage path, not a FileField: the audit snapshot stores plain values only.
    seal_path = models.CharField(_("seal"), max_length=255, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notice issuer")
        verbose_name_plural = _("notice issuers")
        ordering = ["region__code"]
        constraints = [
            models.CheckConstraint(name="notice_issuer_has_name", condition=~Q(name="")),
        ]

    def __str__(self) -> str:
        return self.name


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("quarterly")
    YEAR = "year", _("annual")


class HazardStatistic(models.Model):
    """One enterprise's hazard statistics for a quarter or a year (安监总局令第16号: due by the
    15th of the next quarter and by 31 January). Regions are summed from these rows."""

    kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    found_ordinary = models.PositiveIntegerField(_("ordinary hazards found"), default=0)
    found_major = models.PositiveIntegerField(_("major hazards found"), default=0)
    closed_ordinary = models.PositiveIntegerField(_("ordinary hazards closed"), default=0)
    closed_major = models.PositiveIntegerField(_("major hazards closed"), default=0)
    open_at_end = models.PositiveIntegerField(_("open at period end"), default=0)
    overdue_at_end = models.PositiveIntegerField(_("overdue at period end"), default=0)
    generated_at = models.DateTimeField(_("generated at"))

    class Meta:
        verbose_name = _("hazard statistics")
        verbose_name_plural = _("hazard statistics")
        ordering = ["-period_start", "county", "enterprise"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period_start", "enterprise"], name="hazard_statistic_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.period_start} {self.enterprise_id}"
