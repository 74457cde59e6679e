"""The prevention fee: a pooling region's yearly budget under its cap, the projects it pays for,
their procurement, contracts, milestones and payments, the evaluation at close, and the ledger
of every money movement."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Use(models.TextChoices):
    """What the fee pays for (人社部规〔2017〕13号 Art. 4); `fee_allowed_uses` says which are
    allowed on a date."""

    PUBLICITY = "publicity", _("publicity")
    TRAINING = "training", _("training")


class RaiseApproval(models.Model):
    """The provincial consent to raise a pooling region's cap for a year."""

    pooling_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("pooling region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    ratio = models.DecimalField(_("approved ratio"), max_digits=6, decimal_places=4)
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        verbose_name = _("raise approval")
        verbose_name_plural = _("raise approvals")
        constraints = [
            models.UniqueConstraint(
                fields=["pooling_region", "year"], name="fee_raise_unique_region_year"
            ),
            models.CheckConstraint(condition=Q(ratio__gt=0), name="fee_raise_ratio_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.pooling_region} {self.year} {self.ratio}"


class Budget(models.Model):
    """A pooling region's prevention-fee budget for a year, by use. The cap is derived from
    `contribution_income` and the rules in force (and a raise approval, if any)."""

    pooling_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("pooling region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    contribution_income = models.DecimalField(
        _("prior-year contribution income"), max_digits=16, decimal_places=2
    )
    publicity = models.DecimalField(_("publicity"), max_digits=14, decimal_places=2)
    training = models.DecimalField(_("training"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    disclosed_at = models.DateTimeField(_("disclosed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual budget")
        verbose_name_plural = _("annual budgets")
        ordering = ["-year", "pooling_region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["pooling_region", "year"], name="fee_budget_unique_region_year"
            ),
            models.CheckConstraint(
                condition=Q(contribution_income__gte=0, publicity__gte=0, training__gte=0),
                name="fee_budget_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pooling_region.name} {self.year}"

    @property
    def total(self) -> Decimal:
        return self.publicity + self.training

    def amount_for(self, use: str) -> Decimal:
        return self.publicity if use == Use.PUBLICITY else self.training


class KeyArea(models.Model):
    """A key area (重点领域) published for a year: projects are proposed inside them."""

    pooling_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("pooling region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("key area")
        verbose_name_plural = _("key areas")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", pgettext_lazy("prevention fee", "approved")
    REJECTED = "rejected", pgettext_lazy("prevention fee", "rejected")
    CLOSED = "closed", pgettext_lazy("prevention fee", "closed")


class Project(models.Model):
    """A prevention project proposed inside a key area, approved against the budget."""

    pooling_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("pooling region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    key_area = models.ForeignKey(
        KeyArea, verbose_name=_("key area"), on_delete=models.PROTECT, null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    use = models.CharField(_("use"), max_length=20, choices=Use.choices)
    proposer = models.CharField(_("proposer"), max_length=200)
    target_industries = models.CharField(_("target industries"), max_length=500, blank=True)
    target_enterprises = models.CharField(_("target enterprises"), max_length=500, blank=True)
    cost_basis = models.TextField(_("cost basis"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    proposed_at = models.DateTimeField(_("proposed at"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)
    closed_at = models.DateTimeField(
        pgettext_lazy("prevention fee", "closed at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("prevention project")
        verbose_name_plural = _("prevention projects")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="fee_project_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectYear(models.Model):
    """A project's budget and performance targets for one year of its run."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    target_person_times = models.PositiveIntegerField(_("person-times trained"), default=0)
    target_enterprises_covered = models.PositiveIntegerField(_("enterprises covered"), default=0)
    target_hazards_closed = models.PositiveIntegerField(
        pgettext_lazy("prevention fee", "hazards closed"), default=0
    )
    target_enterprises_assessed = models.PositiveIntegerField(_("enterprises assessed"), default=0)

    class Meta:
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="fee_project_year_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_project_year_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project} {self.year}"


class ProcurementMethod(models.TextChoices):
    OPEN_TENDER = "open_tender", _("open tender")
    COMPETITIVE = "competitive", _("competitive negotiation or consultation")
    DIRECT = "direct", _("direct award")


class Procurement(models.Model):
    """How the institution carrying out a project was chosen (参照政府采购法)."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="procurement")
    method = models.CharField(_("method"), max_length=20, choices=ProcurementMethod.choices)
    held_on = models.DateField(_("date"))
    bidders = models.TextField(_("bidders"))
    bidder_count = models.PositiveSmallIntegerField(_("number of bidders"))
    winner = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("winner"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    price = models.DecimalField(_("price"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("procurement")
        verbose_name_plural = _("procurements")

    def __str__(self) -> str:
        return f"{self.project} · {self.get_method_display()}"


class Contract(models.Model):
    """The contract with the institution that won a project's procurement."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="contract")
    institution = models.ForeignKey(
        "organisations.Institution",
        verbose_name=_("service institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("contract number"), max_length=60)
    amount = models.DecimalField(_("contract value"), max_digits=14, decimal_places=2)
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_contract_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.project}"


class Milestone(models.Model):
    """A contract's milestone: its deliverables, its share of the payment schedule, and its
    acceptance (验收) with evidence, after which it may be paid."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    deliverables = models.TextField(_("deliverables"))
    due_on = models.DateField(pgettext_lazy("prevention fee", "due on"))
    amount = models.DecimalField(_("scheduled payment"), max_digits=14, decimal_places=2)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    acceptance_note = models.TextField(_("acceptance note"), blank=True)
    evidence = models.FileField(
        _("acceptance evidence"), upload_to="funds/evidence/%Y/%m/", blank=True
    )

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="fee_milestone_unique"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_milestone_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contract.number} #{self.number} {self.title}"


class Payment(models.Model):
    """Money paid to the institution for an accepted milestone."""

    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    voucher = models.CharField(_("voucher number"), max_length=60, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-paid_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fee_payment_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone} {self.amount}"


class Evaluation(models.Model):
    """The performance evaluation at a project's close: its targets against the outputs the
    platform counted (never typed in)."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="evaluation")
    evaluated_at = models.DateTimeField(_("evaluated at"))
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # {"person_times": [target, counted], ...}: the figures as counted on the day.
    results = models.JSONField(_("results"), default=dict)
    met = models.BooleanField(_("targets met"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("performance evaluation")
        verbose_name_plural = _("performance evaluations")

    def __str__(self) -> str:
        return f"{self.project}"


class LedgerKind(models.TextChoices):
    BUDGET_SET = "budget_set", _("budget set")
    COMMITMENT = "commitment", _("commitment")
    PAYMENT = "payment", _("payment")
    RELEASE = "release", _("release")


class LedgerEntry(models.Model):
    """One money movement. Each entry carries the SHA-256 of the previous entry's canonical
    form (the previous entry of the same budget: the budget's row lock orders them), so a
    changed or deleted row breaks the chain (`yufang verify_fee_ledger`). A budget_set entry
    carries the amount set for its use; the others the amount moved."""

    budget = models.ForeignKey(Budget, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=12, choices=LedgerKind.choices)
    use = models.CharField(_("use"), max_length=20, choices=Use.choices, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    actor_name = models.CharField(_("by"), max_length=150)
    reason = models.CharField(_("reason"), max_length=500)
    at = models.DateTimeField(_("at"))
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["id"]
        constraints = [
            # One chain per budget: two entries may never follow the same one.
            models.UniqueConstraint(
                fields=["budget", "previous_hash"], name="fee_ledger_one_successor"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.amount}"
