"""The enterprise's self-assessment with an official checklist: every item answered (in order,
not in order, not applicable), saved as the enterprise's own record. The checklist is read
from `hazards` and never changed; no hazard and no risk colour follow from it.

The pages record one whole; an HR system over the API starts one, answers items as it goes and
submits it once every item is answered."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.portal import require_submit_for
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.portal.models import AssessmentStatus, SelfAssessment, SelfCheck
from yufang.portal.services.common import PortalInvalid

NOTE_MAX = 500


def _items(checklist: Any) -> list[dict[str, Any]]:
    items = list(checklist.items.order_by("number").values("number", "is_major"))
    if not items:
        raise PortalInvalid(_("This checklist has no items."), "checklist")
    return items


def _answers_checked(
    items: list[dict[str, Any]],
    answers: dict[str, str],
    notes: dict[str, str],
    *,
    every_item: bool,
) -> tuple[dict[str, str], dict[str, str]]:
    """The answers and notes kept, or every wrong one named by its item (`item_3`)."""
    numbers = {str(i["number"]) for i in items}
    errors: dict[str, str] = {}
    for key in sorted({*answers, *notes} - numbers):
        errors[f"item_{key}"[:40]] = _("The checklist has no item %(n)s.") % {"n": key[:20]}
    kept: dict[str, str] = {}
    kept_notes: dict[str, str] = {}
    for item in items:
        key = str(item["number"])
        if key not in answers and key not in notes and not every_item:
            continue
        value = str(answers.get(key, "") or "")
        if value not in SelfCheck.values and (every_item or key in answers):
            errors[f"item_{key}"] = _(
                "Item %(n)s: answer in order, not in order or not applicable."
            ) % {"n": key}
        if value:
            kept[key] = value
        note = str(notes.get(key, "") or "").strip()
        if len(note) > NOTE_MAX:
            errors[f"item_{key}"] = _("The note is longer than %(n)s characters.") % {"n": NOTE_MAX}
        if key in notes:
            kept_notes[key] = note
    if errors:
        raise PortalInvalid(errors)
    return kept, kept_notes


def _counted(assessment: SelfAssessment, items: list[dict[str, Any]]) -> None:
    failed = [i for i in items if assessment.answers.get(str(i["number"])) == SelfCheck.FAIL]
    assessment.failed = len(failed)
    assessment.major_failed = sum(1 for i in failed if i["is_major"])


@transaction.atomic
def self_assessment_record(
    *,
    actor: Any,
    enterprise: Enterprise,
    checklist: Any,
    answers: dict[str, str],
    notes: dict[str, str] | None = None,
) -> SelfAssessment:
    """A whole self-assessment, every item answered, submitted at once (the page's form)."""
    require_submit_for(actor, enterprise)
    items = _items(checklist)
    kept, kept_notes = _answers_checked(items, answers, notes or {}, every_item=True)
    made = SelfAssessment(
        enterprise=enterprise,
        checklist=checklist,
        answers=kept,
        notes={k: v for k, v in kept_notes.items() if v},
        status=AssessmentStatus.SUBMITTED,
        done_by=actor,
    )
    _counted(made, items)
    made.save()
    audit_create(actor, made)
    return made


@transaction.atomic
def self_assessment_start(*, actor: Any, enterprise: Enterprise, checklist: Any) -> SelfAssessment:
    """A self-assessment to answer item by item."""
    require_submit_for(actor, enterprise)
    _items(checklist)
    made = SelfAssessment.objects.create(
        enterprise=enterprise,
        checklist=checklist,
        status=AssessmentStatus.DRAFT,
        done_by=actor,
    )
    audit_create(actor, made)
    return made


def _draft_for_update(actor: Any, assessment: SelfAssessment) -> SelfAssessment:
    assessment = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("enterprise", "checklist")
        .get(pk=assessment.pk)
    )
    require_submit_for(actor, assessment.enterprise)
    if assessment.status != AssessmentStatus.DRAFT:
        raise PortalInvalid(
            _("This self-assessment is submitted and can no longer change."), "status"
        )
    return assessment


@transaction.atomic
def self_assessment_answer(
    *,
    actor: Any,
    assessment: SelfAssessment,
    answers: dict[str, str],
    notes: dict[str, str] | None = None,
) -> SelfAssessment:
    """Answers some items of a self-assessment being answered (a later answer replaces an
    earlier one); nothing is kept if one is wrong."""
    assessment = _draft_for_update(actor, assessment)
    if not answers and not notes:
        raise PortalInvalid(_("Give at least one item's answer."), "answers")
    items = _items(assessment.checklist)
    kept, kept_notes = _answers_checked(items, answers, notes or {}, every_item=False)
    before = snapshot(assessment)
    assessment.answers = {**assessment.answers, **kept}
    merged = {**assessment.notes, **kept_notes}
    assessment.notes = {k: v for k, v in merged.items() if v}
    _counted(assessment, items)
    assessment.save()
    audit_update(actor, assessment, before)
    return assessment


@transaction.atomic
def self_assessment_submit(*, actor: Any, assessment: SelfAssessment) -> SelfAssessment:
    """Submits a self-assessment once every item is answered."""
    assessment = _draft_for_update(actor, assessment)
    items = _items(assessment.checklist)
    missing = [str(i["number"]) for i in items if str(i["number"]) not in assessment.answers]
    if missing:
        raise PortalInvalid(
            {
                f"item_{n}": _("Item %(n)s: answer in order, not in order or not applicable.")
                % {"n": n}
                for n in missing[:50]
            }
        )
    before = snapshot(assessment)
    _counted(assessment, items)
    assessment.status = AssessmentStatus.SUBMITTED
    assessment.done_at = timezone.now()
    assessment.save()
    audit_update(actor, assessment, before)
    return assessment
