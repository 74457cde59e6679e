"""Recording a screening (a visit's result) against a task, with proof of presence.

A replay (the same idempotency key) returns the first screening; a task done, cancelled,
reassigned meanwhile or of a closed enterprise answers `ScreeningConflict` with its reason,
so the phone shows it to the worker instead of dropping it.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
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
from yufang.grid.services.common import GridInvalid, today
from yufang.grid.services.coverage_counts import finding_counted, screening_counted, tasks_counted

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


def _conflict(actor: Any, task: ScreeningTask) -> ScreeningConflict | None:
    if EnterpriseClosure.objects.filter(enterprise_id=task.enterprise_id).exists():
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
    if not may_screen(actor, task):
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
) -> Screening:
    """Records the visit that completes `task` and marks it done, in one transaction.

    A replay with an `idempotency_key` already used returns that first screening (nothing
    new). A task no longer the actor's to do raises `ScreeningConflict` (with `reason`).
    A position far from the enterprise, or with no or poor accuracy, is kept and flagged
    `far_from_enterprise`; a position with no accuracy is refused as no proof."""
    if getattr(actor, "role", None) != Role.GRID_WORKER:
        raise PermissionDenied(_("Only grid workers record screenings."))
    key = (idempotency_key or "").strip() or None
    if key is not None:
        if len(key) > KEY_MAX:
            raise GridInvalid(_("At most %(n)s characters.") % {"n": KEY_MAX}, "idempotency_key")
        first = Screening.objects.filter(idempotency_key=key).first()
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
            conflict = _conflict(actor, task)
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
            audit_create(actor, screening)
    except IntegrityError:
        # Two submissions of the same key at once: the other one won; return it.
        first = Screening.objects.filter(idempotency_key=key).first() if key else None
        if first is None:
            raise ScreeningConflict("already_done", _("This task has already been done.")) from None
        return first
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
    finding, _created = ScreeningFinding.objects.get_or_create(
        hazard=hazard, defaults={"screening": screening}
    )
    if finding.screening_id != screening.pk:
        raise GridInvalid(_("This hazard belongs to another screening."), "hazard")
    if _created:
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
    closure, created = EnterpriseClosure.objects.get_or_create(
        enterprise=enterprise,
        defaults={"closed_on": closed_on or today(), "reason": reason[:200], "recorded_by": actor},
    )
    if not created:
        raise GridInvalid(_("The enterprise is already recorded as closed."), "enterprise")
    audit_create(actor, closure)
    cancelled = ScreeningTask.objects.filter(enterprise=enterprise, status=TaskStatus.OPEN)
    tasks_counted(cancelled, -1)
    cancelled.update(
        status=TaskStatus.CANCELLED, closed_at=timezone.now(), cancel_reason=reason[:200]
    )
    return closure
