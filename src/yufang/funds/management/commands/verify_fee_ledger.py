"""`yufang verify_fee_ledger`: checks every entry of the prevention fee's ledger against its
hash and its link to the previous entry; names the first broken one, tells the province (as the
nightly task does) and exits 1."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yufang.funds.models import LedgerEntry
from yufang.funds.services.alerts import ledger_check


class Command(BaseCommand):
    help = "Verify the prevention fee's ledger chain; name the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        broken = ledger_check()
        count = LedgerEntry.objects.count()
        if broken is None:
            self.stdout.write(f"fee ledger intact: {count} entries")
            return
        what = (
            "its content does not match its hash"
            if broken.problem == "content"
            else "it does not follow the previous entry of its budget"
        )
        self.stdout.write(
            f"fee ledger broken at entry #{broken.entry_id} (budget {broken.budget_id}): {what}"
        )
        raise SystemExit(1)
