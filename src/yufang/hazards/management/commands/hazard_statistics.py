from __future__ import annotations

import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yufang.hazards.models import PeriodKind
from yufang.hazards.services import statistics_generate
from yufang.lib.errors import InvalidInput


class Command(BaseCommand):
    help = "Generate the hazard statistics of a period: 2025Q3 (a quarter) or 2025 (a year)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("period", help="YYYYQn or YYYY")

    def handle(self, *args: Any, **options: Any) -> None:
        period = options["period"].upper()
        match = re.fullmatch(r"(\d{4})(?:Q([1-4]))?", period)
        if not match:
            raise CommandError("period must look like 2025Q3 or 2025")
        year, quarter = int(match[1]), match[2]
        try:
            rows = statistics_generate(
                kind=PeriodKind.QUARTER if quarter else PeriodKind.YEAR,
                year=year,
                quarter=int(quarter) if quarter else None,
            )
        except InvalidInput as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{rows} enterprise rows for {period}")
