from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
