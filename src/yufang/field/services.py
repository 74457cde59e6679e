"""Receiving what a grid worker's phone queued: screenings and hazards, each with the
idempotency key the phone made for it.

The field app has no rules of its own. A screening goes to `grid.services.screening_record`,
a hazard to `hazards.services.hazard_report` (and is linked to its screening with
`grid.services.screening_finding_add`). What the field app adds is the receipt: one
`SyncReceipt` per key, written in the same transaction as the record it names, so a replayed
sync (the phone lost the answer, or sends twice) answers "replayed" and writes nothing, and two
syncs of the same key at once write one record.

Each entry is received in its own transaction and answered on its own (done, replayed,
conflict with the server's message, invalid naming the field): one entry refused never
loses the others.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.enterprises.selectors import enterprise_get
from yufang.field.models import EntryKind, SyncReceipt
from yufang.grid import selectors as grid_selectors
from yufang.grid.services import ScreeningConflict, screening_finding_add, screening_record
from yufang.grid.services.screenings import ScreeningContext, screening_context
from yufang.hazards import services as hazard_services
from yufang.lib.errors import InvalidInput

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
DATA_URL = re.compile(r"^data:([\w/+.-]*)(;[\w=.-]+)*;base64,", re.ASCII)


class FieldInvalid(InvalidInput):
    """An entry from the phone that cannot be received as it is."""


@dataclass
class Entry:
    """One entry of a phone's outbox (the API's `EntryIn`, or the screening page's form)."""

    key: str
    kind: str
    task_id: int | None = None
    enterprise_id: int | None = None
    # A hazard found at a screening names that screening's key, so the two are linked.
    screening_key: str = ""
    done_at: dt.datetime | None = None
    answers: Any = None
    note: str = ""
    latitude: Any = None
    longitude: Any = None
    accuracy_m: Any = None
    # Data URLs (or plain base64) from the phone, or bytes from a form's upload.
    photos: list[Any] = dataclasses.field(default_factory=list)
    topic: str = ""
    level: str = ""
    description: str = ""
    location: str = ""


@dataclass
class EntryResult:
    key: str
    kind: str
    # done | replayed | conflict | invalid
    status: str
    id: int | None = None
    reason: str = ""
    message: str = ""
    field: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)


def photo_bytes(raw: Any) -> bytes:
    """A photo as the phone keeps it (a data URL) or as a form uploads it, as bytes; whether
    the bytes are an image is for the receiving service to say."""
    if isinstance(raw, bytes):
        return raw
    if hasattr(raw, "read"):
        return bytes(raw.read())
    text = str(raw)
    match = DATA_URL.match(text)
    if match:
        text = text[match.end() :]
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FieldInvalid(_("The photo could not be read."), "photos") from exc


def _screening_notes(screening: Any) -> list[str]:
    """What the worker should know about a screening received: a far or missing location."""
    if screening.latitude is None:
        return [_("No location was recorded: the screening is flagged for the county.")]
    if screening.far_from_enterprise:
        if screening.distance_m is not None:
            return [
                _(
                    "The location was %(m)s m from the enterprise (accuracy %(a)s m): "
                    "the screening is flagged for the county."
                )
                % {"m": screening.distance_m, "a": screening.accuracy_m}
            ]
        return [
            _("The location's accuracy was %(a)s m: the screening is flagged for the county.")
            % {"a": screening.accuracy_m}
        ]
    return []


def _receipt(actor: Any, entry: Entry, object_id: int, notes: list[str]) -> SyncReceipt:
    return SyncReceipt(
        key=entry.key,
        user=actor,
        kind=entry.kind,
        object_id=object_id,
        notes=notes,
        received_at=timezone.now(),
    )


def _replayed(receipt: SyncReceipt, entry: Entry, actor: Any) -> EntryResult:
    if receipt.user_id != actor.pk or receipt.kind != entry.kind:
        return EntryResult(
            entry.key,
            entry.kind,
            "invalid",
            field="key",
            message=_("This entry's key was already used by another entry."),
        )
    return EntryResult(
        entry.key,
        entry.kind,
        "replayed",
        id=receipt.object_id,
        message=_("Already received earlier; nothing was added."),
        notes=list(receipt.notes),
    )


def _task(actor: Any, entry: Entry, tasks: dict[int, Any]) -> Any:
    if entry.task_id is None:
        raise FieldInvalid(_("Name the screening task."), "task_id")
    task = tasks.get(entry.task_id)
    if task is None:
        raise Http404
    return task


def _receive_screening(
    actor: Any,
    entry: Entry,
    tasks: dict[int, Any],
    written: list[SyncReceipt],
    context: ScreeningContext | None,
) -> EntryResult:
    task = _task(actor, entry, tasks)
    photos = [photo_bytes(p) for p in entry.photos]
    # One service call, its own savepoint: refused, it wrote nothing.
    screening = screening_record(
        actor=actor,
        task=task,
        answers=entry.answers,
        note=entry.note,
        latitude=entry.latitude,
        longitude=entry.longitude,
        accuracy_m=entry.accuracy_m,
        done_at=entry.done_at,
        photos=photos,
        idempotency_key=entry.key,
        context=context,
    )
    notes = _screening_notes(screening)
    written.append(_receipt(actor, entry, screening.pk, notes))
    return EntryResult(
        entry.key,
        entry.kind,
        "done",
        id=screening.pk,
        message=_("Screening received."),
        notes=notes,
    )


def _receive_hazard(
    actor: Any,
    entry: Entry,
    tasks: dict[int, Any],
    screenings: dict[str, int],
    written: list[SyncReceipt],
) -> EntryResult:
    if entry.task_id is not None:
        enterprise = _task(actor, entry, tasks).enterprise
    elif entry.enterprise_id is not None:
        enterprise = enterprise_get(actor, entry.enterprise_id)
    else:
        raise FieldInvalid(_("Name the enterprise or the task."), "enterprise_id")
    if len(entry.photos) > 1:
        raise FieldInvalid(_("A hazard is reported with one photo."), "photos")
    upload = None
    if entry.photos:
        upload = SimpleUploadedFile("hazard.jpg", photo_bytes(entry.photos[0]))
    with transaction.atomic():
        hazard = hazard_services.hazard_report(
            actor=actor,
            enterprise=enterprise,
            topic=entry.topic,
            level=entry.level,
            description=entry.description,
            location=entry.location,
            photo=upload,
            latitude=entry.latitude,
            longitude=entry.longitude,
        )
        notes: list[str] = []
        screening_id = screenings.get(entry.screening_key) if entry.screening_key else None
        if screening_id is not None:
            screening = grid_selectors.screening_get(actor, screening_id)
            screening_finding_add(actor=actor, screening=screening, hazard=hazard)
    written.append(_receipt(actor, entry, hazard.pk, notes))
    return EntryResult(
        entry.key,
        entry.kind,
        "done",
        id=hazard.pk,
        message=_("Hazard #%(id)s registered.") % {"id": hazard.pk},
        notes=notes,
    )


def _refused(entry: Entry, exc: Exception) -> EntryResult:
    if isinstance(exc, ScreeningConflict):
        return EntryResult(
            entry.key, entry.kind, "conflict", reason=exc.reason, message=exc.message, field="task"
        )
    if isinstance(exc, InvalidInput):
        first = next(iter(exc.errors), "")
        return EntryResult(entry.key, entry.kind, "invalid", message=exc.message, field=first)
    if isinstance(exc, PermissionDenied):
        return EntryResult(
            entry.key,
            entry.kind,
            "conflict",
            reason="not_allowed",
            message=str(exc) or _("You may not record this."),
        )
    return EntryResult(
        entry.key,
        entry.kind,
        "conflict",
        reason="not_found",
        message=_("The task or the enterprise is not among yours (any more)."),
        field="task_id" if entry.task_id is not None else "enterprise_id",
    )


def outbox_sync(*, actor: Any, entries: list[Entry], _retried: bool = False) -> list[EntryResult]:
    """Receives a phone's outbox: every entry answered, in the order given.

    Screenings are received before hazards, so a hazard found at a screening sent in the same
    batch is linked to it. An entry already received (its key has a receipt) answers
    "replayed" with what the first answer said; nothing is written twice."""
    if getattr(actor, "role", None) != Role.GRID_WORKER:
        raise PermissionDenied(_("Only grid workers sync screenings from the field app."))
    seen: set[str] = set()
    for entry in entries:
        if not KEY_PATTERN.match(entry.key):
            raise FieldInvalid(
                _("Each entry needs a key of 8 to 64 letters, digits, - or _."), "key"
            )
        if entry.key in seen:
            raise FieldInvalid(_("The same key is given twice in one sync."), "key")
        seen.add(entry.key)
        if entry.kind not in EntryKind.values:
            raise FieldInvalid(_("Unknown kind of entry."), "kind")
    receipts = {r.key: r for r in SyncReceipt.objects.filter(key__in=[e.key for e in entries])}
    task_ids = {e.task_id for e in entries if e.task_id is not None}
    tasks = (
        {
            t.pk: t
            for t in grid_selectors.tasks_visible(actor)
            .filter(pk__in=task_ids)
            .select_related("enterprise", "grid")
        }
        if task_ids
        else {}
    )
    # Screenings received earlier or in this batch, by key, for linking hazards to them.
    screenings = {r.key: r.object_id for r in receipts.values() if r.kind == EntryKind.SCREENING}
    wanted = {e.screening_key for e in entries if e.screening_key} - set(screenings)
    if wanted:
        screenings.update(
            SyncReceipt.objects.filter(
                key__in=wanted, user=actor, kind=EntryKind.SCREENING
            ).values_list("key", "object_id")
        )
    ordered = sorted(entries, key=lambda e: e.kind != EntryKind.SCREENING)
    to_screen = [e for e in entries if e.kind == EntryKind.SCREENING and e.key not in receipts]
    # One transaction for the batch (one commit, and the receipts written together, instead
    # of one of each per entry: 200 entries from a phone back in signal); each entry's writes
    # are one service call or a savepoint, so one refused loses no other.
    try:
        with transaction.atomic():
            results: dict[str, EntryResult] = {}
            written: list[SyncReceipt] = []
            # What each screening would ask again (its key used, its enterprise closed, its
            # grid the worker's), read once for the batch: the sync's time went there.
            context = (
                screening_context(
                    actor=actor,
                    tasks=[tasks[e.task_id] for e in to_screen if e.task_id in tasks],
                    keys=[e.key for e in to_screen],
                )
                if to_screen
                else None
            )
            for entry in ordered:
                results[entry.key] = _receive(
                    actor, entry, receipts, tasks, screenings, written, context
                )
            SyncReceipt.objects.bulk_create(written)
    except IntegrityError:
        if _retried:
            raise
        # Another sync of the same entries committed first: nothing of this one was kept;
        # received again, its entries find their receipts and answer "replayed".
        return outbox_sync(actor=actor, entries=entries, _retried=True)
    # A task found done because another sync of the same entry committed while this one
    # waited for the task's lock: that is this phone's own entry, received once.
    done_meanwhile = [k for k, r in results.items() if r.reason == "already_done"]
    if done_meanwhile:
        for receipt in SyncReceipt.objects.filter(key__in=done_meanwhile):
            results[receipt.key] = _replayed(receipt, _by_key(entries, receipt.key), actor)
    return [results[e.key] for e in entries]


def _by_key(entries: list[Entry], key: str) -> Entry:
    return next(e for e in entries if e.key == key)


def _receive(
    actor: Any,
    entry: Entry,
    receipts: dict[str, SyncReceipt],
    tasks: dict[int, Any],
    screenings: dict[str, int],
    written: list[SyncReceipt],
    context: ScreeningContext | None,
) -> EntryResult:
    receipt = receipts.get(entry.key)
    if receipt is not None:
        return _replayed(receipt, entry, actor)
    try:
        if entry.kind == EntryKind.SCREENING:
            result = _receive_screening(actor, entry, tasks, written, context)
            if result.id is not None:
                screenings[entry.key] = result.id
            return result
        return _receive_hazard(actor, entry, tasks, screenings, written)
    except (InvalidInput, PermissionDenied, Http404, ObjectDoesNotExist) as exc:
        return _refused(entry, exc)
