from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yufang.hazards.services import checklists_import


class Command(BaseCommand):
    help = "Load the seed checklists (data/checklists.json) as version 1; safe to run again."

    def handle(self, *args: Any, **options: Any) -> None:
        created = checklists_import()
        self.stdout.write(f"{created} checklists created")
