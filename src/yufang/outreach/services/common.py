"""What the outreach services share: reading raw input into values with a field-named error."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region


def text(raw: Any, field: str, *, max_length: int, required: bool = True) -> str:
    value = str(raw if raw is not None else "").strip()
    if "\x00" in value:
        raise InvalidInput(_("The text holds a character that cannot be stored."), field)
    if required and not value:
        raise InvalidInput(_("Fill this in."), field)
    if len(value) > max_length:
        raise InvalidInput(
            _("At most %(n)s characters.") % {"n": max_length},
            field,
        )
    return value


def integer(raw: Any, field: str, *, low: int = 0, high: int = 10**7) -> int:
    value = str(raw if raw is not None else "").strip()
    if not value:
        return 0 if low <= 0 else low
    if len(value) > 12 or not value.lstrip("-").isdigit():
        raise InvalidInput(_("Enter a whole number."), field)
    number = int(value)
    if not low <= number <= high:
        raise InvalidInput(
            _("Enter a number from %(low)s to %(high)s.") % {"low": low, "high": high}, field
        )
    return number


def date(raw: Any, field: str) -> dt.date:
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    value = str(raw or "").strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInput(_("Enter a date (YYYY-MM-DD)."), field) from exc


def moment(raw: Any, field: str) -> dt.datetime:
    """A date and time; a naive one is read in the platform's time zone (Asia/Shanghai)."""
    if isinstance(raw, dt.datetime):
        value = raw
    else:
        text_value = str(raw or "").strip().replace(" ", "T")
        try:
            value = parse_datetime(text_value) or dt.datetime.fromisoformat(text_value)
        except ValueError as exc:
            raise InvalidInput(_("Enter a date and time (YYYY-MM-DD HH:MM)."), field) from exc
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def coordinate(raw: Any, field: str, limit: int) -> Decimal | None:
    value = str(raw if raw is not None else "").strip()
    if not value:
        return None
    try:
        number = Decimal(value).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(_("Enter a number."), field) from exc
    if not -limit <= number <= limit:
        raise InvalidInput(_("Out of range."), field)
    return number


def region_by_code(raw: Any, field: str, *levels: int) -> Region:
    code = str(raw or "").strip()
    region = Region.objects.filter(code=code, level__in=levels).first() if code else None
    if region is None:
        raise InvalidInput(_("Choose a region from the list."), field)
    return region
