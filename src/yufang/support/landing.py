"""Where a role lands when it opens the platform: a programme module may claim the home of a
role whose working day it holds (the grid worker's tasks, the enterprise's self-service)."""

from __future__ import annotations

_LANDINGS: dict[str, str] = {}


def register_landing(role: str, url_name: str) -> None:
    _LANDINGS[role] = url_name


def landing_for(role: str) -> str | None:
    return _LANDINGS.get(role)
