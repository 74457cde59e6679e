"""Booking (one by one, a group, a roster file), signing up, cancelling and checking in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    PROVINCE_WIDE_ROLES,
)
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.lib.protected import id_number_digest
from yufang.training.models import (
    Enrollment,
    Trainee,
    TrainingSession,
)
from yufang.training.services.common import (
    CHECK_IN_SALT,
    SESSION_QR_SALT,
    TrainingInvalid,
)
from yufang.training.services.permissions import (
    may_run_session,
)
from yufang.training.services.trainees import (
    clean_id_number,
    key_role_of_post,
    trainee_upsert,
)


@dataclass
class BookingResult:
    booked: list[Enrollment] = field(default_factory=list)
    waitlisted: list[Enrollment] = field(default_factory=list)
    # Roster rows left out when the valid rows were booked: {row, field, message}.
    skipped: list[dict[str, Any]] = field(default_factory=list)

    def first(self) -> Enrollment:
        return (self.booked or self.waitlisted)[0]


def _bookable(session: TrainingSession) -> None:
    if session.status == TrainingSession.Status.CANCELLED:
        raise TrainingInvalid({"session": _("This session has been cancelled.")})
    if session.ends_at <= timezone.now():
        raise TrainingInvalid({"session": _("This session is over; it can no longer be booked.")})


def _book(
    *,
    actor: Any,
    session: TrainingSession,
    trainees: Sequence[Trainee],
    enterprise: Enterprise | None,
    waitlist: bool,
) -> BookingResult:
    result = BookingResult()
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        _bookable(session)
        existing = {
            e.trainee_id: e
            for e in Enrollment.objects.select_for_update().filter(
                session=session, trainee__in=trainees
            )
        }
        for trainee in trainees:
            current = existing.get(trainee.pk)
            if current is not None and current.status != Enrollment.Status.CANCELLED:
                raise TrainingInvalid(
                    {
                        "trainee": _("%(name)s is already enrolled in this session.")
                        % {"name": trainee.name}
                    }
                )
        taken = session.enrollments.filter(status=Enrollment.Status.BOOKED).count()
        free = session.capacity - taken
        if not waitlist and len(trainees) > free:
            raise TrainingInvalid(
                {
                    "trainees": _("Only %(free)s seats are free; %(asked)s were asked for.")
                    % {"free": max(free, 0), "asked": len(trainees)}
                }
            )
        now = timezone.now()
        for trainee in trainees:
            status = Enrollment.Status.BOOKED if free > 0 else Enrollment.Status.WAITLISTED
            free -= 1
            enrollment = existing.get(trainee.pk)
            if enrollment is not None:
                before = snapshot(enrollment)
                enrollment.status = status
                enrollment.cancelled_at = None
                enrollment.enterprise = enterprise
                enrollment.booked_by = actor if getattr(actor, "pk", None) else None
                enrollment.created_at = now
                enrollment.save()
                audit_update(actor, enrollment, before, reason="re-booked")
            else:
                enrollment = Enrollment.objects.create(
                    session=session,
                    trainee=trainee,
                    enterprise=enterprise,
                    status=status,
                    booked_by=actor if getattr(actor, "pk", None) else None,
                )
                audit_create(actor, enrollment)
            (result.booked if status == Enrollment.Status.BOOKED else result.waitlisted).append(
                enrollment
            )
    return result


def _require_book_for(actor: Any, enterprise: Enterprise) -> None:
    if actor.role == Role.SAFETY_MANAGER and actor.enterprise_id == enterprise.pk:
        return
    if actor.role in PROVINCE_WIDE_ROLES:
        return
    raise PermissionDenied(_("Only the enterprise's safety manager books its employees."))


def enrollment_book_group(
    *,
    actor: Any,
    session: TrainingSession,
    enterprise: Enterprise,
    trainees: Sequence[Trainee],
    waitlist: bool = True,
) -> BookingResult:
    """An enterprise books seats for its employees; those beyond the free seats wait."""
    _require_book_for(actor, enterprise)
    if not trainees:
        raise TrainingInvalid({"trainees": _("Choose at least one employee.")})
    strangers = [t.name for t in trainees if t.enterprise_id != enterprise.pk]
    if strangers:
        raise TrainingInvalid(
            {
                "trainees": _("Not employees of this enterprise: %(names)s")
                % {"names": "、".join(strangers)}
            }
        )
    return _book(
        actor=actor, session=session, trainees=trainees, enterprise=enterprise, waitlist=waitlist
    )


@dataclass
class RosterRow:
    row: int
    name: str
    id_number: str
    phone: str
    key_role: str
    post: str = ""


# The roster's columns, as the template names them (the first name of each list).
ROSTER_HEADERS = ["姓名", "身份证号", "手机号", "岗位"]


ROSTER_COLUMNS = {
    "name": ("姓名", "name", "学员姓名"),
    "id_number": ("身份证号", "id_number", "身份证号码", "公民身份号码", "证件号码"),
    "phone": ("手机号", "phone", "手机", "联系电话", "电话"),
    "key_role": ("岗位", "key_role", "post", "关键岗位", "人员类别"),
}


def roster_template(*, kind: str = "xlsx") -> bytes:
    """An empty roster with the Chinese headers the roster import reads."""
    from yufang.lib.spreadsheets import write_csv, write_xlsx

    if kind == "csv":
        return write_csv(ROSTER_HEADERS, [])
    return write_xlsx(ROSTER_HEADERS, [], title="报名名单")


def roster_read(data: bytes) -> tuple[list[RosterRow], list[dict[str, Any]]]:
    """Rows of a roster file and the errors of each row (row number as in the spreadsheet)."""
    from yufang.lib.spreadsheets import SpreadsheetError, read_table

    try:
        table = read_table(data, max_rows=5000)
    except SpreadsheetError as exc:
        raise TrainingInvalid({"file": str(exc)}) from exc
    headers = {h.strip(): h for h in table.headers if h}
    mapping = {}
    for name, aliases in ROSTER_COLUMNS.items():
        mapping[name] = next((headers[a] for a in aliases if a in headers), None)
    missing = [n for n in ("name", "id_number") if mapping[n] is None]
    if missing:
        raise TrainingInvalid(
            {"file": _("The roster needs the columns 姓名 (name) and 身份证号 (ID number).")}
        )
    rows: list[RosterRow] = []
    errors: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for number, cells in table.rows:
        values = {k: (cells.get(h, "") if h else "").strip() for k, h in mapping.items()}
        row_errors: dict[str, str] = {}
        if not values["name"]:
            row_errors["name"] = _("Enter the trainee's name.")
        id_number = ""
        try:
            id_number = clean_id_number(values["id_number"])
        except TrainingInvalid as exc:
            row_errors.update(exc.errors)
        if id_number and id_number in seen:
            row_errors["id_number"] = _("Same ID number as row %(row)s.") % {"row": seen[id_number]}
        elif id_number:
            seen[id_number] = number
        post = values["key_role"][:100]
        if row_errors:
            errors.extend({"row": number, "field": f, "message": m} for f, m in row_errors.items())
            continue
        rows.append(
            RosterRow(
                number, values["name"], id_number, values["phone"], key_role_of_post(post), post
            )
        )
    if not rows and not errors:
        errors.append({"row": 0, "field": "file", "message": _("The roster has no rows.")})
    return rows, errors


class RosterInvalid(TrainingInvalid):
    def __init__(self, row_errors: list[dict[str, Any]]) -> None:
        self.row_errors = row_errors
        super().__init__(
            {
                f"row {e['row']} {e['field']}" if e["row"] else e["field"]: str(e["message"])
                for e in row_errors
            }
        )


def enrollment_book_roster(
    *,
    actor: Any,
    session: TrainingSession,
    enterprise: Enterprise,
    data: bytes,
    waitlist: bool = True,
    partial: bool = False,
) -> BookingResult:
    """Book a whole roster file. By default every row must be valid or nothing is written;
    with `partial` the valid rows are booked and the bad ones come back in `skipped`."""
    _require_book_for(actor, enterprise)
    rows, errors = roster_read(data)
    if errors and (not partial or any(e["row"] == 0 for e in errors)):
        raise RosterInvalid(errors)
    digests = {id_number_digest(r.id_number): r for r in rows}
    elsewhere = Trainee.objects.filter(id_digest__in=digests, enterprise__isnull=False).exclude(
        enterprise=enterprise
    )
    moved = [
        {
            "row": digests[t.id_digest].row,
            "field": "id_number",
            "message": _("Registered as an employee of another enterprise."),
        }
        for t in elsewhere
    ]
    if moved and not partial:
        raise RosterInvalid(moved)
    skipped = sorted(errors + moved, key=lambda e: (e["row"], e["field"]))
    bad_rows = {e["row"] for e in skipped}
    rows = [r for r in rows if r.row not in bad_rows]
    if not rows:
        raise RosterInvalid(skipped)
    with transaction.atomic():
        trainees = [
            trainee_upsert(
                actor=actor,
                name=r.name,
                id_number=r.id_number,
                phone=r.phone,
                enterprise=enterprise,
                key_role=r.key_role,
                post=r.post,
            )
            for r in rows
        ]
        result = _book(
            actor=actor,
            session=session,
            trainees=trainees,
            enterprise=enterprise,
            waitlist=waitlist,
        )
    result.skipped = skipped
    return result


def enrollment_sign_up(
    *, actor: Any, session: TrainingSession, id_number: str = "", name: str = "", phone: str = ""
) -> Enrollment:
    """A worker signs up for a session; the first sign-up records their ID number."""
    if not getattr(actor, "is_authenticated", False) or actor.role != Role.WORKER:
        raise PermissionDenied(_("Only a trainee signs up for themselves."))
    trainee = Trainee.objects.filter(user=actor).first()
    if trainee is None:
        if not id_number:
            raise TrainingInvalid({"id_number": _("Enter your ID number to sign up.")})
        number = clean_id_number(id_number)
        owner = Trainee.objects.filter(id_digest=id_number_digest(number)).first()
        if owner is not None and owner.user_id not in (None, actor.pk):
            raise TrainingInvalid({"id_number": _("This ID number belongs to another account.")})
        trainee = trainee_upsert(
            actor=actor,
            name=name or actor.full_name or actor.username,
            id_number=number,
            phone=phone or (actor.phone or ""),
            enterprise=actor.enterprise,
            user=actor,
        )
    return _book(
        actor=actor, session=session, trainees=[trainee], enterprise=None, waitlist=True
    ).first()


def _may_change_enrollment(actor: Any, enrollment: Enrollment) -> bool:
    if getattr(actor, "role", None) == Role.WORKER:
        return enrollment.trainee.user_id == actor.pk
    if getattr(actor, "role", None) == Role.SAFETY_MANAGER:
        return actor.enterprise_id in (enrollment.enterprise_id, enrollment.trainee.enterprise_id)
    return may_run_session(actor, enrollment.session)


def enrollment_cancel(*, actor: Any, enrollment: Enrollment) -> Enrollment:
    """Cancel a seat; the longest-waiting person on the waitlist takes it."""
    if not _may_change_enrollment(actor, enrollment):
        raise PermissionDenied(_("You cannot change this enrollment."))
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=enrollment.session_id)
        enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if enrollment.status == Enrollment.Status.CANCELLED:
            raise TrainingInvalid({"enrollment": _("This enrollment is already cancelled.")})
        if enrollment.checked_in_at is not None:
            raise TrainingInvalid(
                {"enrollment": _("This trainee has checked in; the seat was used.")}
            )
        was_booked = enrollment.status == Enrollment.Status.BOOKED
        before = snapshot(enrollment)
        enrollment.status = Enrollment.Status.CANCELLED
        enrollment.cancelled_at = timezone.now()
        enrollment.save()
        audit_update(actor, enrollment, before, reason="cancelled")
        if was_booked:
            waiting = (
                session.enrollments.select_for_update()
                .filter(status=Enrollment.Status.WAITLISTED)
                .order_by("created_at", "id")
                .first()
            )
            if waiting is not None:
                before = snapshot(waiting)
                waiting.status = Enrollment.Status.BOOKED
                waiting.save(update_fields=["status"])
                audit_update(actor, waiting, before, reason="promoted from the waitlist")
    return enrollment


def check_in_token(enrollment: Enrollment) -> str:
    return signing.dumps({"e": enrollment.pk}, salt=CHECK_IN_SALT)


def session_qr_token(session: TrainingSession) -> str:
    return signing.dumps({"s": session.pk}, salt=SESSION_QR_SALT)


def _check_in(actor: Any, enrollment: Enrollment, *, now: dt.datetime | None = None) -> Enrollment:
    now = now or timezone.now()
    with transaction.atomic():
        enrollment = (
            Enrollment.objects.select_for_update()
            .select_related("session", "trainee")
            .get(pk=enrollment.pk)
        )
        session = enrollment.session
        if session.status == TrainingSession.Status.CANCELLED:
            raise TrainingInvalid({"session": _("This session has been cancelled.")})
        if enrollment.status != Enrollment.Status.BOOKED:
            raise TrainingInvalid(
                {
                    "enrollment": _("%(name)s has no booked seat in this session (%(status)s).")
                    % {"name": enrollment.trainee.name, "status": enrollment.get_status_display()}
                }
            )
        if enrollment.checked_in_at is not None:
            raise TrainingInvalid(
                {
                    "enrollment": _("%(name)s already checked in at %(time)s.")
                    % {
                        "name": enrollment.trainee.name,
                        "time": timezone.localtime(enrollment.checked_in_at).strftime("%H:%M"),
                    }
                }
            )
        if timezone.localtime(session.starts_at).date() != timezone.localtime(now).date():
            raise TrainingInvalid(
                {
                    "session": _("This session is on %(date)s, not today.")
                    % {"date": timezone.localtime(session.starts_at).date().isoformat()}
                }
            )
        before = snapshot(enrollment)
        enrollment.checked_in_at = now
        enrollment.save(update_fields=["checked_in_at"])
        audit_update(actor, enrollment, before, reason="check-in")
    return enrollment


def enrollment_check_in(
    *, actor: Any, enrollment: Enrollment, now: dt.datetime | None = None
) -> Enrollment:
    """Staff check a trainee in (from the attendance list)."""
    if not may_run_session(actor, enrollment.session):
        raise PermissionDenied(_("Only the session's staff check trainees in."))
    return _check_in(actor, enrollment, now=now)


@dataclass
class CheckInResult:
    checked_in: list[Enrollment] = field(default_factory=list)
    # Those not checked in, each with the reason (already checked in, not booked …).
    refused: list[tuple[Enrollment, str]] = field(default_factory=list)


def enrollment_check_in_many(
    *,
    actor: Any,
    session: TrainingSession,
    enrollments: Iterable[Enrollment],
    now: dt.datetime | None = None,
) -> CheckInResult:
    """Staff mark several people present at once (ticked in the attendance list). Each is
    checked as one check-in; those that cannot be are reported, the others are checked in."""
    if not may_run_session(actor, session):
        raise PermissionDenied(_("Only the session's staff check trainees in."))
    chosen = [e for e in enrollments if e.session_id == session.pk]
    if not chosen:
        raise TrainingInvalid({"enrollments": _("Choose at least one person to check in.")})
    result = CheckInResult()
    for enrollment in chosen:
        try:
            result.checked_in.append(_check_in(actor, enrollment, now=now))
        except TrainingInvalid as exc:
            result.refused.append((enrollment, exc.message))
    return result


GROUP_QR_SALT = "yufang.training.group-qr"


def group_check_in_token(session: TrainingSession, enterprise: Enterprise) -> str:
    """One code for an enterprise's group in a session: staff scan it once for all of them."""
    return signing.dumps({"s": session.pk, "g": enterprise.pk}, salt=GROUP_QR_SALT)


def check_in_group_by_token(
    *, actor: Any, token: str, now: dt.datetime | None = None
) -> CheckInResult:
    """Staff scan a group's code: everyone the enterprise booked (a seat, not yet checked in)
    is marked present."""
    try:
        payload = signing.loads(token, salt=GROUP_QR_SALT)
    except signing.BadSignature as exc:
        raise TrainingInvalid({"token": _("This group code is not valid.")}) from exc
    session = TrainingSession.objects.filter(pk=payload.get("s")).first()
    if session is None:
        raise TrainingInvalid({"token": _("This group code is not valid.")})
    group = Enrollment.objects.filter(
        session=session,
        enterprise_id=payload.get("g"),
        status=Enrollment.Status.BOOKED,
        checked_in_at__isnull=True,
    ).select_related("trainee")
    if not group.exists():
        raise TrainingInvalid(
            {"token": _("Everyone of this group is checked in already, or nobody is booked.")}
        )
    return enrollment_check_in_many(actor=actor, session=session, enrollments=group, now=now)


def check_in_by_token(*, actor: Any, token: str, now: dt.datetime | None = None) -> Enrollment:
    """Staff scan the QR code on a trainee's phone."""
    try:
        payload = signing.loads(token, salt=CHECK_IN_SALT)
    except signing.BadSignature as exc:
        raise TrainingInvalid({"token": _("This check-in code is not valid.")}) from exc
    enrollment = Enrollment.objects.select_related("session").filter(pk=payload.get("e")).first()
    if enrollment is None:
        raise TrainingInvalid({"token": _("This check-in code is not valid.")})
    return enrollment_check_in(actor=actor, enrollment=enrollment, now=now)


def check_in_to_session(*, actor: Any, token: str, now: dt.datetime | None = None) -> Enrollment:
    """A trainee scans the session's QR code at the hall with their phone."""
    try:
        payload = signing.loads(token, salt=SESSION_QR_SALT)
    except signing.BadSignature as exc:
        raise TrainingInvalid({"token": _("This session code is not valid.")}) from exc
    trainee = Trainee.objects.filter(user=actor).first() if actor.is_authenticated else None
    if trainee is None:
        raise TrainingInvalid({"trainee": _("Your account is not registered as a trainee.")})
    enrollment = Enrollment.objects.filter(session_id=payload.get("s"), trainee=trainee).first()
    if enrollment is None:
        raise TrainingInvalid({"session": _("You have not booked this session.")})
    return _check_in(actor, enrollment, now=now)
