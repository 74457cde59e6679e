from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from yufang.injuries.services import priority_rebuild


class Command(BaseCommand):
    help = (
        "Recompute the prevention priority ranking of every year with insured headcounts "
        "(a worker does it nightly and after case writes; this is for a first load or a "
        "machine without a worker)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, action="append", help="only these years")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        ranked = priority_rebuild(options["year"])
        for year, count in ranked.items():
            self.stdout.write(f"{year}: {count} enterprises ranked")
        self.stdout.write(f"in {time.perf_counter() - started:.1f}s")
