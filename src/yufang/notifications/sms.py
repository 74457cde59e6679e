"""SMS gateway interface. The default backend only logs; production names its own backend."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


class LoggingSmsBackend:
    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


class MemorySmsBackend:
    """Keeps every message in `outbox` (tests read the codes from it)."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        self.outbox.append((phone, text))
