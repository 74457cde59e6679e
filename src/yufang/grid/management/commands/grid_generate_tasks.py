from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yufang.grid.services import tasks_generate
from yufang.regions.models import Region


class Command(BaseCommand):
    help = (
        "Generate the screening tasks of the period (routine by risk colour, and running "
        "campaigns). Rerunning adds nothing that exists."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--on", help="the day (YYYY-MM-DD), default today")
        parser.add_argument("--region", help="a region code (city, county…), default all")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = dt.date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--on must be a date YYYY-MM-DD") from exc
        region = None
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"unknown region {options['region']}")
        result = tasks_generate(on=on, region=region)
        self.stdout.write(f"{result.created} tasks created, {result.already} already there")
