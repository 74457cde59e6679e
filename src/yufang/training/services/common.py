"""The training domain's error and the bounds its writes check."""

from __future__ import annotations

from decimal import Decimal

from yufang.lib.errors import InvalidInput

CHECK_IN_SALT = "yufang.training.check-in"
SESSION_QR_SALT = "yufang.training.session-qr"


class TrainingInvalid(InvalidInput):
    pass


# Bounds of the database columns (class hours: 4 digits, 1 decimal) and of a plausible hall.
MAX_CLASS_HOURS = Decimal("99.9")
MAX_CAPACITY = 10000
