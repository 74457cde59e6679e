"""A pooling region's annual budget under its cap, the province's raise approvals, and the
publication of the fee's use."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.funds import (
    may_approve_raise,
    may_manage_fee,
    may_publish_disclosure,
)
from yufang.audit.services import audit_create, audit_event, audit_update, snapshot
from yufang.funds.models import Budget, LedgerEntry, LedgerKind, RaiseApproval, Use
from yufang.funds.services.common import (
    MAX_INCOME,
    FeeRules,
    cap_amount,
    fee_rules,
    optional_text,
    parse_amount,
    refuse,
    require_text,
)
from yufang.funds.services.ledger import ledger_append
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region


@dataclass(frozen=True)
class Cap:
    """What a budget may reach: the ratio applied (the cap, or the approved raise), its amount,
    the ceiling, and where each comes from."""

    rules: FeeRules
    ratio: Decimal
    amount: Decimal
    raise_approval: RaiseApproval | None
    ceiling_amount: Decimal | None


def pooling_region_check(region: Region) -> None:
    if region.level != Region.Level.CITY:
        raise InvalidInput(
            _("The pooling region of the prevention fee is a city."), "pooling_region"
        )


def cap_of(region: Region, year: int, income: Decimal) -> Cap:
    rules = fee_rules(year)
    approval = RaiseApproval.objects.filter(pooling_region=region, year=year).first()
    ratio = approval.ratio if approval else rules.cap
    ceiling = rules.ceiling
    return Cap(
        rules=rules,
        ratio=ratio,
        amount=cap_amount(income, ratio),
        raise_approval=approval,
        ceiling_amount=cap_amount(income, ceiling) if ceiling is not None else None,
    )


def committed_by_use(budget: Budget) -> dict[str, Decimal]:
    """Committed (commitments less releases) per use, from the ledger."""
    out = {use: Decimal("0.00") for use in Use.values}
    rows = (
        LedgerEntry.objects.filter(
            budget=budget, kind__in=[LedgerKind.COMMITMENT, LedgerKind.RELEASE]
        )
        .values("use", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        sign = 1 if row["kind"] == LedgerKind.COMMITMENT else -1
        out[row["use"]] = out.get(row["use"], Decimal("0.00")) + sign * row["total"]
    return out


@transaction.atomic
def budget_set(
    *,
    actor: Any,
    pooling_region: Region,
    year: int,
    contribution_income: Any,
    publicity: Any,
    training: Any,
    note: str = "",
) -> Budget:
    """Sets (or changes) a pooling region's budget for a year. Above the cap is refused
    unless the province recorded a raise, and never above the ceiling; below what is already
    committed for a use is refused too."""
    pooling_region_check(pooling_region)
    if not may_manage_fee(actor, pooling_region_id=pooling_region.pk):
        refuse(_("Only the pooling region's officials set its budget."))
    errors: dict[str, str] = {}
    amounts: dict[str, Decimal] = {}
    for field, raw, kwargs in (
        ("contribution_income", contribution_income, {"maximum": MAX_INCOME}),
        ("publicity", publicity, {"allow_zero": True}),
        ("training", training, {"allow_zero": True}),
    ):
        try:
            amounts[field] = parse_amount(raw, field, **kwargs)  # type: ignore[arg-type]
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    note = optional_text(note, "note", limit=2000)
    cap = cap_of(pooling_region, year, amounts["contribution_income"])
    total = amounts["publicity"] + amounts["training"]
    if cap.ceiling_amount is not None and total > cap.ceiling_amount:
        raise InvalidInput(
            _(
                "The budget of %(total)s yuan is above the ceiling of %(ceiling)s yuan "
                "(%(ratio)s%% of the prior-year contribution income), which no approval can "
                "raise."
            )
            % {
                "total": total,
                "ceiling": cap.ceiling_amount,
                "ratio": _percent(cap.rules.ceiling or Decimal(0)),
            },
            "training",
        )
    if total > cap.amount:
        raise InvalidInput(
            _(
                "The budget of %(total)s yuan is above the cap of %(cap)s yuan (%(ratio)s%% of "
                "the prior-year contribution income). A higher budget needs the province's "
                "recorded approval of a raise."
            )
            % {"total": total, "cap": cap.amount, "ratio": _percent(cap.ratio)},
            "training",
        )
    budget = (
        Budget.objects.select_for_update().filter(pooling_region=pooling_region, year=year).first()
    )
    if budget is not None:
        committed = committed_by_use(budget)
        for use in Use.values:
            if amounts[use] < committed[use]:
                raise InvalidInput(
                    _("%(amount)s yuan is less than the %(committed)s yuan already committed.")
                    % {"amount": amounts[use], "committed": committed[use]},
                    use,
                )
        before = snapshot(budget)
        previous = {use: budget.amount_for(use) for use in Use.values}
        budget.contribution_income = amounts["contribution_income"]
        budget.publicity = amounts["publicity"]
        budget.training = amounts["training"]
        budget.note = note
        budget.set_by = actor
        budget.save()
        audit_update(actor, budget, before, reason=note)
    else:
        previous = {}
        budget = Budget.objects.create(
            pooling_region=pooling_region,
            year=year,
            contribution_income=amounts["contribution_income"],
            publicity=amounts["publicity"],
            training=amounts["training"],
            note=note,
            set_by=actor,
        )
        audit_create(actor, budget, reason=note)
    for use in Use.values:
        if previous.get(use) != amounts[use]:
            ledger_append(
                budget=budget,
                kind=LedgerKind.BUDGET_SET,
                use=use,
                amount=amounts[use],
                actor=actor,
                reason=note or _("Budget set"),
            )
    return budget


def _percent(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}"


@transaction.atomic
def raise_approve(
    *, actor: Any, pooling_region: Region, year: int, ratio_percent: Any, reason: str
) -> RaiseApproval:
    """Records the provincial HRSS and finance departments' consent to raise a city's cap for
    a year, up to the ceiling."""
    pooling_region_check(pooling_region)
    if not may_approve_raise(actor):
        refuse(_("A raise of the cap is approved by the province."))
    rules = fee_rules(year)
    percent = parse_amount(ratio_percent, "ratio", maximum=Decimal("100"))
    ratio = (percent / 100).quantize(Decimal("0.0001"))
    reason = require_text(reason, "reason", limit=2000)
    if ratio <= rules.cap:
        raise InvalidInput(
            _("A raise must be above the cap of %(cap)s%%.") % {"cap": _percent(rules.cap)},
            "ratio",
        )
    if rules.ceiling is not None and ratio > rules.ceiling:
        raise InvalidInput(
            _("A raise cannot go above the ceiling of %(ceiling)s%%.")
            % {"ceiling": _percent(rules.ceiling)},
            "ratio",
        )
    approval, created = RaiseApproval.objects.select_for_update().get_or_create(
        pooling_region=pooling_region,
        year=year,
        defaults={
            "ratio": ratio,
            "reason": reason,
            "approved_by": actor,
            "approved_at": timezone.now(),
        },
    )
    if created:
        audit_create(actor, approval, reason=reason)
    else:
        budget = Budget.objects.filter(pooling_region=pooling_region, year=year).first()
        if budget is not None and budget.total > cap_amount(budget.contribution_income, ratio):
            raise InvalidInput(
                _("The budget already set is above what this ratio allows."), "ratio"
            )
        before = snapshot(approval)
        approval.ratio = ratio
        approval.reason = reason
        approval.approved_by = actor
        approval.approved_at = timezone.now()
        approval.save()
        audit_update(actor, approval, before, reason=reason)
    return approval


@transaction.atomic
def budget_disclose(*, actor: Any, budget: Budget) -> Budget:
    """Publishes the fee's use for the region and year on the public disclosure page."""
    if not may_publish_disclosure(actor, pooling_region_id=budget.pooling_region_id):
        refuse(_("The province or the city publishes the fee's use."))
    budget = Budget.objects.select_for_update().get(pk=budget.pk)
    budget.disclosed_at = timezone.now()
    budget.save(update_fields=["disclosed_at"])
    audit_event(actor, budget, "update", reason=_("Use of the fee published"))
    return budget
