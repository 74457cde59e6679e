"""Run the floating premium rate for a region (or every city) and a period, as the January
task does."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yufang.portal.services import floating_rates_run, floating_rates_run_all
from yufang.regions.models import Region


class Command(BaseCommand):
    help = "Compute the floating premium rate of every enterprise of a region for a year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, default=timezone.localdate().year - 1)
        parser.add_argument("--region", default="", help="region code (default: every city)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"Unknown region code: {options['region']}")
            runs = [floating_rates_run(actor=None, region=region, year=year)]
        else:
            runs = floating_rates_run_all(year=year)
        for run in runs:
            self.stdout.write(f"{run.region.code} {run.year}: {run.rates.count()} enterprises")
