"""The working-day calendar: the days that differ from the rule that Monday to Friday are
working days and the weekend rests. The province's official records them each year from the
State Council's holiday notice: public holidays (rest days) and make-up working days (调休)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    REST_DAY = "rest_day", _("public holiday (rest day)")
    WORKING_DAY = "working_day", _("make-up working day")


class CalendarDay(models.Model):
    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind of day"), max_length=12, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    # Said outright: the type checker's Django plugin knows only the installed apps.
    objects: models.Manager[CalendarDay] = models.Manager()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                name="calendar_day_kind_known",
                condition=models.Q(kind__in=["rest_day", "working_day"]),
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.kind}"

    @property
    def kind_label(self) -> str:
        return str(DayKind(self.kind).label)
