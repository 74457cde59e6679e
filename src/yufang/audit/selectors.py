from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import DateTimeField, Field, Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry

AUDIT_READERS = frozenset({Role.AUDITOR, Role.ADMIN, Role.PROVINCE_OFFICIAL})


def audit_entries(
    user: Any, *, model: str = "", object_id: str = "", actor: str = ""
) -> QuerySet[AuditEntry]:
    """The audit log is read by auditors, administrators and province officials.

    A regional auditor's entries are not filtered by region: changes to records are
    evidence, and the auditor's read-only role is province-wide for them.
    """
    if not getattr(user, "is_authenticated", False) or user.role not in AUDIT_READERS:
        return AuditEntry.objects.none()
    if user.role == Role.AUDITOR and user.region_id is not None:
        return AuditEntry.objects.none()
    qs = AuditEntry.objects.select_related("actor")
    if model:
        qs = qs.filter(model=model)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if actor:
        qs = qs.filter(actor__username=actor)
    return qs.order_by("-at", "-id")


@dataclass(frozen=True)
class ChangeShown:
    field: str
    before: str
    after: str
    is_update: bool


@dataclass(frozen=True)
class EntryShown:
    """An entry as a person reads it: the record's kind and fields by their names in the
    reader's language, values as the pages show them, times in local time."""

    entry: AuditEntry
    record_type: str
    changes: list[ChangeShown]


def record_types() -> list[tuple[str, str]]:
    """The kinds of record in the log, (label, name in the reader's language), for a filter."""
    labels = AuditEntry.objects.order_by().values_list("model", flat=True).distinct()
    return sorted(((label, _record_type(label)) for label in labels), key=lambda p: p[1])


def _model(label: str) -> type[Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _record_type(label: str) -> str:
    model = _model(label)
    return str(model._meta.verbose_name) if model is not None else label


def _fields_by_attname(model: type[Model] | None) -> dict[str, Field[Any, Any]]:
    if model is None:
        return {}
    return {f.attname: f for f in model._meta.concrete_fields}


def _value_shown(field: Field[Any, Any] | None, value: Any, related: dict[Any, str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))  # type: ignore[arg-type]
    if field is not None and field.is_relation and field.related_model is not None:
        return related.get((field.related_model, value), f"#{value}")
    if isinstance(field, DateTimeField) and isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)[:300]
    return str(value)[:300]


def entries_shown(entries: Iterable[AuditEntry]) -> list[EntryShown]:
    """The entries of a page made readable, with the records they point to named in a few
    queries (one per kind of related record), not one per value."""
    entries = list(entries)
    wanted: dict[type[Model], set[Any]] = {}
    fields_of: dict[str, dict[str, Field[Any, Any]]] = {}
    for e in entries:
        fields = fields_of.setdefault(e.model, _fields_by_attname(_model(e.model)))
        for name, value in (e.changes or {}).items():
            field = fields.get(name)
            if field is None or not field.is_relation or field.related_model is None:
                continue
            values = value if e.action == AuditEntry.Action.UPDATE else [value]
            for v in values if isinstance(values, list) else [values]:
                if v not in (None, ""):
                    wanted.setdefault(field.related_model, set()).add(v)  # type: ignore[arg-type]
    related: dict[Any, str] = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=list(pks))[:1000]:
            related[(model, obj.pk)] = str(obj)
    shown = []
    for e in entries:
        fields = fields_of[e.model]
        changes = []
        for name, value in (e.changes or {}).items():
            field = fields.get(name)
            label = str(field.verbose_name) if field is not None else name
            if e.action == AuditEntry.Action.UPDATE and isinstance(value, list) and len(value) == 2:
                changes.append(
                    ChangeShown(
                        label,
                        _value_shown(field, value[0], related),
                        _value_shown(field, value[1], related),
                        True,
                    )
                )
            else:
                changes.append(ChangeShown(label, "", _value_shown(field, value, related), False))
        shown.append(EntryShown(e, _record_type(e.model), changes))
    return shown
