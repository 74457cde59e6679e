from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Industry(models.Model):
    """A node of the GB/T 4754-2017 tree: section (A), division (01), group (011), class (0111)."""

    class Level(models.IntegerChoices):
        SECTION = 1, _("section")
        DIVISION = 2, _("division")
        GROUP = 3, _("group")
        CLASS = 4, _("class")

    code = models.CharField(_("code"), max_length=5, unique=True)
    full_code = models.CharField(_("full code"), max_length=6)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    section = models.CharField(_("section"), max_length=1, db_index=True)
    # The division (2 digits) the node belongs to; empty for a section.
    division_code = models.CharField(_("division"), max_length=2, blank=True, db_index=True)
    standard = models.CharField(_("standard"), max_length=30, default="GB/T 4754-2017")

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["full_code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RiskClassRule(models.Model):
    """The insurance risk class of a division (or a group, where a division is split) from a date.

    Rows are never edited: a change is a new row with its effective date and reason, so the
    class on any past date can be told.
    """

    industry = models.ForeignKey(
        Industry,
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="risk_class_rules",
    )
    risk_class = models.PositiveSmallIntegerField(
        _("risk class"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    effective_from = models.DateField(_("effective from"))
    source = models.CharField(_("source"), max_length=200)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("risk class rule")
        verbose_name_plural = _("risk class rules")
        ordering = ["industry__full_code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["industry", "effective_from"], name="risk_class_rule_unique_date"
            ),
            models.CheckConstraint(
                condition=models.Q(risk_class__gte=1, risk_class__lte=8),
                name="risk_class_rule_class_1_to_8",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.industry.code} → {self.risk_class} ({self.effective_from})"
