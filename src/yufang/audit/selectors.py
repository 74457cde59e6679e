from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

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
