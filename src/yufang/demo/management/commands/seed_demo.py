from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from yufang.enterprises.models import Enterprise
from yufang.support.database import planner_statistics_refresh
from yufang.support.demo import demo_modules, make_context


class Command(BaseCommand):
    help = "Build the demo data set (a believable Shandong) and the demo accounts. Deterministic per seed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--force", action="store_true", help="seed even if enterprises exist")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if enterprises exist"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Enterprise.objects.exists() and options["if_empty"]:
            self.stdout.write("The demo data is already there.")
            return
        if Enterprise.objects.exists() and not options["force"]:
            raise CommandError(
                "The database already has enterprises: the demo seeds an empty platform only."
            )
        call_command("import_reference", stdout=self.stdout)
        ctx = make_context(options["seed"], self.stdout)
        for module in demo_modules():
            started = time.perf_counter()
            with transaction.atomic():
                module.seed(ctx)
            self.stdout.write(f"{module.__name__}: {time.perf_counter() - started:.1f}s")
        # As the nightly upkeep would: the demo's first pages get the plans of a platform in use.
        planner_statistics_refresh()
