from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yufang.regions.services import GridInvalid, grids_import


class Command(BaseCommand):
    help = "Create or refresh grids from a CSV with columns code,name,township_code[,latitude,longitude]."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = grids_import(actor=None, path=options["csv"])
        except GridInvalid as exc:
            raise CommandError(
                "nothing imported:\n" + "\n".join(f"{k}: {v}" for k, v in exc.errors.items())
            ) from exc
        self.stdout.write(f"grids: {result['created']} created, {result['updated']} updated")
