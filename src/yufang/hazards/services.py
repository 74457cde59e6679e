"""Writes for checklists, assessments, measurements, photos, hazards and their transitions.

Every transition of a hazard goes through one service here, checks the transition table
(`TRANSITIONS`: state × role → next state), records a HazardEvent and an audit entry inside
the same transaction, and notifies the people who act next.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role, User
from yufang.accounts.scoping import may_change_enterprise
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.hazards import scoring
from yufang.hazards.models import (
    OPEN_STATUSES,
    RECTIFICATION_PENDING,
    Answer,
    AnswerResult,
    Assessment,
    AssessmentMethod,
    AssessmentStatus,
    Checklist,
    ChecklistItem,
    Escalation,
    EscalationCause,
    EscalationLevel,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardStatistic,
    HazardStatus,
    Measurement,
    NoticeIssuer,
    PeriodKind,
    Photo,
    PhotoKind,
    RectificationNotice,
    SampleType,
)
from yufang.hazards.selectors import notice_issuer_for
from yufang.lib.errors import InvalidInput
from yufang.lib.topics import CHECKLIST_TOPICS, Topic
from yufang.notifications.services import notify
from yufang.regions.models import Region

CHECKLISTS_FILE = Path(__file__).resolve().parent.parent / "data" / "checklists.json"
# Version 1 of every seeded checklist: the date of 应急管理部令第10号 (工贸企业重大事故隐患判定
# 标准) coming into force, the newest national standard the seed items are built on.
SEED_EFFECTIVE_FROM = dt.date(2023, 5, 15)

INSPECTORS = frozenset(
    {
        Role.PROVINCE_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.INSTITUTION_STAFF,
        Role.ADMIN,
    }
)
REPORTERS = INSPECTORS | {Role.GRID_WORKER}
CHECKLIST_EDITORS = frozenset({Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.ADMIN})

S = HazardStatus
# The hazard lifecycle: (from, to) → roles that may make the move.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (S.REPORTED, S.ASSIGNED): INSPECTORS,
    (S.ASSIGNED, S.RECTIFYING): frozenset({Role.SAFETY_MANAGER}),
    (S.RECTIFYING, S.SUBMITTED): frozenset({Role.SAFETY_MANAGER}),
    (S.SUBMITTED, S.VERIFIED): INSPECTORS,
    (S.SUBMITTED, S.RECTIFYING): INSPECTORS,  # rejected, with a reason
    (S.VERIFIED, S.CLOSED): INSPECTORS,
}

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}


class HazardInvalid(InvalidInput):
    """Hazard or assessment input that cannot be saved."""


def allowed_next(user: Any, hazard: Hazard) -> list[str]:
    """The statuses this user may move this hazard to now."""
    role = getattr(user, "role", None)
    if role is None or not _may_act_on(user, hazard):
        return []
    return [
        to for (frm, to), roles in TRANSITIONS.items() if frm == hazard.status and role in roles
    ]


def _may_act_on(user: Any, hazard: Hazard) -> bool:
    e = hazard.enterprise
    if user.role == Role.INSTITUTION_STAFF:
        return bool(user.institution_id) and hazard.institution_id == user.institution_id
    return may_change_enterprise(user, e)


def _may_inspect_enterprise(user: Any, enterprise: Enterprise, *, institution_id: Any) -> bool:
    role = getattr(user, "role", None)
    if role == Role.INSTITUTION_STAFF:
        # Consulting experts work where their institution is assigned, or ad hoc in its city.
        return bool(user.institution_id) and (
            institution_id == user.institution_id
            or (institution_id is None and user.institution.city_id == enterprise.city_id)
        )
    if role not in REPORTERS:
        return False
    return may_change_enterprise(user, enterprise)


def _check_transition(user: Any, hazard: Hazard, to: str) -> None:
    roles = TRANSITIONS.get((hazard.status, to))
    if roles is None:
        raise HazardInvalid(
            _("A hazard that is %(from)s cannot become %(to)s.")
            % {"from": HazardStatus(hazard.status).label, "to": HazardStatus(to).label},
            "status",
        )
    if user.role not in roles or not _may_act_on(user, hazard):
        raise PermissionDenied(
            _("Your role cannot move this hazard from %(from)s to %(to)s.")
            % {"from": HazardStatus(hazard.status).label, "to": HazardStatus(to).label}
        )


def _locked(hazard: Hazard) -> Hazard:
    """Locks the row for the transaction and brings the caller's instance up to date, so the
    object a view or test holds reflects the change."""
    Hazard.objects.select_for_update().filter(pk=hazard.pk).exists()
    hazard.refresh_from_db()
    return hazard


def _move(*, actor: Any, hazard: Hazard, to: str, reason: str = "", **changes: Any) -> Hazard:
    """The one place a hazard changes status: checks, saves, records history and audit."""
    _check_transition(actor, hazard, to)
    before = snapshot(hazard)
    frm = hazard.status
    now = timezone.now()
    hazard.status = to
    for field, value in changes.items():
        setattr(hazard, field, value)
    if to == S.SUBMITTED:
        hazard.submitted_at = now
    elif to == S.VERIFIED:
        hazard.verified_at = now
    elif to == S.CLOSED:
        hazard.closed_at = now
    try:
        with transaction.atomic():
            hazard.save()
    except IntegrityError as exc:
        raise HazardInvalid(
            _("A major hazard needs the complete five-in-place plan first."), "plan"
        ) from exc
    HazardEvent.objects.create(
        hazard=hazard, from_status=frm, to_status=to, actor=actor, at=now, reason=reason
    )
    audit_update(actor, hazard, before, reason=reason or f"{frm} → {to}")
    return hazard


def _hazard_url(hazard: Hazard) -> str:
    return reverse("hazards:hazard_detail", args=[hazard.pk])


def _managers_of(enterprise_id: int) -> list[User]:
    return list(User.objects.filter(role=Role.SAFETY_MANAGER, enterprise_id=enterprise_id))


def _inspectors_of(hazard: Hazard) -> list[User]:
    """Who verifies: the reporter when an inspector, the assigned institution's staff, and
    the county officials of the enterprise."""
    people = list(
        User.objects.filter(role=Role.COUNTY_OFFICIAL, region_id=hazard.enterprise.county_id)
    )
    if hazard.institution_id:
        people += list(
            User.objects.filter(role=Role.INSTITUTION_STAFF, institution_id=hazard.institution_id)
        )
    reporter = hazard.reported_by
    if reporter is not None and reporter.role in INSPECTORS:
        people.append(reporter)
    return people


# --- checklists ---------------------------------------------------------------------------


def _topic_of(title: str) -> Topic:
    try:
        return CHECKLIST_TOPICS[title]
    except KeyError as exc:
        raise HazardInvalid(
            _("No prevention topic is known for the checklist %(title)s.") % {"title": title}
        ) from exc


def _seed_note() -> str:
    # A record, not a page: written in the platform's language.
    with translation.override(settings.LANGUAGE_CODE):
        return str(_("First version, from the national major-hazard standards"))


def checklists_import(*, path: Path = CHECKLISTS_FILE, actor: Any = None) -> int:
    """Loads the seed checklists as version 1 of each; checklists already there are left as
    they are, so running it again changes nothing. Returns how many were created."""
    data = json.loads(path.read_text(encoding="utf-8"))
    created = 0
    with transaction.atomic():
        for index, block in enumerate(data, start=1):
            key = f"T{index:02d}"
            if Checklist.objects.filter(key=key).exists():
                continue
            checklist = Checklist.objects.create(
                key=key,
                version=1,
                title=block["topic"],
                title_en=block.get("topic_en", ""),
                topic=_topic_of(block["topic"]),
                effective_from=SEED_EFFECTIVE_FROM,
                change_note=_seed_note(),
                created_by=actor,
            )
            ChecklistItem.objects.bulk_create(
                ChecklistItem(
                    checklist=checklist,
                    number=n,
                    text=item["text"],
                    legal_basis=item.get("basis", ""),
                    is_major=bool(item.get("major")),
                    is_confirmed=bool(item.get("confirmed", True)),
                )
                for n, item in enumerate(block["items"], start=1)
            )
            audit_create(actor, checklist, reason="checklists_import")
            created += 1
    return created


@dataclass
class ItemInput:
    text: str
    legal_basis: str = ""
    is_major: bool = False
    is_confirmed: bool = True


def checklist_revise(
    *,
    actor: Any,
    checklist: Checklist,
    items: Sequence[ItemInput],
    effective_from: dt.date,
    change_note: str,
    title: str | None = None,
) -> Checklist:
    """Saves an edited checklist as a new version; assessments keep the version they used."""
    if getattr(actor, "role", None) not in CHECKLIST_EDITORS:
        raise PermissionDenied(_("Only province and city officials may edit checklists."))
    errors: dict[str, str] = {}
    if not change_note.strip():
        errors["change_note"] = _("Say what changed in this version.")
    elif len(change_note.strip()) > 500:
        errors["change_note"] = _("The note is longer than 500 characters.")
    if title is not None and not 0 < len(title.strip()) <= 200:
        errors["title"] = _("A title has 1 to 200 characters.")
    if not items:
        errors["items"] = _("A checklist needs at least one item.")
    for n, item in enumerate(items, start=1):
        if not item.text.strip():
            errors[f"items.{n}"] = _("Item %(n)s has no text.") % {"n": n}
    latest = Checklist.objects.filter(key=checklist.key).order_by("-version").first() or checklist
    if effective_from < latest.effective_from:
        errors["effective_from"] = _(
            "A new version cannot take effect before the current one (%(date)s)."
        ) % {"date": latest.effective_from.isoformat()}
    if errors:
        raise HazardInvalid(errors)
    with transaction.atomic():
        new = Checklist.objects.create(
            key=checklist.key,
            version=latest.version + 1,
            title=(title or latest.title).strip(),
            title_en=latest.title_en,
            topic=latest.topic,
            effective_from=effective_from,
            change_note=change_note.strip(),
            created_by=actor,
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                checklist=new,
                number=n,
                text=item.text.strip(),
                legal_basis=item.legal_basis.strip(),
                is_major=item.is_major,
                is_confirmed=item.is_confirmed,
            )
            for n, item in enumerate(items, start=1)
        )
        audit_create(actor, new, reason=change_note)
    return new


def checklist_in_force(key: str, on: dt.date) -> Checklist | None:
    return Checklist.objects.filter(key=key, effective_from__lte=on).order_by("-version").first()


# --- assessments --------------------------------------------------------------------------


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


def _check_assessor(actor: Any, assessment: Assessment) -> None:
    if assessment.status == AssessmentStatus.COMPLETED:
        raise HazardInvalid(_("This assessment is completed and can no longer change."))
    if assessment.status == AssessmentStatus.CANCELLED:
        raise HazardInvalid(_("This assessment is cancelled and can no longer change."))
    if not _may_inspect_enterprise(
        actor, assessment.enterprise, institution_id=assessment.institution_id
    ):
        raise PermissionDenied(_("You may not work on this assessment."))


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


def _decimal(raw: Any, field: str, label: str) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise HazardInvalid(_("%(label)s is not a number.") % {"label": label}, field) from exc


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
                answer.result, answer.note = result, note[:500]
                changed.append(answer)
            else:
                new.append(
                    Answer(assessment=assessment, item_id=item_id, result=result, note=note[:500])
                )
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


def _hazard_new(
    *,
    actor: Any,
    enterprise: Enterprise,
    topic: str,
    level: str,
    description: str,
    location: str,
    at: dt.datetime,
    assessment: Assessment | None = None,
    checklist_item: ChecklistItem | None = None,
) -> Hazard:
    days = policy.value("hazard_rectification_days", timezone.localdate(at))[level]
    hazard = Hazard.objects.create(
        enterprise=enterprise,
        assessment=assessment,
        checklist_item=checklist_item,
        institution_id=assessment.institution_id if assessment else None,
        topic=topic,
        level=level,
        description=description,
        location=location,
        status=HazardStatus.REPORTED,
        deadline=timezone.localdate(at) + dt.timedelta(days=int(days)),
        reported_by=actor,
        reported_at=at,
    )
    HazardEvent.objects.create(
        hazard=hazard, from_status="", to_status=HazardStatus.REPORTED, actor=actor, at=at
    )
    audit_create(actor, hazard)
    return hazard


def _notify_found(enterprise: Enterprise, hazards: list[Hazard]) -> None:
    major = sum(1 for h in hazards if h.level == HazardLevel.MAJOR)
    notify(
        recipients=_managers_of(enterprise.pk),
        title=_("%(n)s hazards registered at %(enterprise)s (%(major)s major)")
        % {"n": len(hazards), "enterprise": enterprise.name, "major": major},
        url=reverse("hazards:list"),
        by_sms=major > 0,
    )


def hazard_report(
    *,
    actor: Any,
    enterprise: Enterprise,
    topic: str,
    level: str,
    description: str,
    location: str = "",
) -> Hazard:
    """An ad-hoc finding (a grid worker's report, an official's spot check)."""
    if not _may_inspect_enterprise(actor, enterprise, institution_id=None):
        raise PermissionDenied(_("You may not report hazards at this enterprise."))
    errors: dict[str, str] = {}
    if topic not in Topic.values:
        errors["topic"] = _("Choose a prevention topic.")
    if level not in HazardLevel.values:
        errors["level"] = _("Choose ordinary or major.")
    if not description.strip():
        errors["description"] = _("Describe the hazard.")
    if len(location.strip()) > 200:
        errors["location"] = _("The location is longer than 200 characters.")
    if errors:
        raise HazardInvalid(errors)
    with transaction.atomic():
        hazard = _hazard_new(
            actor=actor,
            enterprise=enterprise,
            topic=topic,
            level=level,
            description=description.strip(),
            location=location.strip(),
            at=timezone.now(),
        )
        if actor.role == Role.INSTITUTION_STAFF:
            hazard.institution_id = actor.institution_id
            hazard.save(update_fields=["institution"])
    _notify_found(enterprise, [hazard])
    return hazard


# --- hazard transitions -------------------------------------------------------------------


def hazard_assign(
    *, actor: Any, hazard: Hazard, deadline: dt.date | None = None, reason: str = ""
) -> Hazard:
    """Hands the hazard to the enterprise to rectify, optionally with another deadline."""
    with transaction.atomic():
        hazard = _locked(hazard)
        changes: dict[str, Any] = {}
        if deadline is not None:
            if deadline < timezone.localdate():
                raise HazardInvalid(_("The deadline cannot be in the past."), "deadline")
            changes["deadline"] = deadline
        _move(actor=actor, hazard=hazard, to=S.ASSIGNED, reason=reason, **changes)
    notify(
        recipients=_managers_of(hazard.enterprise_id),
        title=_("Rectify hazard #%(id)s by %(deadline)s")
        % {"id": hazard.pk, "deadline": hazard.deadline.isoformat()},
        body=hazard.description,
        url=_hazard_url(hazard),
        by_sms=hazard.level == HazardLevel.MAJOR,
    )
    return hazard


def hazard_start(*, actor: Any, hazard: Hazard, reason: str = "") -> Hazard:
    with transaction.atomic():
        return _move(actor=actor, hazard=_locked(hazard), to=S.RECTIFYING, reason=reason)


def hazard_plan_set(
    *,
    actor: Any,
    hazard: Hazard,
    measures: str,
    responsible: str,
    funds: Any,
    deadline: dt.date | None,
    emergency: str,
) -> Hazard:
    """The five-in-place plan of a major hazard: measures, responsibility, funds, deadline,
    emergency plan (安全生产法; 安监总局令第16号)."""
    with transaction.atomic():
        hazard = _locked(hazard)
        if actor.role not in (Role.SAFETY_MANAGER, *INSPECTORS) or not _may_act_on(actor, hazard):
            raise PermissionDenied(_("You may not change this hazard's plan."))
        if hazard.status in (S.VERIFIED, S.CLOSED):
            raise HazardInvalid(_("The hazard is already rectified."), "status")
        errors: dict[str, str] = {}
        amount = None
        try:
            amount = _decimal(funds, "funds", _("Funds"))
        except HazardInvalid as exc:
            errors.update(exc.errors)
        if amount is not None and amount < 0:
            errors["funds"] = _("Funds cannot be negative.")
        for field, text in (
            ("measures", measures),
            ("responsible", responsible),
            ("emergency", emergency),
        ):
            if not text.strip():
                errors[field] = _("This part of the plan is required.")
        if amount is None and "funds" not in errors:
            errors["funds"] = _("This part of the plan is required.")
        if deadline is None:
            errors["deadline"] = _("This part of the plan is required.")
        if errors:
            raise HazardInvalid(errors)
        before = snapshot(hazard)
        hazard.plan_measures = measures.strip()
        hazard.plan_responsible = responsible.strip()[:100]
        hazard.plan_funds = amount.quantize(Decimal("0.01")) if amount is not None else None
        hazard.plan_deadline = deadline
        hazard.plan_emergency = emergency.strip()
        hazard.save()
        audit_update(actor, hazard, before, reason="five-in-place plan")
    return hazard


def hazard_submit(*, actor: Any, hazard: Hazard, note: str) -> Hazard:
    """The enterprise says it has rectified, with evidence: a note and at least one photo."""
    with transaction.atomic():
        hazard = _locked(hazard)
        _check_transition(actor, hazard, S.SUBMITTED)
        errors: dict[str, str] = {}
        if not note.strip():
            errors["note"] = _("Describe what was done.")
        if not hazard.photos.filter(kind=PhotoKind.EVIDENCE).exists():
            errors["evidence"] = _("Upload at least one photo of the rectification first.")
        if hazard.level == HazardLevel.MAJOR and not hazard.plan_complete:
            errors["plan"] = _("A major hazard needs the complete five-in-place plan first.")
        if errors:
            raise HazardInvalid(errors)
        _move(
            actor=actor,
            hazard=hazard,
            to=S.SUBMITTED,
            reason=note.strip(),
            rectification_note=note.strip(),
        )
    notify(
        recipients=_inspectors_of(hazard),
        title=_("Hazard #%(id)s at %(enterprise)s is ready to verify")
        % {"id": hazard.pk, "enterprise": hazard.enterprise.name},
        url=_hazard_url(hazard),
    )
    return hazard


def hazard_verify(*, actor: Any, hazard: Hazard, reason: str = "") -> Hazard:
    with transaction.atomic():
        return _move(actor=actor, hazard=_locked(hazard), to=S.VERIFIED, reason=reason)


def hazard_reject(*, actor: Any, hazard: Hazard, reason: str) -> Hazard:
    """Sends the hazard back to the enterprise; the reason is required and recorded."""
    if not reason.strip():
        raise HazardInvalid(_("Say why the rectification is not accepted."), "reason")
    with transaction.atomic():
        hazard = _move(actor=actor, hazard=_locked(hazard), to=S.RECTIFYING, reason=reason.strip())
    notify(
        recipients=_managers_of(hazard.enterprise_id),
        title=_("Rectification of hazard #%(id)s not accepted") % {"id": hazard.pk},
        body=reason.strip(),
        url=_hazard_url(hazard),
    )
    return hazard


def hazard_close(*, actor: Any, hazard: Hazard, reason: str = "") -> Hazard:
    """销号: the hazard leaves the ledger of open hazards."""
    with transaction.atomic():
        return _move(actor=actor, hazard=_locked(hazard), to=S.CLOSED, reason=reason)


# --- photos and measurements --------------------------------------------------------------


def _photo_max_bytes() -> int:
    return int(getattr(settings, "HAZARD_PHOTO_MAX_BYTES", 10 * 1024 * 1024))


def _exif_place_and_time(image: Any) -> tuple[dt.datetime | None, Decimal | None, Decimal | None]:
    """When and where the camera says it took the picture, if it says so."""
    taken = lat = lng = None
    try:
        exif = image.getexif()
    except Exception:  # noqa: BLE001 - broken EXIF is common and never fatal
        return None, None, None
    raw = exif.get_ifd(0x8769).get(36867) or exif.get(306)  # DateTimeOriginal, DateTime
    if raw:
        try:
            naive = dt.datetime.strptime(str(raw), "%Y:%m:%d %H:%M:%S")  # noqa: DTZ007
            taken = timezone.make_aware(naive)  # cameras record local time
        except ValueError:
            taken = None
    gps = exif.get_ifd(0x8825)
    if gps and 2 in gps and 4 in gps:
        try:

            def degrees(parts: Any, ref: Any, negative: str) -> Decimal:
                d, m, s = (Decimal(str(float(p))) for p in parts)
                value = d + m / 60 + s / 3600
                return (-value if str(ref).upper() == negative else value).quantize(
                    Decimal("0.000001")
                )

            lat = degrees(gps[2], gps.get(1, "N"), "S")
            lng = degrees(gps[4], gps.get(3, "E"), "W")
        except (TypeError, ValueError, ArithmeticError):
            lat = lng = None
    return taken, lat, lng


def photo_add(
    *,
    actor: Any,
    upload: UploadedFile,
    kind: str,
    hazard: Hazard | None = None,
    assessment: Assessment | None = None,
    taken_at: dt.datetime | None = None,
    latitude: Any = None,
    longitude: Any = None,
) -> Photo:
    """Stores a photo after checking its content (not its name) is an image and its size."""
    from PIL import Image, UnidentifiedImageError

    if kind not in PhotoKind.values:
        raise HazardInvalid(_("Unknown kind of photo."), "kind")
    if kind == PhotoKind.EVIDENCE:
        if hazard is None or actor.role != Role.SAFETY_MANAGER or not _may_act_on(actor, hazard):
            raise PermissionDenied(_("Only the enterprise adds rectification evidence."))
        if hazard.status != S.RECTIFYING:
            raise HazardInvalid(_("Evidence is added while the hazard is being rectified."))
    elif hazard is not None:
        if actor.role not in REPORTERS or not _may_act_on(actor, hazard):
            raise PermissionDenied(_("You may not add photos to this hazard."))
    elif assessment is not None:
        _check_assessor(actor, assessment)
    else:
        raise HazardInvalid(_("A photo belongs to a hazard or an assessment."))
    limit = _photo_max_bytes()
    if upload.size is None or upload.size > limit:
        raise HazardInvalid(
            _("The photo is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, "photo"
        )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
            fmt = probe.format
        with Image.open(io.BytesIO(data)) as image:
            exif_taken, exif_lat, exif_lng = _exif_place_and_time(image)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise HazardInvalid(_("The file is not a photo (JPEG, PNG or WebP)."), "photo") from exc
    if fmt not in IMAGE_FORMATS:
        raise HazardInvalid(_("The file is not a photo (JPEG, PNG or WebP)."), "photo")
    lat = _decimal(latitude, "latitude", _("Latitude"))
    lng = _decimal(longitude, "longitude", _("Longitude"))
    if lat is not None and not -90 <= lat <= 90:
        raise HazardInvalid(_("Latitude must be between -90 and 90."), "latitude")
    if lng is not None and not -180 <= lng <= 180:
        raise HazardInvalid(_("Longitude must be between -180 and 180."), "longitude")
    with transaction.atomic():
        photo = Photo(
            hazard=hazard,
            assessment=assessment or (hazard.assessment if hazard else None),
            kind=kind,
            taken_at=taken_at or exif_taken or timezone.now(),
            latitude=lat if lat is not None else exif_lat,
            longitude=lng if lng is not None else exif_lng,
            uploaded_by=actor,
        )
        ext = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "HEIF": "heic"}[fmt]
        stamp = timezone.localdate()
        photo.image_path = default_storage.save(
            f"hazards/photos/{stamp:%Y/%m}/{uuid.uuid4().hex}.{ext}", ContentFile(data)
        )
        photo.save()
        audit_create(actor, photo)
    return photo


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
            location=location.strip()[:200],
            recorded_by=actor,
        )
        audit_create(actor, measurement)
    return measurement


# --- escalation ---------------------------------------------------------------------------


def _needs_escalation(hazard: Hazard, today: dt.date) -> str:
    """The cause to escalate this hazard for, or "" when it needs none."""
    if hazard.level == HazardLevel.MAJOR:
        return EscalationCause.MAJOR
    if hazard.status in RECTIFICATION_PENDING and hazard.deadline < today:
        return EscalationCause.OVERDUE
    return ""


def escalations_run(*, now: dt.datetime | None = None) -> list[Escalation]:
    """Escalates major and overdue hazards to county officials, and an escalation left
    unanswered past the configured delay to the city (then to the city again). Running it
    twice with the same `now` adds nothing: the unique (hazard, level, round) forbids it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    delay = dt.timedelta(hours=int(policy.value("hazard_escalation_delay_hours", today)))
    hazards = (
        Hazard.objects.filter(
            Q(level=HazardLevel.MAJOR, status__in=[*RECTIFICATION_PENDING, S.SUBMITTED])
            | Q(status__in=RECTIFICATION_PENDING, deadline__lt=today)
        )
        .select_related("enterprise")
        .prefetch_related("escalations")
    )
    to_make: list[Escalation] = []
    for hazard in hazards:
        cause = _needs_escalation(hazard, today)
        if not cause:
            continue
        history = sorted(hazard.escalations.all(), key=lambda e: (e.escalated_at, e.pk))
        if not history:
            to_make.append(
                Escalation(
                    hazard=hazard,
                    level=EscalationLevel.COUNTY,
                    round=1,
                    region_id=hazard.enterprise.county_id,
                    cause=cause,
                    escalated_at=now,
                )
            )
            continue
        latest = history[-1]
        if latest.answered_at is not None or now - latest.escalated_at < delay:
            continue
        next_round = latest.round + 1 if latest.level == EscalationLevel.CITY else 1
        to_make.append(
            Escalation(
                hazard=hazard,
                level=EscalationLevel.CITY,
                round=next_round,
                region_id=hazard.enterprise.city_id,
                cause=cause,
                escalated_at=now,
            )
        )
    made: list[Escalation] = []
    for escalation in to_make:
        try:
            with transaction.atomic():
                escalation.save()
                audit_create(None, escalation, reason="escalations_run")
        except IntegrityError:
            continue  # another run made it first
        made.append(escalation)
        notify(
            recipients=User.objects.filter(
                role__in=[Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL],
                region_id=escalation.region_id,
                is_active=True,
            ),
            title=_("Escalated: hazard #%(id)s at %(enterprise)s (%(reason)s)")
            % {
                "id": escalation.hazard_id,
                "enterprise": escalation.hazard.enterprise.name,
                "reason": escalation.get_cause_display(),
            },
            url=_hazard_url(escalation.hazard),
            by_sms=True,
        )
    return made


def escalation_answer(*, actor: Any, escalation: Escalation, answer: str) -> Escalation:
    """An official answers an escalation (what they will do); it then stops rising."""
    role = getattr(actor, "role", None)
    allowed = role in (Role.PROVINCE_OFFICIAL, Role.ADMIN) or (
        role in (Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL)
        and actor.region_id == escalation.region_id
    )
    if not allowed:
        raise PermissionDenied(_("Only the officials it was escalated to may answer it."))
    if not answer.strip():
        raise HazardInvalid(_("Write the answer."), "answer")
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if escalation.answered_at is not None:
            raise HazardInvalid(_("This escalation has already been answered."))
        before = snapshot(escalation)
        escalation.answered_at = timezone.now()
        escalation.answered_by = actor
        escalation.answer = answer.strip()
        escalation.save()
        audit_update(actor, escalation, before, reason="answered")
    return escalation


# --- notices and statistics -----------------------------------------------------------------


def notice_issue(
    *, actor: Any, enterprise: Enterprise, hazards: Iterable[Hazard]
) -> RectificationNotice:
    """A rectification notice (整改通知书) for open hazards of one enterprise."""
    chosen = list(hazards)
    if actor.role not in INSPECTORS:
        raise PermissionDenied(_("Only inspectors issue rectification notices."))
    if not chosen:
        raise HazardInvalid(_("Choose at least one open hazard."), "hazards")
    for hazard in chosen:
        if hazard.enterprise_id != enterprise.pk or hazard.status not in OPEN_STATUSES:
            raise HazardInvalid(
                _("Hazard #%(id)s is not an open hazard of this enterprise.") % {"id": hazard.pk},
                "hazards",
            )
        if not _may_act_on(actor, hazard):
            raise PermissionDenied(
                _("You may not issue a notice for hazard #%(id)s.") % {"id": hazard.pk}
            )
    now = timezone.now()
    issuer_name, issuer_seal = notice_issuer_for(enterprise)
    with transaction.atomic():
        year = timezone.localdate(now).year
        count = RectificationNotice.objects.filter(number__startswith=f"ZG{year}-").count()
        notice = RectificationNotice.objects.create(
            number=f"ZG{year}-{count + 1:06d}",
            enterprise=enterprise,
            issued_by=actor,
            issued_at=now,
            issuer_name=issuer_name,
            issuer_seal_path=issuer_seal,
        )
        notice.hazards.set(chosen)
        audit_create(actor, notice)
    notify(
        recipients=_managers_of(enterprise.pk),
        title=_("Rectification notice %(number)s issued") % {"number": notice.number},
        url=reverse("hazards:notice_pdf", args=[notice.pk]),
    )
    return notice


ISSUER_EDITORS = frozenset({Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.ADMIN})
SEAL_MAX_BYTES = 2 * 1024 * 1024


def may_configure_issuer(user: Any, region: Region) -> bool:
    """Province officials configure every city and county; a city official their city and
    its counties."""
    role = getattr(user, "role", None)
    if role not in ISSUER_EDITORS or region.level not in (Region.Level.CITY, Region.Level.COUNTY):
        return False
    if role == Role.CITY_OFFICIAL:
        return region.pk == user.region_id or region.city_id == user.region_id
    return True


def notice_issuer_set(
    *,
    actor: Any,
    region: Region,
    name: str,
    seal: UploadedFile | None = None,
    remove_seal: bool = False,
) -> NoticeIssuer:
    """Sets the authority that issues a region's rectification notices, and optionally its
    seal (a PNG with a transparent background prints best). Notices already issued keep the
    authority they were issued under."""
    from PIL import Image, UnidentifiedImageError

    if not may_configure_issuer(actor, region):
        raise PermissionDenied(_("You may not configure the issuing authority of this region."))
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Enter the issuing authority's name.")
    elif len(name) > 100:
        errors["name"] = _("The name is longer than 100 characters.")
    data = b""
    ext = ""
    if seal is not None:
        if seal.size is None or seal.size > SEAL_MAX_BYTES:
            errors["seal"] = _("The seal image is larger than 2 MB.")
        else:
            data = seal.read()
            try:
                with Image.open(io.BytesIO(data)) as probe:
                    probe.verify()
                    fmt = probe.format
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
                fmt = None
            ext = {"PNG": "png", "JPEG": "jpg"}.get(fmt or "", "")
            if not ext:
                errors["seal"] = _("The seal must be a PNG or JPEG image.")
    if errors:
        raise HazardInvalid(errors)
    with transaction.atomic():
        issuer = NoticeIssuer.objects.select_for_update().filter(region=region).first()
        before = snapshot(issuer) if issuer else None
        if issuer is None:
            issuer = NoticeIssuer(region=region)
        issuer.name = name
        issuer.updated_by = actor
        if data:
            issuer.seal_path = default_storage.save(
                f"hazards/seals/{region.code}-{uuid.uuid4().hex}.{ext}", ContentFile(data)
            )
        elif remove_seal:
            issuer.seal_path = ""
        issuer.save()
        if before is None:
            audit_create(actor, issuer)
        else:
            audit_update(actor, issuer, before)
    return issuer


def period_bounds(kind: str, year: int, quarter: int | None = None) -> tuple[dt.date, dt.date]:
    if not 2000 <= year <= 2999:
        raise HazardInvalid(_("Give a year such as %(year)s.") % {"year": 2025}, "year")
    if kind == PeriodKind.YEAR:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if quarter not in (1, 2, 3, 4):
        raise HazardInvalid(_("The quarter must be 1 to 4."), "quarter")
    start = dt.date(year, 3 * quarter - 2, 1)
    end_month = 3 * quarter
    end = (
        dt.date(year, 12, 31)
        if end_month == 12
        else dt.date(year, end_month + 1, 1) - dt.timedelta(days=1)
    )
    return start, end


def statistics_generate(
    *, kind: str, year: int, quarter: int | None = None, now: dt.datetime | None = None
) -> int:
    """(Re)generates the hazard statistics of one period for every enterprise that had a
    hazard by its end. Idempotent: rows of the period are replaced. Returns the row count."""
    start, end = period_bounds(kind, year, quarter)
    now = now or timezone.now()
    if start > timezone.localdate(now):
        raise HazardInvalid(_("That period has not started yet."), "period")
    tz = timezone.get_current_timezone()
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    start_at = dt.datetime.combine(start, dt.time(), tzinfo=tz)
    rows: dict[int, HazardStatistic] = {}
    for h in (
        Hazard.objects.filter(reported_at__lt=end_at)
        .select_related("enterprise")
        .iterator(chunk_size=2000)
    ):
        row = rows.get(h.enterprise_id)
        if row is None:
            row = rows[h.enterprise_id] = HazardStatistic(
                kind=kind,
                period_start=start,
                period_end=end,
                enterprise_id=h.enterprise_id,
                city_id=h.enterprise.city_id,
                county_id=h.enterprise.county_id,
                generated_at=now,
            )
        major = h.level == HazardLevel.MAJOR
        if h.reported_at >= start_at:
            if major:
                row.found_major += 1
            else:
                row.found_ordinary += 1
        closed_in_period = h.closed_at is not None and start_at <= h.closed_at < end_at
        if closed_in_period:
            if major:
                row.closed_major += 1
            else:
                row.closed_ordinary += 1
        open_at_end = h.closed_at is None or h.closed_at >= end_at
        if open_at_end:
            row.open_at_end += 1
            # Rectification still pending at the period end is judged from the hazard's
            # present state: a hazard submitted after the period counts as pending then.
            if h.deadline < end and (h.submitted_at is None or h.submitted_at >= end_at):
                row.overdue_at_end += 1
    with transaction.atomic():
        HazardStatistic.objects.filter(kind=kind, period_start=start).delete()
        HazardStatistic.objects.bulk_create(rows.values(), batch_size=1000)
    return len(rows)


def statistics_due(kind: str, end: dt.date) -> dt.date:
    due = policy.value("hazard_statistics_due", end)
    if kind == PeriodKind.YEAR:
        month, day = (int(p) for p in str(due["annual"]).split("-"))
        return dt.date(end.year + 1, month, day)
    first_next = end + dt.timedelta(days=1)
    return first_next.replace(day=int(due["quarter_day"]))
