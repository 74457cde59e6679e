from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnterpriseSize(models.TextChoices):
    # GB/T 国统字〔2017〕213号 size classes (large / medium / small / micro).
    LARGE = "large", _("large")
    MEDIUM = "medium", _("medium")
    SMALL = "small", _("small")
    MICRO = "micro", _("micro")


# A blank size: not given and not derivable from the insured headcount.
SIZE_UNKNOWN = _("size unknown")


def size_label(value: str) -> str:
    """A size as people read it; a blank one is "size unknown", never an empty cell."""
    return str(EnterpriseSize(value).label) if value in EnterpriseSize.values else str(SIZE_UNKNOWN)


def size_labels() -> dict[str, str]:
    """Every size by its label, the blank one included (for tables grouped by size)."""
    return {"": str(SIZE_UNKNOWN), **{str(k): str(v) for k, v in EnterpriseSize.choices}}


class Enterprise(models.Model):
    """An employer (用人单位) in the registry.

    `risk_class` is the class the enterprise's premium is assessed in: the industry's class
    unless an official overrides it with a reason (`risk_class_is_override`).
    """

    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    # Some early real codes fail the check digit; they are accepted only with a reason.
    credit_code_exception = models.CharField(
        _("reason for accepting a failing credit code"), max_length=300, blank=True
    )
    name = models.CharField(_("name"), max_length=200, db_index=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    # The enterprise's own details: its safety manager and grid worker keep them up to date.
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    township = models.ForeignKey(
        "regions.Region",
        verbose_name=_("township"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grid = models.ForeignKey(
        "regions.Grid",
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    industry = models.ForeignKey(
        "industries.Industry",
        verbose_name=_("industry"),
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    risk_class = models.PositiveSmallIntegerField(
        _("insurance risk class"),
        null=True,
        blank=True,
        db_index=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    risk_class_is_override = models.BooleanField(_("risk class overridden"), default=False)
    risk_class_override_reason = models.CharField(
        _("reason for the risk class override"), max_length=300, blank=True
    )
    size = models.CharField(_("size"), max_length=10, choices=EnterpriseSize.choices)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    is_key_industry = models.BooleanField(_("key industry"), default=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                name="enterprise_override_has_reason",
                condition=Q(risk_class_is_override=False) | ~Q(risk_class_override_reason=""),
            ),
            models.CheckConstraint(
                name="enterprise_risk_class_1_to_8",
                condition=Q(risk_class__isnull=True) | Q(risk_class__gte=1, risk_class__lte=8),
            ),
        ]
        indexes = [
            models.Index(fields=["city", "county"], name="enterprise_region_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_size_display(self) -> str:  # type: ignore[no-redef]  # blank reads "size unknown"
        return size_label(self.size)


class InsuredHeadcount(models.Model):
    """Insured workers of an enterprise in a year (the exposure behind injury rates)."""

    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="headcounts",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    insured_headcount = models.PositiveIntegerField(_("insured headcount"))
    # Hours worked, where the enterprise reports them (for per-hour rates such as LTIFR).
    hours_worked = models.DecimalField(
        _("hours worked"), max_digits=14, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("insured headcount")
        verbose_name_plural = _("insured headcounts")
        ordering = ["enterprise", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="headcount_unique_year"),
            models.CheckConstraint(
                name="headcount_hours_not_negative",
                condition=Q(hours_worked__isnull=True) | Q(hours_worked__gte=0),
            ),
        ]
        # The latest year with data, and a year's headcounts across the province.
        indexes = [models.Index(fields=["year"], name="headcount_year_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}: {self.insured_headcount}"
