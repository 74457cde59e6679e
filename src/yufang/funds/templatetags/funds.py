"""`yuan`: an amount as the bureau writes it, 2,900,000.00 (grouped, two decimals)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def yuan(value: Any) -> str:
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)


@register.filter
def percent(ratio: Any) -> str:
    """A ratio as a percentage: 0.035 → 3.5%."""
    if ratio is None or ratio == "":
        return "—"
    try:
        return f"{(Decimal(str(ratio)) * 100).normalize():f}%"
    except (InvalidOperation, ValueError):
        return str(ratio)
