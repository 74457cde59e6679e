from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yufang.grid.services.coverage_counts import coverage_counts_rebuild


class Command(BaseCommand):
    help = (
        "Rewrite the coverage counts kept per grid and day from the tasks, screenings and "
        "findings (after a load that wrote them past the services)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        kept = coverage_counts_rebuild()
        self.stdout.write(f"{kept} grid-days kept")
