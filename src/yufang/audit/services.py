"""Every create, update and delete of a domain record goes through these three calls.

Services call them inside their own transaction, so an entry exists exactly when the change
does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from yufang.audit.models import AuditEntry

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def snapshot(instance: models.Model) -> Snapshot:
    """The concrete field values of a record, as JSON-ready values."""
    return {
        field.attname: _plain(getattr(instance, field.attname))
        for field in instance._meta.concrete_fields
    }


def _label(instance: models.Model) -> str:
    return instance._meta.label


def _entry(
    actor: Any, action: str, instance: models.Model, changes: dict, reason: str
) -> AuditEntry:
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        model=_label(instance),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes,
        reason=reason[:500],
    )


def audit_create(actor: Any, instance: models.Model, *, reason: str = "") -> None:
    _entry(actor, AuditEntry.Action.CREATE, instance, snapshot(instance), reason).save()


def audit_create_many(actor: Any, instances: Iterable[models.Model], *, reason: str = "") -> None:
    AuditEntry.objects.bulk_create(
        [_entry(actor, AuditEntry.Action.CREATE, i, snapshot(i), reason) for i in instances],
        batch_size=1000,
    )


def audit_update(
    actor: Any, instance: models.Model, before: Snapshot, *, reason: str = ""
) -> dict[str, list[Any]]:
    after = snapshot(instance)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if changes:
        _entry(actor, AuditEntry.Action.UPDATE, instance, changes, reason).save()
    return changes


def audit_delete(actor: Any, instance: models.Model, *, reason: str = "") -> None:
    _entry(actor, AuditEntry.Action.DELETE, instance, snapshot(instance), reason).save()


def audit_event(
    actor: Any,
    instance: models.Model,
    action: str,
    *,
    reason: str = "",
    changes: dict[str, Any] | None = None,
) -> None:
    """Something that happened to a record without a change of its fields to show (a
    lockout, a password set): recorded with who, when and why, never the secret itself."""
    _entry(actor, action, instance, changes or {}, reason).save()


def audit_event_unbound(action: str, *, model: str, object_repr: str, reason: str = "") -> None:
    """An event about a record that does not exist (a lockout of a name no account has)."""
    AuditEntry.objects.create(
        action=action, model=model, object_id="", object_repr=object_repr[:200], reason=reason[:500]
    )


def audit_create_bulk(
    actor: Any,
    model: type[models.Model],
    *,
    count: int,
    object_id: str = "",
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> None:
    """One entry for `count` records of `model` created at once (an import of hundreds of
    thousands of rows): who, how many and from where (`object_id`, e.g. the import job),
    instead of an entry per row."""
    AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=AuditEntry.Action.CREATE,
        model=model._meta.label,
        object_id=object_id,
        object_repr=f"{count} {model._meta.label}"[:200],
        changes={"created": count, **(changes or {})},
        reason=reason[:500],
    )
