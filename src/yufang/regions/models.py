from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """A division of the province: the province itself, a city, a county or a township.

    `city` and `county` point at the ancestors so that scoping and roll-ups are one join.
    """

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        CITY = 2, _("city")
        COUNTY = 3, _("county")
        TOWNSHIP = 4, _("township")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_trad = models.CharField(_("traditional name"), max_length=64, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, db_index=True)
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    city = models.ForeignKey(
        "self",
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    county = models.ForeignKey(
        "self",
        verbose_name=_("county"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Statistical development zones (codes xx7x) are not legal divisions under GB/T 2260.
    is_development_zone = models.BooleanField(_("development zone"), default=False)
    is_abolished = models.BooleanField(_("abolished"), default=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PilotYear(models.Model):
    """A city ran the prevention pilot in a year."""

    city = models.ForeignKey(
        Region,
        verbose_name=_("city"),
        on_delete=models.CASCADE,
        related_name="pilot_years",
        limit_choices_to={"level": Region.Level.CITY},
    )
    year = models.PositiveSmallIntegerField(_("year"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pilot year")
        verbose_name_plural = _("pilot years")
        ordering = ["year", "city__code"]
        constraints = [
            models.UniqueConstraint(fields=["city", "year"], name="pilot_year_unique_city_year"),
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.year}"


class Grid(models.Model):
    """A grid (网格): the smallest unit of social governance, under a township.

    Grid workers screen the enterprises in it; `city` and `county` are the township's.
    """

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    township = models.ForeignKey(
        "regions.Region",
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="grids",
    )
    county = models.ForeignKey(
        "regions.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    city = models.ForeignKey(
        "regions.Region", verbose_name=_("city"), on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        db_table = "grid_grid"
        verbose_name = _("grid")
        verbose_name_plural = _("grids")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}"
