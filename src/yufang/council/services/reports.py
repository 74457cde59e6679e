"""The yearly progress report to the province: created per region and year, its text sections
edited while a draft, then submitted (final)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role, User
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.council.models import ReportStatus, YearlyReport
from yufang.council.services.common import CouncilInvalid, clean_text, require_runs
from yufang.council.services.plans import _year
from yufang.notifications.services import notify
from yufang.regions.models import Region

SECTIONS = ("summary", "joint_work", "problems", "next_year")


def yearly_report_create(*, actor: Any, region: Region, year: int | str) -> YearlyReport:
    require_runs(actor, region.pk)
    year = _year(year)
    try:
        policy.value("council_yearly_report_due", dt.date(year, 12, 31))
    except policy.ParameterError as exc:
        raise CouncilInvalid(
            _("There is no five-year plan report for %(year)s.") % {"year": year}, "year"
        ) from exc
    with transaction.atomic():
        if YearlyReport.objects.filter(region=region, year=year).exists():
            raise CouncilInvalid(_("This region already has a report for that year."), "year")
        report = YearlyReport.objects.create(region=region, year=year)
        audit_create(actor, report)
    return report


def yearly_report_update(
    *, actor: Any, report: YearlyReport, **sections: str | None
) -> YearlyReport:
    """Saves the text sections given; a submitted report is final."""
    require_runs(actor, report.region_id)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise CouncilInvalid(_("Unknown section."), sorted(unknown)[0])
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for field, raw in sections.items():
        if raw is None:
            continue
        try:
            values[field] = clean_text(field, raw)
        except CouncilInvalid as exc:
            errors.update(exc.errors)
    with transaction.atomic():
        locked = YearlyReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == ReportStatus.SUBMITTED:
            raise CouncilInvalid(_("This report has been submitted: it can no longer be changed."))
        if errors:
            raise CouncilInvalid(errors)
        before = snapshot(locked)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
        audit_update(actor, locked, before)
    return locked


def yearly_report_submit(*, actor: Any, report: YearlyReport) -> YearlyReport:
    require_runs(actor, report.region_id)
    with transaction.atomic():
        locked = YearlyReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == ReportStatus.SUBMITTED:
            raise CouncilInvalid(_("This report has already been submitted."))
        if not locked.summary.strip():
            raise CouncilInvalid(
                _("Write the summary of the year's work before submitting."), "summary"
            )
        before = snapshot(locked)
        locked.status = ReportStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.save()
        audit_update(actor, locked, before, reason="submitted")
        notify(
            recipients=User.objects.filter(role=Role.PROVINCE_OFFICIAL, is_active=True),
            title=_("%(region)s submitted its five-year plan report for %(year)s")
            % {"region": locked.region.name, "year": locked.year},
            url=reverse("council:report", args=[locked.pk]),
        )
    return locked
