from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yufang.accounts.demo import demo_accounts
from yufang.support.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo accounts (created by seed-demo)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"\nDemo accounts (password: {DEMO_PASSWORD})")
        for username, role, scope in demo_accounts():
            self.stdout.write(f"  {username:<12} {role:<28} {scope}")
        self.stdout.write("")
