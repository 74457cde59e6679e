"""The county's duty lists (职责清单): prevention items per grid role, dated."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from yufang.accounts.scoping.grid import may_edit_duty_list
from yufang.audit.services import audit_create
from yufang.grid.models import DutyItem, DutyList, GridRole
from yufang.grid.services.common import GridInvalid
from yufang.regions.models import Region

ITEM_MAX = 300
ITEMS_MAX = 50


@transaction.atomic
def duty_list_set(
    *,
    actor: Any,
    county: Region,
    grid_role: str,
    valid_from: dt.date,
    items: list[str],
    checklist: list[bool] | None = None,
) -> DutyList:
    """Publishes the duty list of a county for a grid role from `valid_from` (one item per
    line; `checklist[i]` says whether item i is asked at each screening, default yes). The
    list in force before that date stays as it was; a list of the same day is replaced."""
    if county.level != Region.Level.COUNTY or not may_edit_duty_list(actor, county):
        raise PermissionDenied(_("Only the county's officials edit its duty lists."))
    errors: dict[str, str] = {}
    if grid_role not in GridRole.values:
        errors["grid_role"] = _("Unknown grid role.")
    texts = [" ".join(str(t).split()) for t in items]
    flags = list(checklist or [])
    kept = [(t, flags[i] if i < len(flags) else True) for i, t in enumerate(texts) if t]
    if not kept:
        errors["items"] = _("Write at least one prevention item.")
    elif len(kept) > ITEMS_MAX:
        errors["items"] = _("At most %(n)s items.") % {"n": ITEMS_MAX}
    elif any(len(t) > ITEM_MAX or "\x00" in t for t, _f in kept):
        errors["items"] = _("Each item has at most %(n)s characters.") % {"n": ITEM_MAX}
    if errors:
        raise GridInvalid(errors)
    DutyList.objects.filter(county=county, grid_role=grid_role, valid_from=valid_from).delete()
    duty_list = DutyList.objects.create(
        county=county, grid_role=grid_role, valid_from=valid_from, created_by=actor
    )
    DutyItem.objects.bulk_create(
        DutyItem(duty_list=duty_list, position=i + 1, text=t, in_checklist=bool(f))
        for i, (t, f) in enumerate(kept)
    )
    audit_create(actor, duty_list, reason="; ".join(t for t, _f in kept)[:500])
    return duty_list
