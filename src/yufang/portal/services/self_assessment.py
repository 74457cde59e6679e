"""The enterprise's self-assessment with an official checklist: every item answered (in order,
not in order, not applicable), saved as the enterprise's own record. The checklist is read
from `hazards` and never changed; no hazard and no risk colour follow from it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yufang.accounts.scoping.portal import require_submit_for
from yufang.audit.services import audit_create
from yufang.enterprises.models import Enterprise
from yufang.portal.models import SelfAssessment, SelfCheck
from yufang.portal.services.common import PortalInvalid


@transaction.atomic
def self_assessment_record(
    *,
    actor: Any,
    enterprise: Enterprise,
    checklist: Any,
    answers: dict[str, str],
    notes: dict[str, str] | None = None,
) -> SelfAssessment:
    require_submit_for(actor, enterprise)
    items = list(checklist.items.order_by("number").values("number", "is_major"))
    if not items:
        raise PortalInvalid(_("This checklist has no items."), "checklist")
    errors: dict[str, str] = {}
    kept: dict[str, str] = {}
    kept_notes: dict[str, str] = {}
    for item in items:
        key = str(item["number"])
        value = str(answers.get(key, "") or "")
        if value not in SelfCheck.values:
            errors[f"item_{key}"] = _(
                "Item %(n)s: answer in order, not in order or not applicable."
            ) % {"n": key}
        kept[key] = value
        note = str((notes or {}).get(key, "") or "").strip()
        if len(note) > 500:
            errors[f"item_{key}"] = _("The note is longer than %(n)s characters.") % {"n": 500}
        if note:
            kept_notes[key] = note
    if errors:
        raise PortalInvalid(errors)
    failed = [i for i in items if kept[str(i["number"])] == SelfCheck.FAIL]
    made = SelfAssessment.objects.create(
        enterprise=enterprise,
        checklist=checklist,
        answers=kept,
        notes=kept_notes,
        failed=len(failed),
        major_failed=sum(1 for i in failed if i["is_major"]),
        done_by=actor,
    )
    audit_create(actor, made)
    return made
