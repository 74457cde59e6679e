from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from yufang.council.services import task_reminders_run


class Command(BaseCommand):
    help = (
        "Remind the liaisons of joint-meeting tasks coming due and escalate overdue ones "
        "(what the daily Celery task does); --today YYYY-MM-DD runs it as of that day."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--today", default="", help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = (
                dt.date.fromisoformat(options["today"])
                if options["today"]
                else timezone.localdate()
            )
        except ValueError as exc:
            raise CommandError("--today must look like 2026-12-06") from exc
        sent = task_reminders_run(today=today)
        self.stdout.write(f"{sent['reminded']} reminded, {sent['escalated']} escalated")
