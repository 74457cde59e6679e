"""The fee's ledger: every money movement, chained by SHA-256 per budget."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yufang.funds.models import Budget, LedgerEntry, Payment, Project

GENESIS = "0" * 64


def canonical(entry: LedgerEntry) -> str:
    """The entry's canonical form: what its hash covers (every field but its own hash)."""
    at = entry.at.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return json.dumps(
        {
            "budget": entry.budget_id,
            "kind": entry.kind,
            "use": entry.use,
            "amount": f"{Decimal(entry.amount):.2f}",
            "project": entry.project_id,
            "payment": entry.payment_id,
            "actor": entry.actor_id,
            "actor_name": entry.actor_name,
            "reason": entry.reason,
            "at": at,
            "previous": entry.previous_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )


def entry_digest(entry: LedgerEntry) -> str:
    return hashlib.sha256(canonical(entry).encode()).hexdigest()


def ledger_append(
    *,
    budget: Budget,
    kind: str,
    amount: Decimal,
    actor: Any,
    reason: str,
    use: str = "",
    project: Project | None = None,
    payment: Payment | None = None,
) -> LedgerEntry:
    """Appends to the budget's chain. The caller holds the budget's row lock
    (`select_for_update`), which orders the appends of one chain."""
    last = LedgerEntry.objects.filter(budget=budget).order_by("-id").first()
    entry = LedgerEntry(
        budget=budget,
        kind=kind,
        use=use,
        amount=Decimal(amount).quantize(Decimal("0.01")),
        project=project,
        payment=payment,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(getattr(actor, "get_full_name", lambda: "")() or str(actor or ""))[:150],
        reason=reason[:500],
        at=timezone.now(),
        previous_hash=last.entry_hash if last else GENESIS,
    )
    entry.entry_hash = entry_digest(entry)
    entry.save()
    return entry


@dataclass(frozen=True)
class Break:
    entry_id: int
    budget_id: int
    problem: str


def ledger_verify() -> Break | None:
    """The first entry (in id order) whose hash does not match its content or whose link to
    the previous entry of its budget is broken; None when the whole ledger holds."""
    previous: dict[int, str] = {}
    for entry in LedgerEntry.objects.order_by("id").iterator(chunk_size=2000):
        expected_previous = previous.get(entry.budget_id, GENESIS)
        if entry.previous_hash != expected_previous:
            return Break(entry.pk, entry.budget_id, "link")
        digest = entry_digest(entry)
        if digest != entry.entry_hash:
            return Break(entry.pk, entry.budget_id, "content")
        previous[entry.budget_id] = digest
    return None
