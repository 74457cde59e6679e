"""The demo data set: a believable Shandong, deterministic for a given seed.

Each app that has demo data has a `demo.py` with `ORDER` (when it runs) and
`seed(ctx: DemoContext)`. `yufang seed-demo` runs them all in order.
"""

from __future__ import annotations

import datetime as dt
import importlib
import random
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import apps
from django.utils import timezone

DEMO_PASSWORD = "yufang-demo"  # noqa: S105 - printed by `make demo`; only the demo command uses it


@dataclass
class DemoContext:
    rng: random.Random
    today: dt.date
    log: Any
    # Filled as the seeders run, for the ones after them (accounts, enterprises, ...).
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def years(self) -> range:
        """The five complete years of history the demo tells: 2020-2024 when run in 2025/26."""
        return range(2020, 2025)


def demo_modules() -> list[ModuleType]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("yufang."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        if hasattr(module, "seed") and hasattr(module, "ORDER"):
            found.append(module)
    return sorted(found, key=lambda m: (m.ORDER, m.__name__))


def make_context(seed: int, log: Any) -> DemoContext:
    return DemoContext(rng=random.Random(seed), today=timezone.localdate(), log=log)
