"""Recording a screening (a visit's result) against a task, with proof of presence.

A replay (the same idempotency key) returns the first screening; a task done, cancelled,
reassigned meanwhile or of a closed enterprise answers `ScreeningConflict` with its reason,
so the phone shows it to the worker instead of dropping it.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping.grid import may_screen
from yufang.audit.services import audit_create
from yufang.grid.geo import distance_m
from yufang.grid.models import (
    EnterpriseClosure,
    Screening,
    ScreeningFinding,
    ScreeningPhoto,
    ScreeningTask,
    TaskStatus,
)
from yufang.grid.services.common import GridInvalid, tasks_cancel, today
from yufang.grid.services.coverage_counts import (
    finding_counted,
    first_screening_counted,
    screening_counted,
)
from yufang.grid.services.placement import registry_watch

IMAGE_FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
ANSWER_VALUES = ("yes", "no", "na")
NOTE_MAX = 2000
KEY_MAX = 80
PHONE_CLOCK_SKEW = dt.timedelta(minutes=10)


class ScreeningConflict(GridInvalid):
    """The screening cannot be recorded against its task any more. `reason` is one of
    "reassigned", "cancelled", "already_done", "enterprise_closed", "not_assigned"."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message, "task")


def photo_max_bytes() -> int:
    return int(settings.GRID_PHOTO_MAX_BYTES)


def _decimal(raw: Any, field: str, low: int, high: int, errors: dict[str, str]) -> Decimal | None:
    if raw is None or raw == "":
        return None
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        errors[field] = _("Not a number.")
        return None
    if not value.is_finite() or not low <= value <= high:
        errors[field] = _("Must be between %(low)s and %(high)s.") % {"low": low, "high": high}
        return None
    return value


def _clean_answers(raw: Any, errors: dict[str, str]) -> list[dict[str, Any]]:
    if raw in (None, ""):
        return []
    if isinstance(raw, dict):
        raw = [{"item": k, "answer": v} for k, v in raw.items()]
    if not isinstance(raw, list) or len(raw) > 100:
        errors["answers"] = _("The checklist answers are not readable.")
        return []
    cleaned = []
    for entry in raw:
        if not isinstance(entry, dict):
            errors["answers"] = _("The checklist answers are not readable.")
            return []
        item = str(entry.get("item", ""))[:300]
        answer = str(entry.get("answer", ""))
        if answer not in ANSWER_VALUES:
            errors["answers"] = _("Answer each checklist item with yes, no or not applicable.")
            return []
        cleaned.append({"item": item, "answer": answer})
    return cleaned


def _check_image(data: bytes) -> str:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
            fmt = str(probe.format)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise GridInvalid(_("The file is not a photo (JPEG, PNG or WebP)."), "photos") from exc
    if fmt not in IMAGE_FORMATS:
        raise GridInvalid(_("The file is not a photo (JPEG, PNG or WebP)."), "photos")
    return {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]


def _read_photos(photos: list[Any]) -> list[tuple[bytes, str]]:
    if len(photos) > 10:
        raise GridInvalid(_("At most 10 photos per screening."), "photos")
    limit = photo_max_bytes()
    read = []
    for upload in photos:
        data = upload if isinstance(upload, bytes) else upload.read()
        if len(data) > limit:
            raise GridInvalid(
                _("The photo is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)},
                "photos",
            )
        read.append((data, _check_image(data)))
    return read


@dataclass
class ScreeningContext:
    """What a batch of screenings by one worker would otherwise ask once per screening: read
    once by `screening_context`, passed to each `screening_record` of the batch. A key, an
    enterprise or a grid it did not read is asked as without a context."""

    actor_id: int
    keys: frozenset[str]
    recorded: dict[str, Screening]
    enterprise_ids: frozenset[int]
    closed: frozenset[int]
    may_screen_grid: dict[int, bool] = field(default_factory=dict)

    def first(self, key: str) -> Screening | None:
        if key in self.keys:
            return self.recorded.get(key)
        return Screening.objects.filter(idempotency_key=key).first()

    def enterprise_closed(self, enterprise_id: int) -> bool:
        if enterprise_id in self.enterprise_ids:
            return enterprise_id in self.closed
        return EnterpriseClosure.objects.filter(enterprise_id=enterprise_id).exists()

    def may_screen(self, actor: Any, task: ScreeningTask) -> bool:
        known = self.may_screen_grid.get(task.grid_id)
        return may_screen(actor, task) if known is None else known


def screening_context(
    *, actor: Any, tasks: Iterable[ScreeningTask], keys: Iterable[str] = ()
) -> ScreeningContext:
    """Reads at once, for a batch of screenings of `tasks` under the idempotency `keys`, the
    screenings already recorded under those keys, which of the tasks' enterprises are closed
    and which of their grids the actor may screen (the scope rule asked once per grid)."""
    tasks = list(tasks)
    wanted = frozenset(k for k in ((k or "").strip() for k in keys) if k and len(k) <= KEY_MAX)
    enterprise_ids = frozenset(t.enterprise_id for t in tasks)
    by_grid: dict[int, ScreeningTask] = {}
    for t in tasks:
        by_grid.setdefault(t.grid_id, t)
    return ScreeningContext(
        actor_id=actor.pk,
        keys=wanted,
        recorded=(
            {
                str(s.idempotency_key): s
                for s in Screening.objects.filter(idempotency_key__in=wanted)
            }
            if wanted
            else {}
        ),
        enterprise_ids=enterprise_ids,
        closed=(
            frozenset(
                EnterpriseClosure.objects.filter(enterprise_id__in=enterprise_ids).values_list(
                    "enterprise_id", flat=True
                )
            )
            if enterprise_ids
            else frozenset()
        ),
        may_screen_grid={gid: may_screen(actor, t) for gid, t in by_grid.items()},
    )


def _conflict(
    actor: Any, task: ScreeningTask, context: ScreeningContext | None
) -> ScreeningConflict | None:
    closed = (
        context.enterprise_closed(task.enterprise_id)
        if context is not None
        else EnterpriseClosure.objects.filter(enterprise_id=task.enterprise_id).exists()
    )
    if closed:
        return ScreeningConflict(
            "enterprise_closed",
            _("The enterprise has been recorded as closed; this task is no longer due."),
        )
    if task.status == TaskStatus.DONE:
        return ScreeningConflict("already_done", _("This task has already been done."))
    if task.status == TaskStatus.CANCELLED:
        return ScreeningConflict("cancelled", _("This task was cancelled meanwhile."))
    if task.worker_id is not None and task.worker_id != actor.pk:
        return ScreeningConflict(
            "reassigned", _("This task was reassigned to another grid worker meanwhile.")
        )
    allowed = context.may_screen(actor, task) if context is not None else may_screen(actor, task)
    if not allowed:
        return ScreeningConflict("not_assigned", _("You do not work this task's grid."))
    return None


def screening_record(
    *,
    actor: Any,
    task: ScreeningTask,
    answers: Any = None,
    note: str = "",
    latitude: Any = None,
    longitude: Any = None,
    accuracy_m: Any = None,
    done_at: dt.datetime | None = None,
    photos: list[Any] | None = None,
    idempotency_key: str | None = None,
    context: ScreeningContext | None = None,
) -> Screening:
    """Records the visit that completes `task` and marks it done, in one transaction.

    A replay with an `idempotency_key` already used returns that first screening (nothing
    new). A task no longer the actor's to do raises `ScreeningConflict` (with `reason`).
    A position far from the enterprise, or with no or poor accuracy, is kept and flagged
    `far_from_enterprise`; a position with no accuracy is refused as no proof.

    A batch passes the `context` that `screening_context` read for it, so that each call
    asks again only what it must under the task's lock."""
    if getattr(actor, "role", None) != Role.GRID_WORKER:
        raise PermissionDenied(_("Only grid workers record screenings."))
    if context is not None and context.actor_id != actor.pk:
        raise ValueError("The screening context was read for another worker.")
    key = (idempotency_key or "").strip() or None
    if key is not None:
        if len(key) > KEY_MAX:
            raise GridInvalid(_("At most %(n)s characters.") % {"n": KEY_MAX}, "idempotency_key")
        first = (
            context.first(key)
            if context is not None
            else Screening.objects.filter(idempotency_key=key).first()
        )
        if first is not None:
            if first.worker_id != actor.pk or first.task_id != task.pk:
                raise GridInvalid(
                    _("This idempotency key was already used for another screening."),
                    "idempotency_key",
                )
            return first
    errors: dict[str, str] = {}
    cleaned_answers = _clean_answers(answers, errors)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("At most %(n)s characters.") % {"n": NOTE_MAX}
    if "\x00" in note:
        errors["note"] = _("The text contains a character that cannot be stored.")
    lat = _decimal(latitude, "latitude", -90, 90, errors)
    lng = _decimal(longitude, "longitude", -180, 180, errors)
    accuracy = _decimal(accuracy_m, "accuracy_m", 0, 100_000, errors)
    if (lat is None) != (lng is None) and "latitude" not in errors and "longitude" not in errors:
        errors["longitude" if lng is None else "latitude"] = _(
            "Give both the latitude and the longitude."
        )
    if lat is not None and accuracy is None and "accuracy_m" not in errors:
        errors["accuracy_m"] = _("A position needs its accuracy in metres to prove presence.")
    now = timezone.now()
    when = done_at or now
    if timezone.is_naive(when):
        errors["done_at"] = _("Give the time with its time zone.")
    elif when > now + PHONE_CLOCK_SKEW:
        errors["done_at"] = _("The screening time is in the future.")
    elif when < now - dt.timedelta(days=62):
        errors["done_at"] = _("The screening time is more than two months ago.")
    if errors:
        raise GridInvalid(errors)
    read_photos = _read_photos(list(photos or []))
    try:
        with transaction.atomic():
            task = (
                ScreeningTask.objects.select_for_update(of=("self",))
                .select_related("enterprise")
                .get(pk=task.pk)
            )
            conflict = _conflict(actor, task, context)
            if conflict is not None:
                raise conflict
            enterprise = task.enterprise
            distance = None
            on = timezone.localdate(when)
            far = lat is None
            if lat is not None and lng is not None:
                if enterprise.latitude is not None and enterprise.longitude is not None:
                    distance = distance_m(lat, lng, enterprise.latitude, enterprise.longitude)
                    far = distance > int(policy.value("grid_far_from_enterprise_m", on=on))
                if accuracy is None or accuracy > int(
                    policy.value("grid_location_max_accuracy_m", on=on)
                ):
                    far = True
            screening = Screening.objects.create(
                task=task,
                enterprise=enterprise,
                grid_id=task.grid_id,
                worker=actor,
                done_at=when,
                latitude=lat,
                longitude=lng,
                accuracy_m=int(accuracy) if accuracy is not None else None,
                distance_m=distance,
                far_from_enterprise=far,
                answers=cleaned_answers,
                note=note,
                idempotency_key=key,
            )
            for data, ext in read_photos:
                path = default_storage.save(
                    f"grid/screenings/{today():%Y/%m}/{uuid.uuid4().hex}.{ext}",
                    ContentFile(data),
                )
                ScreeningPhoto.objects.create(screening=screening, image_path=path)
            task.status = TaskStatus.DONE
            task.closed_at = now
            if task.worker_id is None:
                task.worker = actor
            task.save(update_fields=["status", "closed_at", "worker"])
            screening_counted(screening)
            first_screening_counted(screening, enterprise)
            audit_create(actor, screening)
    except IntegrityError:
        # Two submissions of the same key at once: the other one won; return it.
        first = Screening.objects.filter(idempotency_key=key).first() if key else None
        if first is None:
            raise ScreeningConflict("already_done", _("This task has already been done.")) from None
        return first
    if context is not None and key is not None:
        # A later call of the batch with this key is a replay of this one.
        context.recorded[key] = screening
    return screening


@transaction.atomic
def screening_finding_add(*, actor: Any, screening: Screening, hazard: Any) -> ScreeningFinding:
    """Links a hazard reported at a screening (through the hazards services) to it, so that
    coverage counts hazards found per 100 screenings. Adding the same hazard again returns
    the existing link."""
    if screening.worker_id != actor.pk:
        raise PermissionDenied(_("Only the worker who screened adds findings to a screening."))
    if hazard.enterprise_id != screening.enterprise_id:
        raise GridInvalid(_("The hazard is not at the screened enterprise."), "hazard")
    with transaction.atomic():
        finding, created = ScreeningFinding.objects.get_or_create(
            hazard=hazard, defaults={"screening": screening}
        )
        if finding.screening_id != screening.pk:
            raise GridInvalid(_("This hazard belongs to another screening."), "hazard")
        if created:
            finding_counted(finding)
    return finding


@transaction.atomic
def enterprise_closure_record(
    *, actor: Any, enterprise: Any, closed_on: dt.date | None = None, reason: str
) -> EnterpriseClosure:
    """Records an enterprise as closed: its open tasks are cancelled, none are generated."""
    from yufang.accounts.scoping import may_change_enterprise

    if not may_change_enterprise(actor, enterprise) or actor.role == Role.SAFETY_MANAGER:
        raise PermissionDenied(_("You cannot record this enterprise as closed."))
    reason = (reason or "").strip()
    if not reason:
        raise GridInvalid(_("Say why the enterprise is closed."), "reason")
    with registry_watch([enterprise.pk]):
        closure, created = EnterpriseClosure.objects.get_or_create(
            enterprise=enterprise,
            defaults={
                "closed_on": closed_on or today(),
                "reason": reason[:200],
                "recorded_by": actor,
            },
        )
    if not created:
        raise GridInvalid(_("The enterprise is already recorded as closed."), "enterprise")
    audit_create(actor, closure)
    tasks_cancel(ScreeningTask.objects.filter(enterprise=enterprise), reason=reason)
    return closure
