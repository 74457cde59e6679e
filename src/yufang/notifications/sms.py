"""SMS gateway interface. The default backend only logs; production names its own backend."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class LoggingSmsBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)
