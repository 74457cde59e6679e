"""The organisations accounts bind to: service institutions and the joint
meeting's member departments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    """A service institution paid from the prevention fee: training, consulting, publicity.

    Procured projects, contracts, acceptance and payments will hang on it.
    """

    class Kind(models.TextChoices):
        TRAINING = "training", _("training")
        CONSULTING = "consulting", _("consulting and assessment")
        PUBLICITY = "publicity", _("publicity")
        MEDICAL = "medical", _("medical and health")
        ASSOCIATION = "association", _("industry association")

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    # The registry of institutions the prevention fee may pay: what they are qualified for
    # (licences, accreditations, professional staff) and until when.
    qualifications = models.TextField(_("qualifications"), blank=True)
    qualified_until = models.DateField(_("qualified until"), null=True, blank=True)

    class Meta:
        db_table = "funds_institution"
        verbose_name = _("service institution")
        verbose_name_plural = _("service institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A member department of a region's joint meeting (应急管理, 卫健, 财政 …)."""

    class Code(models.TextChoices):
        HRSS = "hrss", _("human resources and social security")
        EMERGENCY = "emergency", _("emergency management")
        HEALTH = "health", _("health commission")
        FINANCE = "finance", _("finance")
        HOUSING = "housing", _("housing and construction")
        TRANSPORT = "transport", _("transport")
        INDUSTRY = "industry", _("industry and information technology")
        MARKET = "market", _("market regulation")
        UNION = "union", _("trade union")
        ENERGY = "energy", _("energy")

    code = models.CharField(_("kind"), max_length=20, choices=Code.choices)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        db_table = "council_department"
        verbose_name = _("member department")
        verbose_name_plural = _("member departments")
        ordering = ["region__code", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "code"], name="department_unique_region_code"
            ),
        ]

    def __str__(self) -> str:
        return self.name
