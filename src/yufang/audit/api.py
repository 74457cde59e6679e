from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from yufang.audit.selectors import audit_entries
from yufang.support.bounds import paginated

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    at: dt.datetime
    actor: str | None
    action: str
    model: str
    object_id: str
    object_repr: str
    changes: dict[str, Any]
    reason: str

    @staticmethod
    def resolve_actor(obj: Any) -> str | None:
        return obj.actor.username if obj.actor else None


@router.get("", response=list[AuditEntryOut])
@paginated(page_size=50)
def entries(request: HttpRequest, model: str = "", object_id: str = "", actor: str = ""):  # type: ignore[no-untyped-def]
    return audit_entries(request.user, model=model, object_id=object_id, actor=actor)
