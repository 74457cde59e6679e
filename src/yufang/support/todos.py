"""To-dos on a person's home page. Each domain registers a provider; the home page asks all.

A provider takes the user and returns to-dos; it must be cheap (a few queries).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Todo:
    text: str | Promise
    url: str
    # "danger" for overdue or legally due, "warning" soon, "info" otherwise.
    level: str = "info"


TodoProvider = Callable[[Any], list[Todo]]
_PROVIDERS: list[TodoProvider] = []


def register_todos(provider: TodoProvider) -> TodoProvider:
    _PROVIDERS.append(provider)
    return provider


def todos_for(user: Any) -> list[Todo]:
    found: list[Todo] = []
    for provider in _PROVIDERS:
        found.extend(provider(user))
    order = {"danger": 0, "warning": 1, "info": 2}
    return sorted(found, key=lambda t: order.get(t.level, 3))
