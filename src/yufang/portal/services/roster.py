"""Insured roster changes (参保人员增减): the enterprise submits them one by one, from a file
or from its HR system over the API; an official of its region approves or refuses each; on
approval the roster and the year's insured headcount follow (through the registry's
`headcount_set`, the headcount's one writer). A person already insured by another enterprise
of the same pooling region (the city) is flagged when submitted and refused on approval until
that enterprise removes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.portal import require_decide_for, require_submit_for
from yufang.audit.services import audit_create, audit_create_many, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.enterprises.selectors import headcounts_of
from yufang.enterprises.services import headcount_set
from yufang.lib.identifiers import check_id_number, mask_id_number, normalise_id_number
from yufang.lib.protected import id_number_digest
from yufang.portal.models import (
    InsuredPerson,
    RequestStatus,
    RosterChange,
    RosterKind,
    RosterSource,
)
from yufang.portal.services.common import PortalInvalid
from yufang.portal.services.notices import notify_bureau, notify_enterprise

KIND_WORDS = {
    "add": RosterKind.ADD,
    "增": RosterKind.ADD,
    "增员": RosterKind.ADD,
    "增加": RosterKind.ADD,
    "remove": RosterKind.REMOVE,
    "减": RosterKind.REMOVE,
    "减员": RosterKind.REMOVE,
    "减少": RosterKind.REMOVE,
}


@dataclass(frozen=True)
class RosterInput:
    kind: str
    person_name: str
    id_number: str
    effective_on: dt.date | str | None = None


@dataclass(frozen=True)
class _Clean:
    kind: str
    person_name: str
    digest: str
    masked: str
    effective_on: dt.date


def _clean(given: RosterInput, today: dt.date) -> tuple[_Clean | None, dict[str, str]]:
    errors: dict[str, str] = {}
    kind = KIND_WORDS.get(str(given.kind or "").strip().lower())
    if kind is None:
        errors["kind"] = _("The change must be add (增员) or remove (减员).")
    name = str(given.person_name or "").strip()
    if not name:
        errors["person_name"] = _("The name is required.")
    elif len(name) > 60:
        errors["person_name"] = _("The name is longer than %(n)s characters.") % {"n": 60}
    number = normalise_id_number(str(given.id_number or ""))[:40]
    if not check_id_number(number, today=today).ok:
        errors["id_number"] = _("Not a valid resident ID number.")
    effective = today
    if isinstance(given.effective_on, dt.date):
        effective = given.effective_on
    elif given.effective_on:
        try:
            effective = dt.date.fromisoformat(str(given.effective_on).strip()[:10])
        except ValueError:
            errors["effective_on"] = _("Not a date (YYYY-MM-DD): %(value)s") % {
                "value": str(given.effective_on)[:20]
            }
    if not dt.date(2000, 1, 1) <= effective <= today + dt.timedelta(days=366):
        errors["effective_on"] = _("The date is out of range.")
    if errors or kind is None:
        return None, errors
    return _Clean(kind, name, id_number_digest(number), mask_id_number(number), effective), {}


def insured_elsewhere(enterprise: Enterprise, digest: str) -> str:
    """The other enterprise of the same city that has this person on its roster ("" if
    none): a person is insured at one place of work in a pooling region."""
    other = (
        InsuredPerson.objects.filter(
            id_digest=digest, insured_until__isnull=True, enterprise__city_id=enterprise.city_id
        )
        .exclude(enterprise=enterprise)
        .select_related("enterprise")
        .first()
    )
    return other.enterprise.name[:200] if other else ""


def _check_against_roster(enterprise: Enterprise, row: _Clean) -> dict[str, str]:
    on_roster = InsuredPerson.objects.filter(
        enterprise=enterprise, id_digest=row.digest, insured_until__isnull=True
    ).exists()
    if row.kind == RosterKind.ADD and on_roster:
        return {"id_number": _("This person is already on the enterprise's insured roster.")}
    if row.kind == RosterKind.REMOVE and not on_roster:
        return {"id_number": _("This person is not on the enterprise's insured roster.")}
    pending = RosterChange.objects.filter(
        enterprise=enterprise, id_digest=row.digest, kind=row.kind, status=RequestStatus.PENDING
    ).exists()
    if pending:
        return {"id_number": _("The same change for this person is already with the bureau.")}
    return {}


def _made(enterprise: Enterprise, row: _Clean, actor: Any, source: str) -> RosterChange:
    return RosterChange(
        enterprise=enterprise,
        kind=row.kind,
        person_name=row.person_name,
        id_digest=row.digest,
        id_masked=row.masked,
        effective_on=row.effective_on,
        source=source,
        insured_elsewhere=insured_elsewhere(enterprise, row.digest)
        if row.kind == RosterKind.ADD
        else "",
        submitted_by=actor,
    )


@transaction.atomic
def roster_change_submit(
    *, actor: Any, enterprise: Enterprise, given: RosterInput, source: str = RosterSource.FORM
) -> RosterChange:
    require_submit_for(actor, enterprise)
    row, errors = _clean(given, timezone.localdate())
    if row is None:
        raise PortalInvalid(errors)
    errors = _check_against_roster(enterprise, row)
    if errors:
        raise PortalInvalid(errors)
    change = _made(enterprise, row, actor, source)
    try:
        with transaction.atomic():
            change.save()
    except IntegrityError as exc:
        raise PortalInvalid(
            _("The same change for this person is already with the bureau."), "id_number"
        ) from exc
    audit_create(actor, change)
    _tell_bureau(enterprise, 1)
    return change


def _tell_bureau(enterprise: Enterprise, count: int) -> None:
    notify_bureau(
        enterprise,
        title=_("%(enterprise)s submitted %(count)s roster changes")
        % {"enterprise": enterprise.name, "count": count},
        url=reverse("portal:desk"),
    )


def roster_rows_check(
    enterprise: Enterprise, rows: list[tuple[int, RosterInput]]
) -> tuple[list[_Clean], list[tuple[int, str, str]]]:
    """Every row checked against the rules and the roster, and against the rows before it:
    the clean rows, and each error as (row number, field, message)."""
    today = timezone.localdate()
    errors: list[tuple[int, str, str]] = []
    cleaned: list[_Clean] = []
    seen: set[tuple[str, str]] = set()
    for number, given in rows:
        row, row_errors = _clean(given, today)
        if row is not None:
            row_errors = _check_against_roster(enterprise, row)
            if (row.digest, row.kind) in seen:
                row_errors = {"id_number": _("The same person appears twice.")}
            seen.add((row.digest, row.kind))
        errors.extend((number, key, message) for key, message in row_errors.items())
        if row is not None and not row_errors:
            cleaned.append(row)
    return cleaned, errors


@transaction.atomic
def roster_changes_submit_many(
    *, actor: Any, enterprise: Enterprise, rows: list[RosterInput], source: str
) -> list[RosterChange]:
    """All or nothing: every row is checked first; one bad row refuses the whole set, with
    each error named by its row ("rows.3.id_number"). A roster file comes here through the
    imports app (`portal.importers`)."""
    require_submit_for(actor, enterprise)
    if not rows:
        raise PortalInvalid(_("There is no roster change to submit."), "rows")
    cleaned, row_errors = roster_rows_check(enterprise, list(enumerate(rows, start=1)))
    errors = {
        f"rows.{number}.{key}": _("Row %(row)s: %(message)s") % {"row": number, "message": message}
        for number, key, message in row_errors
    }
    if errors:
        raise PortalInvalid(errors)
    changes = RosterChange.objects.bulk_create(
        [_made(enterprise, row, actor, source) for row in cleaned]
    )
    audit_create_many(actor, changes, reason=source)
    _tell_bureau(enterprise, len(changes))
    return changes


def _headcount_after(enterprise: Enterprise, year: int, delta: int) -> int:
    """The year's insured headcount moved by `delta`: from the year's figure, or the latest
    earlier one when the year has none yet."""
    row = headcounts_of(enterprise).filter(year__lte=year).order_by("-year").first()
    return max(0, (row.insured_headcount if row else 0) + delta)


@transaction.atomic
def roster_change_decide(
    *, actor: Any, change: RosterChange, approve: bool, note: str = ""
) -> RosterChange:
    change = (
        RosterChange.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .get(pk=change.pk)
    )
    enterprise = change.enterprise
    require_decide_for(actor, enterprise)
    note = (note or "").strip()
    if change.status != RequestStatus.PENDING:
        raise PortalInvalid(_("This change has already been decided."), "status")
    if len(note) > 500:
        raise PortalInvalid(_("The note is longer than %(n)s characters.") % {"n": 500}, "note")
    if not approve and not note:
        raise PortalInvalid(_("Say why the change is refused."), "note")
    before = snapshot(change)
    if approve:
        _roster_apply(actor, change)
    change.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    change.decided_by = actor
    change.decided_at = timezone.now()
    change.decision_note = note
    change.save()
    audit_update(actor, change, before, reason=note)
    notify_enterprise(
        enterprise,
        title=(
            _("The bureau approved the roster change for %(person)s")
            if approve
            else _("The bureau refused the roster change for %(person)s")
        )
        % {"person": f"{change.person_name} {change.id_masked}"},
        body=note,
        url=reverse("portal:roster"),
    )
    return change


def _roster_apply(actor: Any, change: RosterChange) -> None:
    enterprise = change.enterprise
    if change.kind == RosterKind.ADD:
        elsewhere = insured_elsewhere(enterprise, change.id_digest)
        if elsewhere:
            raise PortalInvalid(
                _(
                    "This person is still insured by %(other)s in the same region: it must "
                    "remove them first, or refuse this change."
                )
                % {"other": elsewhere},
                "id_number",
            )
        person = InsuredPerson.objects.create(
            enterprise=enterprise,
            person_name=change.person_name,
            id_digest=change.id_digest,
            id_masked=change.id_masked,
            insured_from=change.effective_on,
        )
        audit_create(actor, person)
        delta = 1
    else:
        person_or_none = InsuredPerson.objects.filter(
            enterprise=enterprise, id_digest=change.id_digest, insured_until__isnull=True
        ).first()
        if person_or_none is None:
            raise PortalInvalid(
                _("This person is not on the enterprise's insured roster."), "id_number"
            )
        before = snapshot(person_or_none)
        person_or_none.insured_until = change.effective_on
        person_or_none.save(update_fields=["insured_until"])
        audit_update(actor, person_or_none, before)
        delta = -1
    year = timezone.localdate().year
    headcount_set(
        actor=actor,
        enterprise=enterprise,
        year=year,
        insured_headcount=_headcount_after(enterprise, year, delta),
    )
