"""The bureau's steps on an application: the check of the materials with one request for
everything missing, acceptance or refusal, suspension of the clock, and the decision, which
for a recognised injury becomes an injury case (joined with the yearly case import by its
case number, so the case is never entered twice)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.recognition import may_handle_recognition
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.injuries.selectors import cases_visible
from yufang.injuries.services import CaseInvalid, case_create
from yufang.lib.protected import id_number_decrypt
from yufang.recognition import clock
from yufang.recognition.models import (
    OPEN_STATUSES,
    ApplicantKind,
    ApplicationStatus,
    LimitPause,
    MaterialKind,
    RecognitionApplication,
    Suspension,
)
from yufang.recognition.services.applications import material_labels, missing_materials
from yufang.recognition.services.common import (
    RecognitionInvalid,
    event,
    raise_if,
    required_errors,
    tell_applicant_side,
    text_errors,
)
from yufang.regions.models import Region

S = ApplicationStatus
CASE_NUMBER_MAX = 40


def _locked(application: RecognitionApplication) -> RecognitionApplication:
    RecognitionApplication.objects.select_for_update().filter(pk=application.pk).exists()
    application.refresh_from_db()
    return application


def _check(actor: Any, application: RecognitionApplication, *statuses: str) -> None:
    if not may_handle_recognition(actor, application.enterprise):
        raise PermissionDenied(_("Only the bureau of this enterprise's region handles it."))
    if application.status not in statuses:
        raise RecognitionInvalid(
            _("The application is %(status)s: this step is not open.")
            % {"status": S(application.status).label},
            "status",
        )


def _move(
    actor: Any,
    application: RecognitionApplication,
    to: str,
    *,
    note: str = "",
    reason: str,
    **changes: Any,
) -> RecognitionApplication:
    before = snapshot(application)
    frm = application.status
    application.status = to
    for name, value in changes.items():
        setattr(application, name, value)
    application.save()
    audit_update(actor, application, before, reason=reason)
    event(application, frm=frm, actor=actor, note=note)
    return application


@transaction.atomic
def application_request_materials(
    *, actor: Any, application: RecognitionApplication, materials: list[str], note: str = ""
) -> RecognitionApplication:
    """Asks once, in writing, for everything missing (条例 第十八条): a second request is
    refused."""
    application = _locked(application)
    _check(actor, application, S.SUBMITTED)
    if application.materials_requested_on is not None:
        raise RecognitionInvalid(
            _(
                "The applicant was already asked for the missing materials on %(date)s: "
                "the bureau asks once for everything. Accept or refuse the application."
            )
            % {"date": application.materials_requested_on.isoformat()},
            "materials",
        )
    wanted = list(dict.fromkeys(m for m in materials if m))
    errors = text_errors(note=note)
    if any(m not in MaterialKind.values for m in wanted):
        errors["materials"] = _("Unknown kind of material.")
    elif not wanted and not note.strip():
        errors["materials"] = _("List everything that is missing.")
    raise_if(errors)
    _move(
        actor,
        application,
        S.MATERIALS_REQUESTED,
        note=note.strip(),
        reason="materials requested",
        materials_requested_on=timezone.localdate(),
        requested_materials=wanted,
        request_note=note.strip(),
    )
    tell_applicant_side(
        application,
        title=_("The bureau asks for materials for %(worker)s's application: %(materials)s")
        % {"worker": application.worker_name, "materials": material_labels(wanted) or note[:80]},
        body=note.strip(),
    )
    return application


@transaction.atomic
def application_accept(
    *, actor: Any, application: RecognitionApplication, is_clear_case: bool = False
) -> RecognitionApplication:
    """Accepts a complete application: the decision clock starts (60 days, 15 for a clear
    case)."""
    application = _locked(application)
    _check(actor, application, S.SUBMITTED)
    missing = missing_materials(application)
    if missing:
        raise RecognitionInvalid(
            _("Required materials are missing: %(materials)s. Ask for them, or refuse.")
            % {"materials": material_labels(missing)},
            "materials",
        )
    _move(
        actor,
        application,
        S.ACCEPTED,
        reason="accepted",
        accepted_on=timezone.localdate(),
        is_clear_case=bool(is_clear_case),
        accepting_bureau=bureau_name(actor, application),
    )
    due = clock.decision_due(application)
    tell_applicant_side(
        application,
        title=_("%(worker)s's application is accepted; the decision is due by %(date)s")
        % {"worker": application.worker_name, "date": due.isoformat() if due else ""},
    )
    return application


@transaction.atomic
def application_refuse(
    *, actor: Any, application: RecognitionApplication, reason: str
) -> RecognitionApplication:
    """Does not accept the application (不予受理), with the grounds: the not-accepted letter
    names the bureau, the grounds and the right to review or sue (条例 第五十五条)."""
    application = _locked(application)
    _check(actor, application, S.SUBMITTED, S.MATERIALS_REQUESTED)
    raise_if(required_errors(reason=reason) | text_errors(reason=reason))
    _move(
        actor,
        application,
        S.NOT_ACCEPTED,
        note=reason.strip(),
        reason="not accepted",
        decision_reason=reason.strip(),
        not_accepted_on=timezone.localdate(),
        accepting_bureau=bureau_name(actor, application),
    )
    tell_applicant_side(
        application,
        title=_("%(worker)s's application is not accepted") % {"worker": application.worker_name},
        body=reason.strip() + "\n" + _("The not-accepted letter is on the platform."),
    )
    return application


@transaction.atomic
def application_suspend(
    *, actor: Any, application: RecognitionApplication, reason: str
) -> RecognitionApplication:
    """Stops the clock while the decision waits for a judicial or administrative body's
    conclusion (条例 第二十条第三款); the applicant is told in writing."""
    application = _locked(application)
    _check(actor, application, S.ACCEPTED)
    raise_if(required_errors(reason=reason) | text_errors(reason=reason))
    Suspension.objects.create(
        application=application, started_on=timezone.localdate(), reason=reason.strip()
    )
    _move(actor, application, S.SUSPENDED, note=reason.strip(), reason="suspended")
    tell_applicant_side(
        application,
        title=_("The decision on %(worker)s's application is suspended")
        % {"worker": application.worker_name},
        body=reason.strip(),
    )
    return application


@transaction.atomic
def application_resume(
    *, actor: Any, application: RecognitionApplication
) -> RecognitionApplication:
    """Starts the clock again: the days suspended are added to the due date."""
    application = _locked(application)
    _check(actor, application, S.SUSPENDED)
    application.suspensions.filter(ended_on__isnull=True).update(ended_on=timezone.localdate())
    _move(actor, application, S.ACCEPTED, reason="resumed")
    due = clock.decision_due(application)
    tell_applicant_side(
        application,
        title=_("The decision on %(worker)s's application is due by %(date)s")
        % {"worker": application.worker_name, "date": due.isoformat() if due else ""},
    )
    return application


@transaction.atomic
def application_pause_record(
    *,
    actor: Any,
    application: RecognitionApplication,
    started_on: dt.date | None,
    ended_on: dt.date | None,
    reason: str,
    evidence: str,
) -> LimitPause:
    """Records time the worker, a relative or the union lost through no fault of theirs
    (force majeure and the like): it does not count in their one-year limit to apply (R10
    第七条). The period lies between the accident and the application's receipt, and overlaps
    no period already recorded."""
    application = _locked(application)
    _check(actor, application, *OPEN_STATUSES)
    if application.applicant_kind == ApplicantKind.EMPLOYER:
        raise RecognitionInvalid(
            _("Only the worker's, a relative's or the union's limit to apply can be paused."),
            "applicant_kind",
        )
    errors = required_errors(reason=reason, evidence=evidence) | text_errors(
        reason=reason, evidence=evidence
    )
    if started_on is None:
        errors["started_on"] = _("Enter a date as YYYY-MM-DD.")
    if ended_on is None:
        errors["ended_on"] = _("Enter a date as YYYY-MM-DD.")
    if started_on is not None and ended_on is not None:
        if ended_on < started_on:
            errors["ended_on"] = _("The end comes before the start.")
        elif started_on < application.accident_date or ended_on > application.received_on:
            errors["started_on"] = _(
                "The time lost lies between the accident (%(accident)s) and the application "
                "(%(received)s)."
            ) % {
                "accident": application.accident_date.isoformat(),
                "received": application.received_on.isoformat(),
            }
        elif application.limit_pauses.filter(
            started_on__lte=ended_on, ended_on__gte=started_on
        ).exists():
            errors["started_on"] = _("This period overlaps one already recorded.")
    raise_if(errors)
    assert started_on is not None and ended_on is not None  # noqa: S101 - checked above
    pause = LimitPause.objects.create(
        application=application,
        started_on=started_on,
        ended_on=ended_on,
        reason=reason.strip(),
        evidence=evidence.strip(),
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_create(actor, pause, reason="time lost not counted in the limit to apply")
    note = _("Time lost %(start)s to %(end)s (%(days)s days) not counted: %(reason)s") % {
        "start": started_on.isoformat(),
        "end": ended_on.isoformat(),
        "days": pause.days,
        "reason": reason.strip(),
    }
    event(application, frm=application.status, actor=actor, note=note)
    deadline = clock.application_deadline(application)
    tell_applicant_side(
        application,
        title=_("%(worker)s's last day to apply is now %(date)s")
        % {
            "worker": application.worker_name,
            "date": deadline.isoformat(),
        },
        body=note,
    )
    return pause


def bureau_name(actor: Any, application: RecognitionApplication) -> str:
    """The deciding bureau as the letter names it: the official's own region's HRSS bureau,
    or the enterprise's city's for a province-wide role."""
    region = getattr(actor, "region", None)
    if region is None or getattr(region, "level", None) not in (
        Region.Level.CITY,
        Region.Level.COUNTY,
    ):
        region = application.enterprise.city
    return f"{region.name}人力资源和社会保障局"


def case_number_default(application: RecognitionApplication) -> str:
    today = timezone.localdate()
    return f"GSRD-{application.enterprise.county.code}-{today.year}-{application.pk:06d}"


def _injury_case(actor: Any, application: RecognitionApplication, number: str) -> Any:
    """The injury case of a recognised application: the one already recorded under its
    number (the yearly import came first), or a new one."""
    existing = cases_visible(actor).filter(case_number=number).first()
    if existing is not None:
        if existing.enterprise_id != application.enterprise_id:
            raise RecognitionInvalid(
                _("Case number %(number)s is recorded for another enterprise.")
                % {"number": number},
                "case_number",
            )
        return existing
    data = {
        "case_number": number,
        "enterprise": application.enterprise,
        "person_name": application.worker_name,
        "id_number": id_number_decrypt(application.worker_id_encrypted),
        "accident_date": application.accident_date.isoformat(),
        "recognition_date": timezone.localdate().isoformat(),
        "kind": application.kind,
        "occupational_disease": application.occupational_disease,
        "is_death": application.is_death,
        "disability_grade": "",
        "lost_workdays": "",
        "accident_category": application.accident_category,
        "body_part": application.body_part,
        "payout": "0",
    }
    try:
        return case_create(actor=actor, data=data)
    except CaseInvalid as exc:
        prefix = _("The injury case cannot be recorded:")
        raise RecognitionInvalid(
            {
                ("case_number" if k == "case_number" else ""): f"{prefix} {v}"
                for k, v in exc.errors.items()
            }
        ) from exc


@transaction.atomic
def application_decide(
    *,
    actor: Any,
    application: RecognitionApplication,
    recognised: bool,
    reason: str,
    case_number: str = "",
) -> RecognitionApplication:
    """Decides: recognised as a work injury, or not. A recognised one becomes an injury case
    under its case number. A decision after its due date is made and flagged."""
    application = _locked(application)
    if application.status == S.SUSPENDED and may_handle_recognition(actor, application.enterprise):
        raise RecognitionInvalid(_("The clock is suspended: resume it before deciding."), "status")
    _check(actor, application, S.ACCEPTED)
    number = (case_number or "").strip() or case_number_default(application)
    errors = required_errors(reason=reason) | text_errors(reason=reason)
    if len(number) > CASE_NUMBER_MAX:
        errors["case_number"] = _("The case number has at most 40 characters.")
    elif (
        RecognitionApplication.objects.filter(case_number=number)
        .exclude(pk=application.pk)
        .exists()
    ):
        errors["case_number"] = _("Another decision has case number %(number)s.") % {
            "number": number
        }
    raise_if(errors)
    today = timezone.localdate()
    changes: dict[str, Any] = {
        "decided_on": today,
        "decision_reason": reason.strip(),
        "case_number": number,
        "decided_by": actor,
        "bureau_name": bureau_name(actor, application),
    }
    if recognised:
        changes["injury_case"] = _injury_case(actor, application, number)
    _move(
        actor,
        application,
        S.RECOGNISED if recognised else S.NOT_RECOGNISED,
        note=reason.strip(),
        reason="decided",
        **changes,
    )
    title = (
        _("%(worker)s's injury is recognised as a work injury")
        if recognised
        else _("%(worker)s's injury is not recognised as a work injury")
    ) % {"worker": application.worker_name}
    tell_applicant_side(application, title=title, body=_("The decision letter is on the platform."))
    return application
