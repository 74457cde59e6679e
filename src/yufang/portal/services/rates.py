"""The floating premium rate: the bureau runs it for every enterprise of a region and a
period (the year of the indicators), reviews the run and exports it. The rules are dated
parameters (`policy/parameters/floating_rate.yaml`); the indicators come from the injury
records (new injuries, fund payout), the bureau's premium records, the headcounts and the open
hazards."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping.portal import may_run_rates
from yufang.audit.services import audit_create, audit_create_bulk, audit_update, snapshot
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.hazards.selectors import open_hazard_topics
from yufang.injuries.models import RATE_KINDS, CaseKind
from yufang.injuries.selectors import cases_visible
from yufang.portal import rating
from yufang.portal.models import FloatingRate, FloatingRateRun, PremiumPaid, RunStatus
from yufang.portal.services.common import PortalInvalid
from yufang.regions.models import Region
from yufang.support.bounds import bounded_year
from yufang.support.topics import Topic


class _Bureau:
    """The bureau itself, for the periodic run: reads the whole province."""

    pk = None
    role = Role.PROVINCE_OFFICIAL
    is_authenticated = True
    is_active = True
    region = None
    region_id = None
    enterprise_id = None
    grid_id = None
    institution_id = None
    department_id = None


BUREAU = _Bureau()


def rules_on(on: dt.date) -> rating.Rules:
    return rating.Rules(
        grades=policy.value("floating_rate_grades", on),
        fixed_classes=[int(c) for c in policy.value("floating_rate_fixed_classes", on)],
        payout_bands=policy.value("floating_rate_payout_bands", on),
        occupational_step=int(policy.value("floating_rate_occupational_hazard_step", on)),
        max_step=int(policy.value("floating_rate_max_step", on)),
    )


def _enterprises_of(region: Region) -> Any:
    if region.level == Region.Level.PROVINCE:
        return Enterprise.objects.all()
    if region.level == Region.Level.CITY:
        return Enterprise.objects.filter(city=region)
    if region.level == Region.Level.COUNTY:
        return Enterprise.objects.filter(county=region)
    return Enterprise.objects.filter(township=region)


def premium_amount(raw: Any) -> Decimal:
    """An amount of premiums as typed ("12,345.60" or 12345.6): yuan, two decimals at most."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    try:
        amount = Decimal(text[:30])
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise PortalInvalid(
            _("Enter the premiums in yuan, e.g. 12345.60: %(value)s") % {"value": text[:20]},
            "amount",
        )
    if amount < 0 or amount >= Decimal(10) ** 12:
        raise PortalInvalid(_("The amount is out of range."), "amount")
    if amount != amount.quantize(Decimal("0.01")):
        raise PortalInvalid(_("The amount has more than two decimals (fen)."), "amount")
    return amount.quantize(Decimal("0.01"))


def premium_year(raw: Any) -> int:
    year = bounded_year(raw)
    if year is None or not 2000 <= year <= timezone.localdate().year:
        raise PortalInvalid(
            _("Not a valid year: %(value)s") % {"value": str(raw or "")[:20]}, "year"
        )
    return year


@transaction.atomic
def premium_set(*, actor: Any, enterprise: Enterprise, year: int, amount: Decimal) -> PremiumPaid:
    """The premiums an enterprise paid in a year, as the bureau's collection records them."""
    if not may_run_rates(actor, enterprise.county):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the bureau's officials record premiums."))
    if not 2000 <= year <= timezone.localdate().year:
        raise PortalInvalid(_("Not a valid year: %(value)s") % {"value": year}, "year")
    if amount < 0 or amount >= Decimal(10) ** 12:
        raise PortalInvalid(_("The amount is out of range."), "amount")
    row = PremiumPaid.objects.filter(enterprise=enterprise, year=year).first()
    if row is None:
        row = PremiumPaid.objects.create(enterprise=enterprise, year=year, amount=amount)
        audit_create(actor, row)
        return row
    before = snapshot(row)
    row.amount = amount
    row.save()
    audit_update(actor, row, before)
    return row


@transaction.atomic
def floating_rates_run(*, actor: Any, region: Region, year: int) -> FloatingRateRun:
    """Compute every enterprise's grade in the region for the period; a new run replaces
    nothing (the earlier runs stay, for comparison) and waits for review."""
    reader = BUREAU if actor is None else actor
    if actor is not None and not may_run_rates(actor, region):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the bureau's officials run the floating rate."))
    today = timezone.localdate()
    if not 2000 <= year < today.year + (1 if today.month > 1 else 0):
        raise PortalInvalid(_("Choose a year that has ended: %(value)s") % {"value": year}, "year")
    on = dt.date(year + 1, 1, 1)
    rules = rules_on(on)
    base_rates = policy.value("floating_rate_base_rates", on)
    enterprises = list(_enterprises_of(region).only("id", "risk_class", "name"))
    ids = [e.pk for e in enterprises]
    cases = (
        cases_visible(reader)
        .filter(enterprise_id__in=ids, accident_date__year=year)
        .values("enterprise_id")
        .annotate(
            counted=Count("id", filter=Q(kind__in=RATE_KINDS)),
            diseases=Count("id", filter=Q(kind=CaseKind.OCCUPATIONAL_DISEASE)),
            paid=Sum("payout"),
        )
        .order_by()
    )
    by_enterprise = {row["enterprise_id"]: row for row in cases}
    premiums = dict(
        PremiumPaid.objects.filter(enterprise_id__in=ids, year=year).values_list(
            "enterprise_id", "amount"
        )
    )
    headcounts = dict(
        InsuredHeadcount.objects.filter(enterprise_id__in=ids, year=year).values_list(
            "enterprise_id", "insured_headcount"
        )
    )
    topics: dict[int, set[str]] = defaultdict(set, open_hazard_topics(enterprise_ids=ids))
    run = FloatingRateRun.objects.create(
        region=region, year=year, run_by=actor if getattr(actor, "pk", None) else None
    )
    rows = []
    for e in enterprises:
        found = by_enterprise.get(e.pk, {})
        new_injuries = int(found.get("counted") or 0)
        payout = Decimal(found.get("paid") or 0).quantize(Decimal("0.01"))
        premium = premiums.get(e.pk)
        ratio = rating.payout_ratio(payout, premium)
        from_hazards = Topic.OCCUPATIONAL_HEALTH in topics[e.pk]
        occupational = bool(found.get("diseases")) or from_hazards
        graded = rating.floating_grade(
            rules,
            risk_class=e.risk_class,
            new_injuries=new_injuries,
            ratio=ratio,
            occupational=occupational,
        )
        closed = rating.floating_grade(
            rules,
            risk_class=e.risk_class,
            new_injuries=new_injuries,
            ratio=ratio,
            occupational=bool(found.get("diseases")),
        )
        prevented = rating.floating_grade(
            rules,
            risk_class=e.risk_class,
            new_injuries=0,
            ratio=Decimal(0) if ratio is not None or payout == 0 else None,
            occupational=False,
        )
        base = Decimal(str(base_rates[str(e.risk_class)])) if e.risk_class else None
        insured = headcounts.get(e.pk)
        rows.append(
            FloatingRate(
                run=run,
                enterprise=e,
                risk_class=e.risk_class,
                base_rate=base,
                grade=graded.grade,
                rate=None
                if base is None
                else (base * graded.grade / 100).quantize(Decimal("0.001")),
                new_injuries=new_injuries,
                payout=payout,
                premiums=premium,
                payout_ratio=ratio,
                injury_rate=None
                if not insured
                else (Decimal(new_injuries) * 1000 / insured).quantize(Decimal("0.01")),
                occupational_hazard=occupational,
                moved_by=graded.moved_by,
                hazards_closed_grade=closed.grade,
                prevented_grade=prevented.grade,
            )
        )
    FloatingRate.objects.bulk_create(rows, batch_size=1000)
    audit_create(actor, run)
    audit_create_bulk(actor, FloatingRate, count=len(rows), object_id=str(run.pk))
    return run


@transaction.atomic
def floating_rate_run_review(*, actor: Any, run: FloatingRateRun) -> FloatingRateRun:
    run = FloatingRateRun.objects.select_for_update().get(pk=run.pk)
    if not may_run_rates(actor, run.region):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the bureau's officials review the floating rate."))
    if run.status == RunStatus.REVIEWED:
        raise PortalInvalid(_("This run has already been reviewed."), "status")
    before = snapshot(run)
    run.status = RunStatus.REVIEWED
    run.reviewed_by = actor
    run.reviewed_at = timezone.now()
    run.save()
    audit_update(actor, run, before)
    return run


def floating_rates_run_all(*, year: int) -> list[FloatingRateRun]:
    """Every city's run for the period (the periodic task and the command)."""
    return [
        floating_rates_run(actor=None, region=city, year=year)
        for city in Region.objects.filter(level=Region.Level.CITY).order_by("code")
    ]
