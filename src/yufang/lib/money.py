"""Money: yuan with two places (分), as every amount of the programme is kept."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def yuan(value: Decimal | int | float | str) -> Decimal:
    """An amount in yuan and cents. SQLite sums decimals as floats and hands them back as
    Decimals of 15 digits ("62583277.3600000") or none ("24001"); PostgreSQL as "24001.00"."""
    return Decimal(value).quantize(CENT)
