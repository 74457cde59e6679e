"""Sends today's recognition deadline warnings (what the daily Celery task does)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from yufang.recognition.services import warnings_send


class Command(BaseCommand):
    help = "Send the warnings of recognition time limits that near (once per record and date)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="the day to run for (YYYY-MM-DD); today by default")

    def handle(self, *args: Any, **options: Any) -> None:
        today = (
            dt.date.fromisoformat(options["today"])
            if options.get("today")
            else timezone.localdate()
        )
        sent = warnings_send(today=today)
        self.stdout.write(f"{sent} warning(s) sent for {today.isoformat()}")
