"""Assessments: planned or ad-hoc visits, their answers, scores and measurements, and
completing one (each failed item and each exceeded limit becomes a hazard)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping.institutions import institution_refused, may_pick_institution
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.hazards import scoring
from yufang.hazards.models import (
    Answer,
    AnswerResult,
    Assessment,
    AssessmentMethod,
    AssessmentStatus,
    Hazard,
    HazardLevel,
    Measurement,
    SampleType,
)
from yufang.hazards.services.checklists import checklist_in_force
from yufang.hazards.services.core import (
    HazardInvalid,
    _check_assessor,
    _decimal,
    _hazard_new,
    _may_inspect_enterprise,
    _notify_found,
    text_errors,
)
from yufang.support.topics import Topic

# An answer's note is a line on the report (the column holds 500 characters).
ANSWER_NOTE_MAX = 500


def assessment_create(
    *,
    actor: Any,
    enterprise: Enterprise,
    checklist_key: str,
    method: str,
    planned_on: dt.date | None = None,
    institution_id: int | None = None,
    notes: str = "",
) -> Assessment:
    """Plans a visit (a date in the future) or starts one now (ad hoc). Grid workers may only
    run routine screenings; institution staff work for their own institution."""
    today = timezone.localdate()
    if actor.role == Role.INSTITUTION_STAFF:
        institution_id = actor.institution_id
    if not _may_inspect_enterprise(actor, enterprise, institution_id=institution_id):
        raise PermissionDenied(_("You may not assess this enterprise."))
    errors: dict[str, str] = {}
    if (
        institution_id is not None
        and actor.role != Role.INSTITUTION_STAFF
        and not may_pick_institution(actor, institution_id)
    ):
        errors["institution"] = institution_refused()
    if method not in AssessmentMethod.values:
        errors["method"] = _("Unknown assessment method: %(value)s") % {"value": method}
    elif actor.role == Role.GRID_WORKER and method != AssessmentMethod.ROUTINE_SCREENING:
        errors["method"] = _("Grid workers run routine screenings only.")
    checklist = checklist_in_force(checklist_key, planned_on or today)
    if checklist is None:
        errors["checklist"] = _("No checklist %(key)s is in force on that date.") % {
            "key": checklist_key
        }
    if planned_on is not None and planned_on < today:
        errors["planned_on"] = _("A planned visit cannot be in the past.")
    errors.update(text_errors(notes=notes))
    if errors or checklist is None:
        raise HazardInvalid(errors)
    planned = planned_on is not None and planned_on > today
    with transaction.atomic():
        assessment = Assessment.objects.create(
            enterprise=enterprise,
            checklist=checklist,
            method=method,
            status=AssessmentStatus.PLANNED if planned else AssessmentStatus.IN_PROGRESS,
            is_planned=planned_on is not None,
            planned_on=planned_on,
            visited_on=None if planned else today,
            institution_id=institution_id,
            assessor=None if planned and actor.role != Role.INSTITUTION_STAFF else actor,
            notes=notes,
        )
        audit_create(actor, assessment)
    return assessment


def assessment_cancel(*, actor: Any, assessment: Assessment, reason: str = "") -> Assessment:
    """Cancels a draft (planned or in progress) started by mistake. It is kept, with what
    was filled, marked cancelled and left out of lists and figures; the audit log says who
    and why. A completed assessment has registered hazards and cannot be cancelled."""
    with transaction.atomic():
        # Lock the row and bring the caller's instance up to date (as `_locked` does).
        Assessment.objects.select_for_update().filter(pk=assessment.pk).exists()
        assessment.refresh_from_db()
        if assessment.status == AssessmentStatus.COMPLETED:
            raise HazardInvalid(
                _("A completed assessment cannot be cancelled: its hazards are registered."),
                "status",
            )
        if assessment.status == AssessmentStatus.CANCELLED:
            raise HazardInvalid(_("This assessment is already cancelled."), "status")
        if not _may_inspect_enterprise(
            actor, assessment.enterprise, institution_id=assessment.institution_id
        ):
            raise PermissionDenied(_("You may not work on this assessment."))
        if len(reason) > 500:
            raise HazardInvalid(_("The reason is longer than 500 characters."), "reason")
        before = snapshot(assessment)
        assessment.status = AssessmentStatus.CANCELLED
        assessment.save(update_fields=["status"])
        audit_update(
            actor, assessment, before, reason=reason.strip() or _("cancelled: started by mistake")
        )
    return assessment


def assessment_record(
    *,
    actor: Any,
    assessment: Assessment,
    answers: dict[int, tuple[str, str]],
    notes: str | None = None,
    lec: tuple[Any, Any, Any] | None = None,
    ls: tuple[Any, Any] | None = None,
) -> Assessment:
    """Saves answers (item id → (result, note)), notes and scores; can be called many times
    while the visit goes on (a phone saves as it goes)."""
    _check_assessor(actor, assessment)
    on = assessment.visited_on or timezone.localdate()
    items = {i.pk: i for i in assessment.checklist.items.all()}
    errors: dict[str, str] = {}
    for item_id, (result, _note) in answers.items():
        if item_id not in items:
            errors[f"item_{item_id}"] = _("Item %(id)s is not on this checklist.") % {"id": item_id}
        elif result not in AnswerResult.values:
            errors[f"item_{item_id}"] = _("Item %(n)s: unknown answer %(value)s.") % {
                "n": items[item_id].number,
                "value": result,
            }
    for item_id, (_result, note) in answers.items():
        if len(note) > ANSWER_NOTE_MAX and f"item_{item_id}" not in errors:
            errors[f"item_{item_id}"] = _(
                "Item %(n)s: the note is longer than %(max)s characters."
            ) % {
                "n": items[item_id].number,
                "max": ANSWER_NOTE_MAX,
            }
    errors.update(text_errors(notes=notes))
    values: dict[str, Any] = {}
    if lec is not None:
        scales = scoring.lec_scales(on)
        for key, raw, label in zip("lec", lec, ("L", "E", "C"), strict=True):
            field = f"lec_{key}"
            try:
                number = _decimal(raw, field, f"LEC {label}")
            except HazardInvalid as exc:
                errors.update(exc.errors)
                continue
            if number is not None and number not in scales[key]:
                allowed = ", ".join(str(s) for s in sorted(scales[key]))
                errors[field] = _("LEC %(label)s must be one of %(allowed)s.") % {
                    "label": label,
                    "allowed": allowed,
                }
            values[field] = number
    if ls is not None:
        for key, raw in zip(("ls_l", "ls_s"), ls, strict=True):
            text = "" if raw is None else str(raw).strip()
            if not text:
                values[key] = None
            elif not text.isdigit() or not 1 <= int(text) <= 5:
                errors[key] = _("Risk-matrix scores are whole numbers from 1 to 5.")
            else:
                values[key] = int(text)
    if errors:
        raise HazardInvalid(errors)
    with transaction.atomic():
        before = snapshot(assessment)
        for field, value in values.items():
            setattr(assessment, field, value)
        if notes is not None:
            assessment.notes = notes
        if assessment.status == AssessmentStatus.PLANNED:
            assessment.status = AssessmentStatus.IN_PROGRESS
            assessment.visited_on = timezone.localdate()
            assessment.assessor = actor
        assessment.save()
        existing = {a.item_id: a for a in assessment.answers.all()}
        new, changed = [], []
        for item_id, (result, note) in answers.items():
            if item_id in existing:
                answer = existing[item_id]
                answer.result, answer.note = result, note
                changed.append(answer)
            else:
                new.append(Answer(assessment=assessment, item_id=item_id, result=result, note=note))
        Answer.objects.bulk_create(new)
        Answer.objects.bulk_update(changed, ["result", "note"])
        audit_update(actor, assessment, before, reason=f"{len(answers)} answers")
    return assessment


def assessment_complete(*, actor: Any, assessment: Assessment) -> list[Hazard]:
    """Closes the visit: every item must be answered, and each failed item becomes a hazard
    (major when the item says so) with its deadline by level."""
    _check_assessor(actor, assessment)
    answered = {a.item_id: a for a in assessment.answers.all()}
    missing = [i.number for i in assessment.checklist.items.all() if i.pk not in answered]
    if missing:
        raise HazardInvalid(
            _("Answer every item first; missing: %(items)s.")
            % {"items": ", ".join(str(n) for n in missing[:20])},
            "answers",
        )
    now = timezone.now()
    topic = assessment.checklist.topic
    failed = [
        a
        for a in assessment.answers.select_related("item").order_by("item__number")
        if a.result == AnswerResult.FAIL
    ]
    with transaction.atomic():
        before = snapshot(assessment)
        assessment.status = AssessmentStatus.COMPLETED
        assessment.completed_at = now
        assessment.visited_on = assessment.visited_on or timezone.localdate()
        assessment.save()
        audit_update(actor, assessment, before, reason="completed")
        hazards = [
            _hazard_new(
                actor=actor,
                enterprise=assessment.enterprise,
                assessment=assessment,
                checklist_item=a.item,
                topic=topic,
                level=HazardLevel.MAJOR if a.item.is_major else HazardLevel.ORDINARY,
                description=(a.item.text + (f" — {a.note}" if a.note else "")),
                location="",
                at=now,
            )
            for a in failed
        ]
        hazards += [
            _hazard_new(
                actor=actor,
                enterprise=assessment.enterprise,
                assessment=assessment,
                topic=Topic.OCCUPATIONAL_HEALTH,
                level=HazardLevel.ORDINARY,
                description=exceedance_description(m, e),
                location=m.location,
                at=now,
            )
            for m, e in _exceeded_measurements(assessment)
        ]
    if hazards:
        _notify_found(assessment.enterprise, hazards)
    return hazards


def _exceeded_measurements(
    assessment: Assessment,
) -> list[tuple[Measurement, scoring.Exceedance]]:
    found = []
    for m in assessment.measurements.order_by("id"):
        e = scoring.exceedance(
            agent=m.agent, sample_type=m.sample_type, value=m.value, sampled_on=m.sampled_on
        )
        if e.exceeded:
            found.append((m, e))
    return found


def exceedance_description(m: Measurement, e: scoring.Exceedance) -> str:
    """An occupational-disease hazard's description: the measurement, the limit it exceeds
    and by how much. Written in the platform's language: a record, not a page."""
    limit = e.worst
    if limit is None:  # within its limits: no finding to describe
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(
            "%(agent)s measured at %(value)s %(unit)s (%(sample)s, %(date)s) exceeds its "
            "occupational exposure limit %(type)s %(limit)s %(unit)s: %(ratio)s times the limit."
        ) % {
            "agent": limit.name,
            "value": f"{m.value.normalize():f}",
            "unit": m.unit,
            "sample": SampleType(m.sample_type).label,
            "date": m.sampled_on.isoformat(),
            "type": limit.type,
            "limit": limit.value,
            "ratio": e.ratio,
        }
        if m.location:
            text += " " + _("Sampling point: %(location)s.") % {"location": m.location}
    return str(text)


def measurement_add(
    *,
    actor: Any,
    assessment: Assessment,
    agent: str,
    sample_type: str,
    value: Any,
    unit: str,
    sampled_on: dt.date | None = None,
    location: str = "",
) -> Measurement:
    """Records a sample; refuses an unknown agent, a unit that is not the agent's, and
    values that are negative or beyond what the unit can plausibly measure."""
    _check_assessor(actor, assessment)
    today = timezone.localdate()
    sampled_on = sampled_on or assessment.visited_on or today
    errors: dict[str, str] = {}
    known = scoring.agents(sampled_on)
    number = None
    try:
        number = _decimal(value, "value", _("The value"))
    except HazardInvalid as exc:
        errors.update(exc.errors)
    if agent not in known:
        errors["agent"] = _("Unknown agent %(agent)s: pick one with an exposure limit.") % {
            "agent": agent
        }
    elif unit != known[agent][2]:
        errors["unit"] = _("%(agent)s is measured in %(unit)s, not %(given)s.") % {
            "agent": known[agent][0],
            "unit": known[agent][2],
            "given": unit or "—",
        }
    if sample_type not in SampleType.values:
        errors["sample_type"] = _("Choose 8-h TWA, 15-min STEL or ceiling.")
    if number is None and "value" not in errors:
        errors["value"] = _("Enter the measured value.")
    elif number is not None:
        plausible = policy.value("measurement_plausible_max", sampled_on)
        if number < 0:
            errors["value"] = _("A measured value cannot be negative.")
        elif unit in plausible and number > Decimal(str(plausible[unit])):
            errors["value"] = _("%(value)s %(unit)s is not a plausible measurement.") % {
                "value": number,
                "unit": unit,
            }
        elif number.as_tuple().exponent < -3:  # type: ignore[operator]
            errors["value"] = _("At most three decimal places.")
    if sampled_on > today:
        errors["sampled_on"] = _("The sample date cannot be in the future.")
    errors.update(text_errors(location=location))
    if errors or number is None:
        raise HazardInvalid(errors)
    with transaction.atomic():
        measurement = Measurement.objects.create(
            assessment=assessment,
            agent=agent,
            sample_type=sample_type,
            value=number,
            unit=unit,
            sampled_on=sampled_on,
            location=location.strip(),
            recorded_by=actor,
        )
        audit_create(actor, measurement)
    return measurement
