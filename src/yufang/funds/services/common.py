"""What the fee's services share: the rules in force for a year, reading an amount, and the
checks of who may act."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yufang import policy
from yufang.lib.errors import InvalidInput
from yufang.lib.money import CENT

# The largest amount a column holds (14 digits, 2 after the point).
MAX_AMOUNT = Decimal("999999999999.99")
MAX_INCOME = Decimal("99999999999999.99")


@dataclass(frozen=True)
class Rule:
    value: Any
    source: str
    since: dt.date


@dataclass(frozen=True)
class FeeRules:
    """The fee's rules in force for a budget year (on 1 January of it)."""

    year: int
    cap_ratio: Rule
    ceiling_ratio: Rule | None
    allowed_uses: Rule
    max_years: Rule
    thresholds: Rule
    payment_requires_acceptance: Rule
    met_ratio: Rule
    consenting: Rule

    @property
    def ceiling(self) -> Decimal | None:
        return Decimal(str(self.ceiling_ratio.value)) if self.ceiling_ratio else None

    @property
    def cap(self) -> Decimal:
        return Decimal(str(self.cap_ratio.value))

    @property
    def open_tender_from(self) -> Decimal:
        return Decimal(str(self.thresholds.value["open_tender"]))

    @property
    def competitive_from(self) -> Decimal:
        return Decimal(str(self.thresholds.value["competitive"]))

    @property
    def uses(self) -> list[str]:
        return list(self.allowed_uses.value)


def _rule(name: str, on: dt.date) -> Rule:
    found = policy.parameter(name).on(on)
    return Rule(value=found.value, source=found.source, since=found.since)


def fee_rules(year: int) -> FeeRules:
    """The rules in force on 1 January of `year`; a year before them is refused."""
    on = dt.date(year, 1, 1)
    try:
        try:
            ceiling: Rule | None = _rule("fee_cap_ceiling_ratio", on)
        except policy.ParameterError:
            ceiling = None  # the national text sets no ceiling
        return FeeRules(
            year=year,
            cap_ratio=_rule("fee_cap_ratio", on),
            ceiling_ratio=ceiling,
            allowed_uses=_rule("fee_allowed_uses", on),
            max_years=_rule("fee_project_max_years", on),
            thresholds=_rule("fee_procurement_thresholds", on),
            payment_requires_acceptance=_rule("fee_payment_requires_acceptance", on),
            met_ratio=_rule("fee_evaluation_met_ratio", on),
            consenting=_rule("fee_raise_consenting_departments", on),
        )
    except policy.ParameterError as exc:
        raise InvalidInput(
            _("No prevention-fee rule was in force in %(year)s.") % {"year": year}, "year"
        ) from exc


def cap_amount(income: Decimal, ratio: Decimal) -> Decimal:
    return (income * ratio).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(
    raw: Any, field: str, *, allow_zero: bool = False, maximum: Decimal = MAX_AMOUNT
) -> Decimal:
    """An amount of yuan as typed (a number with at most 2 decimals): non-numeric, negative,
    zero (unless allowed) or too large is refused naming the field."""
    text = str(raw if raw is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        raise InvalidInput(_("Give an amount in yuan."), field)
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise InvalidInput(
            _("Not an amount of yuan: %(value)s") % {"value": text[:40]}, field
        ) from exc
    if not amount.is_finite():
        raise InvalidInput(_("Not an amount of yuan: %(value)s") % {"value": text[:40]}, field)
    if amount < 0:
        raise InvalidInput(_("An amount cannot be negative."), field)
    if amount == 0 and not allow_zero:
        raise InvalidInput(_("An amount must be more than zero."), field)
    if amount > maximum:
        raise InvalidInput(_("The amount is too large."), field)
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise InvalidInput(_("An amount has at most two decimals (fen)."), field)
    return amount.quantize(CENT)


def parse_count(raw: Any, field: str) -> int:
    text = str(raw if raw is not None else "").strip()
    if not text:
        return 0
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput(_("Give a whole number of 0 or more."), field)
    return int(text)


def parse_date(raw: Any, field: str) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    text = str(raw or "").strip()
    if not text:
        raise InvalidInput(_("Give a date."), field)
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InvalidInput(
            _("Not a date (YYYY-MM-DD): %(value)s") % {"value": text[:20]}, field
        ) from exc


def require_text(raw: Any, field: str, *, limit: int) -> str:
    text = str(raw or "").strip()
    if not text:
        raise InvalidInput(_("This field is required."), field)
    if len(text) > limit:
        raise InvalidInput(_("At most %(limit)s characters.") % {"limit": limit}, field)
    return text


def optional_text(raw: Any, field: str, *, limit: int) -> str:
    text = str(raw or "").strip()
    if len(text) > limit:
        raise InvalidInput(_("At most %(limit)s characters.") % {"limit": limit}, field)
    return text


def refuse(message: str) -> None:
    raise PermissionDenied(message)
