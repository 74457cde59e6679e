"""Enterprise self-service: what an enterprise asks of the HRSS bureau (changes to the bureau's
data about it, changes to its insured roster), its insured people, and the floating premium
rate the bureau sets for it each period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("awaiting the bureau")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class ChangeField(models.TextChoices):
    """The bureau's data an enterprise may ask to have changed (security.md, field rights)."""

    INDUSTRY = "industry", _("industry")
    SIZE = "size", _("size")
    ADDRESS = "address", _("address")
    INSURED_HEADCOUNT = "insured_headcount", _("insured headcount")


class BureauDecided(models.Model):
    """What the enterprise submits and the bureau decides on: who submitted it and when, and
    the decision (approved or refused, by whom, when, with a note)."""

    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    class Meta:
        abstract = True


class ChangeRequest(BureauDecided):
    """An enterprise's request to change the bureau's data about it, with its reason and
    evidence; an official approves it (the change is then made through the registry's
    services) or refuses it."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="change_requests",
    )
    field = models.CharField(_("what to change"), max_length=20, choices=ChangeField.choices)
    current_value = models.CharField(_("current value"), max_length=300, blank=True)
    requested_value = models.CharField(_("requested value"), max_length=300)
    # The year an insured-headcount change is for.
    headcount_year = models.PositiveSmallIntegerField(_("headcount year"), null=True, blank=True)
    reason = models.TextField(_("reason"), max_length=2000)
    evidence = models.FileField(_("evidence file"), upload_to="portal/evidence/%Y/%m/", blank=True)

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # One open request per field: a second would race the first at the bureau.
            models.UniqueConstraint(
                fields=["enterprise", "field"],
                condition=Q(status="pending"),
                name="portal_one_pending_change_per_field",
            ),
            models.CheckConstraint(
                name="portal_change_decided_has_decider",
                condition=Q(status="pending") | Q(decided_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_field_display()} → {self.requested_value}"


class RosterKind(models.TextChoices):
    ADD = "add", _("add (增员)")
    REMOVE = "remove", _("remove (减员)")


class RosterSource(models.TextChoices):
    FORM = "form", _("form")
    FILE = "file", _("file")
    API = "api", _("API")


class RosterChange(BureauDecided):
    """A change to an enterprise's insured roster (参保人员增减), as submitted; the bureau
    approves it and the roster and insured headcount follow. The ID number is kept as a keyed
    digest and a masked copy (`yufang.lib.protected`), never in clear."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="roster_changes",
    )
    kind = models.CharField(_("change"), max_length=6, choices=RosterKind.choices)
    person_name = models.CharField(_("name"), max_length=60)
    id_digest = models.CharField(max_length=64, editable=False, db_index=True)
    id_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    effective_on = models.DateField(_("effective on"))
    source = models.CharField(_("source"), max_length=4, choices=RosterSource.choices)
    # Already insured by another enterprise of the same pooling region (the city) when
    # submitted: the bureau sees it before deciding.
    insured_elsewhere = models.CharField(
        _("insured elsewhere in the region"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("roster change")
        verbose_name_plural = _("roster changes")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "id_digest", "kind"],
                condition=Q(status="pending"),
                name="portal_one_pending_roster_change",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()} {self.id_masked}"


class DeadlineStage(models.TextChoices):
    NEAR = "near", pgettext_lazy("roster deadline", "nearing")
    LATE = "late", pgettext_lazy("roster deadline", "passed")


class RosterDeadlineNotice(models.Model):
    """That the enterprise was told a worker's registration deadline (30 days from the start
    of employment) is near or has passed: the daily warning runs again without telling twice."""

    roster_change = models.ForeignKey(
        RosterChange,
        verbose_name=_("roster change"),
        on_delete=models.CASCADE,
        related_name="deadline_notices",
    )
    stage = models.CharField(_("stage"), max_length=4, choices=DeadlineStage.choices)
    deadline = models.DateField(_("registration deadline"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("roster deadline notice")
        verbose_name_plural = _("roster deadline notices")
        constraints = [
            models.UniqueConstraint(
                fields=["roster_change", "stage"], name="portal_roster_deadline_notice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.roster_change} {self.stage}"


class InsuredPerson(models.Model):
    """A person on an enterprise's insured roster, from the roster changes the bureau
    approved; `insured_until` is set when they leave."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="insured_people",
    )
    person_name = models.CharField(_("name"), max_length=60)
    id_digest = models.CharField(max_length=64, editable=False, db_index=True)
    id_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    insured_from = models.DateField(_("insured from"))
    insured_until = models.DateField(_("insured until"), null=True, blank=True)

    class Meta:
        verbose_name = _("insured person")
        verbose_name_plural = _("insured people")
        ordering = ["enterprise", "person_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "id_digest"],
                condition=Q(insured_until__isnull=True),
                name="portal_insured_once_per_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.id_masked}"


class PremiumPaid(models.Model):
    """Premiums an enterprise actually paid in a year, as the bureau's collection records
    them: the denominator of its payout ratio (支缴率)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="premiums_paid",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("premiums paid (yuan)"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("premiums paid")
        verbose_name_plural = _("premiums paid")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="portal_premium_year"),
            models.CheckConstraint(name="portal_premium_positive", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}: {self.amount}"


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("to review")
    REVIEWED = "reviewed", _("reviewed")


class FloatingRateRun(models.Model):
    """The bureau's floating-rate computation for every enterprise of a region and period."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("period (year of the indicators)"))
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("floating-rate run")
        verbose_name_plural = _("floating-rate runs")
        ordering = ["-year", "-run_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"


class Indicator(models.TextChoices):
    """What set an enterprise's grade."""

    NO_CLASS = "no_class", _("no risk class: base rate")
    FIXED_CLASS = "fixed_class", _("its class does not float")
    NO_NEW_INJURY = "no_new_injury", _("no new injury and a low payout ratio")
    NEW_INJURY = "new_injury", _("a new injury")
    PAYOUT_RATIO = "payout_ratio", _("payout ratio")
    PAYOUT_UNKNOWN = "payout_unknown", _("payout ratio not known (premiums not recorded)")
    OCCUPATIONAL_HAZARD = "occupational_hazard", _("occupational-disease hazard")


class FloatingRate(models.Model):
    """An enterprise's floating premium rate for a period: its grade (percent of its class's
    base rate), the indicators behind it, the one that moved it, and the grade it would have
    with its hazards closed and its people trained."""

    run = models.ForeignKey(
        FloatingRateRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="rates"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="floating_rates",
    )
    risk_class = models.PositiveSmallIntegerField(_("insurance risk class"), null=True)
    base_rate = models.DecimalField(
        _("base rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    grade = models.PositiveSmallIntegerField(_("grade (% of base)"))
    rate = models.DecimalField(_("rate (%)"), max_digits=6, decimal_places=3, null=True)
    new_injuries = models.PositiveIntegerField(_("new injuries"))
    payout = models.DecimalField(_("fund payout (yuan)"), max_digits=14, decimal_places=2)
    premiums = models.DecimalField(
        _("premiums paid (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    payout_ratio = models.DecimalField(
        _("payout ratio (%)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    injury_rate = models.DecimalField(
        _("injury rate (per 1,000)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    occupational_hazard = models.BooleanField(_("occupational-disease hazard"), default=False)
    moved_by = models.CharField(_("moved by"), max_length=30, choices=Indicator.choices)
    # "What prevention would change": the grade with its open hazards closed, and with its
    # hazards closed and no new injury (its people trained).
    hazards_closed_grade = models.PositiveSmallIntegerField(_("grade with hazards closed"))
    prevented_grade = models.PositiveSmallIntegerField(_("grade with prevention"))

    class Meta:
        verbose_name = _("floating premium rate")
        verbose_name_plural = _("floating premium rates")
        ordering = ["run", "enterprise__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "enterprise"], name="portal_rate_once_per_run"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.run.year}: {self.grade}%"


class SelfCheck(models.TextChoices):
    PASS = "pass", _("in order")
    FAIL = "fail", _("not in order")
    NOT_APPLICABLE = "na", _("not applicable")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("self-assessment", "being answered")
    SUBMITTED = "submitted", pgettext_lazy("self-assessment", "submitted")


class SelfAssessment(models.Model):
    """The enterprise checking itself against an official checklist (read from `hazards`,
    never changed). Kept apart from the official inspections: it sets no risk colour and
    registers no hazard; it shows the enterprise what an inspector would find."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="self_assessments",
    )
    checklist = models.ForeignKey(
        "hazards.Checklist", verbose_name=_("checklist"), on_delete=models.PROTECT, related_name="+"
    )
    # Item number → SelfCheck value, and item number → the enterprise's note.
    answers = models.JSONField(_("answers"), default=dict)
    notes = models.JSONField(_("notes"), default=dict)
    # An HR system or a form answers item by item and submits once; the pages record it whole.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.SUBMITTED,
    )
    failed = models.PositiveIntegerField(_("not in order"), default=0)
    major_failed = models.PositiveIntegerField(_("not in order, major"), default=0)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        ordering = ["-done_at", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.checklist.title}"
