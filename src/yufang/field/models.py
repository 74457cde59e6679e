"""The field app keeps one record of its own: the receipt of each entry a phone synced, by the
idempotency key the phone made for it, so a replayed sync answers what the first one did and
writes nothing twice. The entries themselves (screenings, hazards) belong to grid and hazards."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    SCREENING = "screening", _("screening")
    HAZARD = "hazard", _("hazard")


class SyncReceipt(models.Model):
    """One entry made on a phone and received by the platform."""

    # Made on the phone (a UUID) when the entry was queued; unique across the platform.
    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="field_receipts"
    )
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    # The screening's or the hazard's id (kept as a number: the record lives in another app).
    object_id = models.BigIntegerField()
    # What the first answer told the phone besides "done" (a far location, no accuracy).
    notes = models.JSONField(default=list, blank=True)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["user", "received_at"], name="field_receipt_user_time")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} ({self.key})"
