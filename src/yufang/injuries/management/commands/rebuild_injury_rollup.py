from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from yufang.injuries.services import rollup_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the injury rollup from cases and insured headcounts (after headcounts or "
        "enterprises were changed outside the injury services, e.g. by a registry import)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        cells = rollup_rebuild()
        self.stdout.write(f"{cells} rollup cells in {time.perf_counter() - started:.1f}s")
