"""Warn enterprises of new workers whose registration deadline is near or passed, as the daily
task does; running it twice tells nobody twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yufang.portal.services import roster_deadline_warnings_send


class Command(BaseCommand):
    help = "Warn enterprises of new workers not registered within the deadline, or nearly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", default="", help="the day to check, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError as exc:
                raise CommandError(f"Not a date (YYYY-MM-DD): {options['today']}") from exc
        told = roster_deadline_warnings_send(today=today)
        self.stdout.write(f"{today.isoformat()}: {told} workers' registration deadlines told")
