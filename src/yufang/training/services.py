"""Writes of the training domain. Every change is audited inside its transaction.

Seats are counted under a row lock on the session, and a hall or a trainer is checked for
overlapping sessions under a lock on the hall and the institution, so two people booking
or scheduling at once cannot both succeed past the limit.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    PROVINCE_WIDE_ROLES,
    can_write,
    institution_city_id,
    may_change_question,
)
from yufang.audit.services import audit_create, audit_create_many, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.funds.models import Institution
from yufang.lib.errors import InvalidInput
from yufang.lib.identifiers import check_id_number, mask_id_number, normalise_id_number
from yufang.lib.protected import id_number_decrypt as id_number_decrypt_token
from yufang.lib.protected import id_number_digest, id_number_encrypt
from yufang.lib.topics import QUESTION_TOPICS, Topic
from yufang.regions.models import Region
from yufang.training.models import (
    AttemptItem,
    Campaign,
    Certificate,
    Course,
    Enrollment,
    Exam,
    ExamAttempt,
    Feedback,
    Hall,
    KeyRole,
    Lesson,
    LessonProgress,
    Material,
    Question,
    QuestionType,
    SessionKind,
    SessionPhoto,
    Trainee,
    TrainingBase,
    TrainingSession,
)

CHECK_IN_SALT = "yufang.training.check-in"
SESSION_QR_SALT = "yufang.training.session-qr"


class TrainingInvalid(InvalidInput):
    pass


# Bounds of the database columns (class hours: 4 digits, 1 decimal) and of a plausible hall.
MAX_CLASS_HOURS = Decimal("99.9")
MAX_CAPACITY = 10000


# ---------------------------------------------------------------- permissions


def may_run(
    user: Any,
    *,
    institution_id: int | None,
    city_id: int | None,
    county_id: int | None = None,
) -> bool:
    """Whether a user may run training placed here: the operating institution's staff,
    officials of the region, the province."""
    if not can_write(user):
        return False
    if user.role in PROVINCE_WIDE_ROLES:
        return True
    if user.role == Role.CITY_OFFICIAL:
        return city_id is not None and city_id == user.region_id
    if user.role == Role.COUNTY_OFFICIAL:
        return county_id is not None and county_id == user.region_id
    if user.role == Role.INSTITUTION_STAFF:
        # An institution works in its own city: its bases, halls and sessions are there.
        return (
            institution_id is not None
            and institution_id == user.institution_id
            and (city_id is None or city_id == institution_city_id(user))
        )
    return False


def _require_run(
    user: Any, *, institution_id: int | None, city_id: int | None, county_id: int | None = None
) -> None:
    if not may_run(user, institution_id=institution_id, city_id=city_id, county_id=county_id):
        raise PermissionDenied(_("Your role cannot run training here."))


def may_run_session(user: Any, session: TrainingSession) -> bool:
    return may_run(
        user,
        institution_id=session.institution_id,
        city_id=session.city_id,
        county_id=session.county_id,
    )


# ---------------------------------------------------------------- trainees


def id_number_decrypt(trainee: Trainee) -> str:
    if not trainee.id_encrypted:
        return trainee.id_masked
    return id_number_decrypt_token(trainee.id_encrypted)


def clean_id_number(raw: str, *, field_name: str = "id_number") -> str:
    number = normalise_id_number(raw or "")
    result = check_id_number(number, today=timezone.localdate())
    if not result.ok:
        messages = {
            "length": _("An ID number has 18 characters."),
            "characters": _("An ID number has 17 digits and a digit or X."),
            "date": _("The birth date in this ID number is not a real date."),
            "check_digit": _("The check character of this ID number is wrong."),
        }
        raise TrainingInvalid(
            {field_name: messages.get(result.reason, _("Not a valid ID number."))}
        )
    return number


KEY_ROLE_ALIASES = {
    "分管负责人": KeyRole.SAFETY_DEPUTY_HEAD,
    "分管安全负责人": KeyRole.SAFETY_DEPUTY_HEAD,
    "安全分管负责人": KeyRole.SAFETY_DEPUTY_HEAD,
    "安全副总": KeyRole.SAFETY_DEPUTY_HEAD,
    "安全管理人员": KeyRole.SAFETY_OFFICER,
    "专职安全员": KeyRole.SAFETY_OFFICER,
    "兼职安全员": KeyRole.SAFETY_OFFICER,
    "安全员": KeyRole.SAFETY_OFFICER,
    "班组长": KeyRole.TEAM_LEADER,
    "其他": KeyRole.OTHER,
    "其他员工": KeyRole.OTHER,
}


def key_role_of_post(post: str) -> str:
    """The key-person role a post names (关键岗位), or "other": any post is accepted; the three
    key roles of 鲁人社字〔2021〕73号 are only flagged."""
    value = (post or "").strip()
    for choice in KeyRole:
        if value in (choice.value, str(choice.label)):
            return choice.value
    if value in KEY_ROLE_ALIASES:
        return KEY_ROLE_ALIASES[value].value
    return KeyRole.OTHER.value


def clean_key_role(raw: str) -> str:
    """A key-person role given as a role (the API's `key_role`): one of the three, or other."""
    value = (raw or "").strip()
    if not value:
        return KeyRole.OTHER.value
    known = {c.value for c in KeyRole} | {str(c.label) for c in KeyRole} | set(KEY_ROLE_ALIASES)
    if value not in known:
        raise TrainingInvalid(
            {"key_role": _("Unknown key-person role: %(value)s") % {"value": value}}
        )
    return key_role_of_post(value)


def trainee_upsert(
    *,
    actor: Any,
    name: str,
    id_number: str,
    phone: str = "",
    enterprise: Enterprise | None = None,
    key_role: str = "",
    user: Any = None,
    post: str = "",
) -> Trainee:
    """The trainee with this ID number, created or brought up to date."""
    name = (name or "").strip()
    if not name:
        raise TrainingInvalid({"name": _("Enter the trainee's name.")})
    number = clean_id_number(id_number)
    role = clean_key_role(key_role) if key_role else ""
    with transaction.atomic():
        trainee = (
            Trainee.objects.select_for_update().filter(id_digest=id_number_digest(number)).first()
        )
        if trainee is None:
            trainee = Trainee.objects.create(
                name=name[:100],
                id_digest=id_number_digest(number),
                id_masked=mask_id_number(number),
                id_encrypted=id_number_encrypt(number),
                phone=(phone or "").strip()[:20],
                enterprise=enterprise,
                key_role=role or KeyRole.OTHER,
                post=post.strip()[:100],
                user=user,
            )
            audit_create(actor, trainee)
            return trainee
        before = snapshot(trainee)
        trainee.name = name[:100]
        if phone:
            trainee.phone = phone.strip()[:20]
        if enterprise is not None:
            trainee.enterprise = enterprise
        if role:
            trainee.key_role = role
        if post.strip():
            trainee.post = post.strip()[:100]
        if user is not None and trainee.user_id is None:
            trainee.user = user
        trainee.save()
        audit_update(actor, trainee, before)
        return trainee


# ---------------------------------------------------------------- bases, halls, sessions


def base_create(
    *, actor: Any, name: str, city: Region, address: str, institution: Institution
) -> TrainingBase:
    own_city = institution_city_id(actor)
    if own_city is not None and city.pk != own_city:
        raise TrainingInvalid({"city": _("An institution's bases are in its own city.")})
    _require_run(actor, institution_id=institution.pk, city_id=city.pk)
    if not name.strip():
        raise TrainingInvalid({"name": _("Enter a name.")})
    if city.level != Region.Level.CITY:
        raise TrainingInvalid({"city": _("Choose a city.")})
    with transaction.atomic():
        base = TrainingBase.objects.create(
            name=name.strip(), city=city, address=address.strip(), institution=institution
        )
        audit_create(actor, base)
    return base


def hall_create(*, actor: Any, base: TrainingBase, name: str, topic: str, capacity: int) -> Hall:
    _require_run(actor, institution_id=base.institution_id, city_id=base.city_id)
    errors = {}
    if not name.strip():
        errors["name"] = _("Enter a name.")
    if topic not in Topic.values:
        errors["topic"] = _("Choose a topic.")
    if not 0 < capacity <= MAX_CAPACITY:
        errors["capacity"] = _("The capacity must be from 1 to %(n)s.") % {"n": MAX_CAPACITY}
    if Hall.objects.filter(base=base, name=name.strip()).exists():
        errors["name"] = _("This base already has a hall of that name.")
    if errors:
        raise TrainingInvalid(errors)
    with transaction.atomic():
        hall = Hall.objects.create(base=base, name=name.strip(), topic=topic, capacity=capacity)
        audit_create(actor, hall)
    return hall


def _overlapping(starts_at: dt.datetime, ends_at: dt.datetime) -> Q:
    return Q(starts_at__lt=ends_at, ends_at__gt=starts_at, status=TrainingSession.Status.SCHEDULED)


@dataclass
class SessionFields:
    kind: str
    title: str
    topic: str
    trainer: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    class_hours: Decimal
    capacity: int | None = None
    hall: Hall | None = None
    enterprise: Enterprise | None = None
    location: str = ""
    institution: Institution | None = None
    campaign: Campaign | None = None


def session_schedule(*, actor: Any, data: SessionFields) -> TrainingSession:
    """Schedule a session, refusing a hall or a trainer already in an overlapping session."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Enter a title.")
    if data.topic not in Topic.values:
        errors["topic"] = _("Choose a topic.")
    if not data.trainer.strip():
        errors["trainer"] = _("Name the trainer.")
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if not 0 < data.class_hours <= MAX_CLASS_HOURS:
        errors["class_hours"] = _("Class hours must be more than zero and at most %(n)s.") % {
            "n": MAX_CLASS_HOURS
        }
    if data.capacity is not None and not 0 < data.capacity <= MAX_CAPACITY:
        errors["capacity"] = _("The capacity must be from 1 to %(n)s.") % {"n": MAX_CAPACITY}
    if data.kind == SessionKind.HALL:
        if data.hall is None:
            errors["hall"] = _("Choose an experience hall.")
    elif data.kind == SessionKind.ONSITE:
        if data.enterprise is None:
            errors["enterprise"] = _("Choose the enterprise where the session takes place.")
        if not data.location.strip():
            errors["location"] = _("Name the workshop or team.")
    else:
        errors["kind"] = _("Choose the kind of session.")
    if errors:
        raise TrainingInvalid(errors)
    institution: Institution | None
    if data.hall is not None:
        base = data.hall.base
        institution = data.institution or base.institution
        city_id, county_id = base.city_id, None
        capacity = data.capacity or data.hall.capacity
        if capacity > data.hall.capacity:
            raise TrainingInvalid(
                {"capacity": _("The hall holds %(n)s people at most.") % {"n": data.hall.capacity}}
            )
    elif data.enterprise is not None:
        institution = data.institution
        city_id, county_id = data.enterprise.city_id, data.enterprise.county_id
        capacity = data.capacity or 0
        if capacity < 1:
            raise TrainingInvalid({"capacity": _("The capacity must be at least 1.")})
    else:
        raise TrainingInvalid({"kind": _("Choose the kind of session.")})
    _require_run(
        actor,
        institution_id=institution.pk if institution else None,
        city_id=city_id,
        county_id=county_id,
    )
    if actor.role == Role.INSTITUTION_STAFF:
        institution = actor.institution
    with transaction.atomic():
        # Serialise scheduling per hall and per institution: the overlap check below and
        # the insert must not interleave with another scheduler's.
        if data.hall is not None:
            Hall.objects.select_for_update().get(pk=data.hall.pk)
        if institution is not None:
            Institution.objects.select_for_update().get(pk=institution.pk)
        overlap = _overlapping(data.starts_at, data.ends_at)
        if data.hall is not None:
            clash = TrainingSession.objects.filter(overlap, hall=data.hall).first()
            if clash:
                raise TrainingInvalid(
                    {
                        "hall": _("The hall is booked by “%(session)s” at that time.")
                        % {"session": clash}
                    }
                )
        trainer_sessions = TrainingSession.objects.filter(overlap, trainer=data.trainer.strip())
        trainer_sessions = (
            trainer_sessions.filter(institution=institution)
            if institution is not None
            else trainer_sessions.filter(city_id=city_id)
        )
        clash = trainer_sessions.first()
        if clash:
            raise TrainingInvalid(
                {
                    "trainer": _("%(trainer)s is teaching “%(session)s” at that time.")
                    % {"trainer": data.trainer.strip(), "session": clash}
                }
            )
        session = TrainingSession.objects.create(
            kind=data.kind,
            title=data.title.strip(),
            topic=data.topic,
            hall=data.hall,
            enterprise=data.enterprise if data.kind == SessionKind.ONSITE else None,
            location=data.location.strip(),
            institution=institution,
            city_id=city_id,
            county_id=county_id,
            campaign=data.campaign,
            trainer=data.trainer.strip(),
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            capacity=capacity,
            class_hours=data.class_hours,
        )
        audit_create(actor, session)
    return session


def session_cancel(*, actor: Any, session: TrainingSession, reason: str) -> TrainingSession:
    if not may_run_session(actor, session):
        raise PermissionDenied(_("Your role cannot run training here."))
    if not reason.strip():
        raise TrainingInvalid({"reason": _("Give a reason for cancelling.")})
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.enrollments.filter(checked_in_at__isnull=False).exists():
            raise TrainingInvalid(
                {"session": _("People have already checked in; the session took place.")}
            )
        before = snapshot(session)
        session.status = TrainingSession.Status.CANCELLED
        session.save(update_fields=["status"])
        audit_update(actor, session, before, reason=reason.strip())
        now = timezone.now()
        for enrollment in session.enrollments.select_for_update().exclude(
            status=Enrollment.Status.CANCELLED
        ):
            e_before = snapshot(enrollment)
            enrollment.status = Enrollment.Status.CANCELLED
            enrollment.cancelled_at = now
            enrollment.save(update_fields=["status", "cancelled_at"])
            audit_update(actor, enrollment, e_before, reason="session cancelled")
    return session


def session_photo_add(
    *, actor: Any, session: TrainingSession, image: UploadedFile, caption: str = ""
) -> SessionPhoto:
    if not may_run_session(actor, session):
        raise PermissionDenied(_("Your role cannot run training here."))
    ext = upload_check(image, field="image", kinds=IMAGE_KINDS)
    path = _store(image, "photos", ext)
    with transaction.atomic():
        photo = SessionPhoto.objects.create(
            session=session, image=path, caption=caption.strip()[:200]
        )
        audit_create(actor, photo)
    return photo


def _store(upload: UploadedFile, folder: str, ext: str) -> str:
    """Save an upload under training/<folder>/<year>/ and return its storage path. The
    extension is the one its content was found to be (`upload_check`), never the sender's."""
    stem = (upload.name or "file").rsplit(".", 1)[0].replace("/", "_").replace("\\", "_")
    path = f"training/{folder}/{timezone.localdate():%Y}/{secrets.token_hex(4)}-{stem[-80:]}.{ext}"
    upload.seek(0)
    return str(default_storage.save(path, upload))


# ---------------------------------------------------------------- uploads

# What a training upload may be, by its content (the name and the declared type are the
# sender's word, not the file's): the extension it is stored and served under.
IMAGE_KINDS = frozenset({"jpg", "png", "webp", "gif"})
VIDEO_KINDS = frozenset({"mp4", "webm", "ogv"})
DOCUMENT_KINDS = frozenset({"pdf", "docx", "xlsx", "pptx"})
UPLOAD_CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
_PILLOW_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
# An Office Open XML file is a zip whose [Content_Types].xml names its main part's type.
_OFFICE_MAIN_TYPES = {
    "docx": "wordprocessingml.document.main+xml",
    "xlsx": "spreadsheetml.sheet.main+xml",
    "pptx": "presentationml.presentation.main+xml",
}


def upload_max_bytes() -> int:
    return int(getattr(settings, "TRAINING_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))


def _sniff(upload: UploadedFile, kinds: frozenset[str]) -> str | None:
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    if "pdf" in kinds and head.startswith(b"%PDF-"):
        return "pdf"
    if "mp4" in kinds and head[4:8] == b"ftyp":
        return "mp4"
    if "webm" in kinds and head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return "webm"
    if "ogv" in kinds and head.startswith(b"OggS"):
        return "ogv"
    if kinds & IMAGE_KINDS:
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(upload) as img:
                found = _PILLOW_FORMATS.get(str(img.format))
                img.verify()
        except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
            found = None
        upload.seek(0)
        if found in kinds:
            return found
    if kinds & set(_OFFICE_MAIN_TYPES) and head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            with zipfile.ZipFile(upload) as archive:
                types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            types = ""
        upload.seek(0)
        for ext, main in _OFFICE_MAIN_TYPES.items():
            if ext in kinds and main in types:
                return ext
    return None


def upload_check(upload: UploadedFile | None, *, field: str, kinds: frozenset[str]) -> str:
    """The kind of an upload, found by its content, or a refusal naming the field: too large,
    empty, or not one of `kinds`."""
    if upload is None or not upload.size:
        raise TrainingInvalid({field: _("Upload the file.")})
    limit = upload_max_bytes()
    if upload.size > limit:
        raise TrainingInvalid(
            {field: _("The file is larger than %(n)s MB.") % {"n": limit // (1024 * 1024)}}
        )
    found = _sniff(upload, kinds)
    if found is None:
        names = "、".join(sorted(k.upper() for k in kinds))
        raise TrainingInvalid(
            {
                field: _("This file is not one of: %(kinds)s (checked by its content).")
                % {"kinds": names}
            }
        )
    return found


# ---------------------------------------------------------------- enrollment


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


# ---------------------------------------------------------------- courses and lessons


def course_create(
    *,
    actor: Any,
    title: str,
    topic: str,
    class_hours: Decimal,
    description: str = "",
    institution: Institution | None = None,
) -> Course:
    if actor.role == Role.INSTITUTION_STAFF:
        institution = actor.institution
    elif actor.role not in (*PROVINCE_WIDE_ROLES, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL):
        raise PermissionDenied(_("Your role cannot create courses."))
    errors = {}
    if not title.strip():
        errors["title"] = _("Enter a title.")
    if topic not in Topic.values:
        errors["topic"] = _("Choose a topic.")
    if not 0 < class_hours <= MAX_CLASS_HOURS:
        errors["class_hours"] = _("Class hours must be more than zero and at most %(n)s.") % {
            "n": MAX_CLASS_HOURS
        }
    if errors:
        raise TrainingInvalid(errors)
    with transaction.atomic():
        course = Course.objects.create(
            title=title.strip(),
            topic=topic,
            class_hours=class_hours,
            description=description.strip(),
            institution=institution,
        )
        audit_create(actor, course)
    return course


def _require_course_owner(actor: Any, course: Course) -> None:
    if actor.role in PROVINCE_WIDE_ROLES:
        return
    if actor.role == Role.INSTITUTION_STAFF and course.institution_id == actor.institution_id:
        return
    if actor.role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL) and course.institution_id is None:
        return
    raise PermissionDenied(_("Your role cannot change this course."))


def lesson_add(
    *,
    actor: Any,
    course: Course,
    title: str,
    kind: str,
    body: str = "",
    file: UploadedFile | None = None,
    minutes: int = 10,
) -> Lesson:
    _require_course_owner(actor, course)
    errors = {}
    if not 1 <= minutes <= 600:
        errors["minutes"] = _("A lesson lasts from 1 to 600 minutes.")
    if not title.strip():
        errors["title"] = _("Enter a title.")
    if kind not in Lesson.Kind.values:
        errors["kind"] = _("Choose text, image or video.")
    elif kind == Lesson.Kind.TEXT and not body.strip():
        errors["body"] = _("Enter the lesson's text.")
    ext = ""
    if kind in (Lesson.Kind.IMAGE, Lesson.Kind.VIDEO):
        try:
            ext = upload_check(
                file, field="file", kinds=IMAGE_KINDS if kind == Lesson.Kind.IMAGE else VIDEO_KINDS
            )
        except TrainingInvalid as exc:
            errors.update(exc.errors)
    if errors:
        raise TrainingInvalid(errors)
    with transaction.atomic():
        position = (
            course.lessons.order_by("-position").values_list("position", flat=True).first() or 0
        ) + 1
        lesson = Lesson.objects.create(
            course=course,
            position=position,
            title=title.strip(),
            kind=kind,
            body=body,
            file=_store(file, "lessons", ext) if file is not None and ext else "",
            minutes=minutes,
        )
        audit_create(actor, lesson)
    return lesson


def trainee_of(user: Any) -> Trainee:
    trainee = Trainee.objects.filter(user=user).first() if user.is_authenticated else None
    if trainee is None:
        raise TrainingInvalid({"trainee": _("Your account is not registered as a trainee.")})
    return trainee


# The lesson page beats every HEARTBEAT_SECONDS while it is open and visible (a video: while it
# plays). The server credits the time it measures between two beats, at most
# HEARTBEAT_CREDIT_MAX_SECONDS: a longer gap means the page was closed or the phone slept, and a
# client cannot claim time by sending a large number.
HEARTBEAT_SECONDS = 15
HEARTBEAT_CREDIT_MAX_SECONDS = 30


def lesson_required_seconds(lesson: Lesson) -> int:
    return int(lesson.minutes) * 60


def _lesson_open(lesson: Lesson) -> None:
    if not lesson.course.is_published:
        raise TrainingInvalid({"course": _("This course is not published.")})


def lesson_heartbeat(
    *,
    actor: Any,
    lesson: Lesson,
    position: float | None = None,
    now: dt.datetime | None = None,
) -> LessonProgress:
    """A beat from the open lesson page. Credits the real time since the previous beat (capped);
    for a video, only as far as the video moved forward in that time (`position`, seconds)."""
    trainee = trainee_of(actor)
    _lesson_open(lesson)
    now = now or timezone.now()
    if position is not None and not (math.isfinite(position) and position >= 0):
        raise TrainingInvalid({"position": _("The video position must be zero or more seconds.")})
    with transaction.atomic():
        progress, created = LessonProgress.objects.select_for_update().get_or_create(
            lesson=lesson, trainee=trainee, defaults={"started_at": now, "last_beat_at": now}
        )
        if created or progress.completed_at is not None:
            return progress
        last = progress.last_beat_at or now
        credit = round(max(0.0, min((now - last).total_seconds(), HEARTBEAT_CREDIT_MAX_SECONDS)))
        if lesson.kind == Lesson.Kind.VIDEO:
            reached = min(int(position or 0), progress.position_seconds + credit)
            credit = max(0, reached - progress.position_seconds)
            progress.position_seconds = max(progress.position_seconds, reached)
        progress.seconds_followed += credit
        progress.last_beat_at = now
        if progress.seconds_followed >= lesson_required_seconds(lesson):
            progress.completed_at = now
            progress.save()
            audit_create(actor, progress)
        else:
            progress.save()
    return progress


def lesson_complete(
    *, actor: Any, lesson: Lesson, now: dt.datetime | None = None
) -> LessonProgress:
    """ "Mark as learnt": accepted only once the lesson was followed for its length."""
    trainee = trainee_of(actor)
    _lesson_open(lesson)
    progress = LessonProgress.objects.filter(lesson=lesson, trainee=trainee).first()
    if progress is not None and progress.completed_at is not None:
        return progress
    done = progress.seconds_followed if progress is not None else 0
    raise TrainingInvalid(
        {
            "lesson": _(
                "You have followed this lesson for %(done)s of %(needed)s minutes; it counts "
                "once you have followed all of it."
            )
            % {"done": done // 60, "needed": lesson.minutes}
        }
    )


# ---------------------------------------------------------------- question bank


@dataclass
class QuestionFields:
    topic: str
    type: str
    stem: str
    options: list[dict[str, str]]
    answer: list[str]
    explanation: str = ""
    basis: str = ""


def _clean_question(data: QuestionFields) -> None:
    errors = {}
    if data.topic not in Topic.values:
        errors["topic"] = _("Choose a topic.")
    if data.type not in QuestionType.values:
        errors["type"] = _("Choose single choice, multiple choice or true/false.")
    if not data.stem.strip():
        errors["stem"] = _("Enter the question.")
    keys = [str(o.get("key", "")).strip() for o in data.options]
    if len(keys) < 2 or any(not k for k in keys) or len(set(keys)) != len(keys):
        errors["options"] = _("Give at least two options with distinct keys.")
    if any(not str(o.get("text", "")).strip() for o in data.options):
        errors["options"] = _("Every option needs a text.")
    if data.type == QuestionType.TRUE_FALSE and sorted(keys) != ["F", "T"]:
        errors["options"] = _("A true/false question has the options T and F.")
    answer = list(data.answer)
    if any(a not in keys for a in answer) or len(set(answer)) != len(answer):
        errors["answer"] = _("The answer must be keys of the options.")
    elif data.type in (QuestionType.SINGLE, QuestionType.TRUE_FALSE) and len(answer) != 1:
        errors["answer"] = _("This type of question has exactly one correct option.")
    elif data.type == QuestionType.MULTIPLE and len(answer) < 2:
        errors["answer"] = _("A multiple-choice question has at least two correct options.")
    if errors:
        raise TrainingInvalid(errors)


def question_save(
    *, actor: Any, data: QuestionFields, question: Question | None = None, code: str = ""
) -> Question:
    """Create a question or edit one. The province owns the shared bank; a region's officials
    and an institution's staff add questions of their own and edit only those
    (`scoping.may_change_question`)."""
    if not can_write(actor) or actor.role not in (
        *PROVINCE_WIDE_ROLES,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.INSTITUTION_STAFF,
    ):
        raise PermissionDenied(_("Your role cannot edit the question bank."))
    if question is not None and not may_change_question(
        actor, region_id=question.region_id, institution_id=question.institution_id
    ):
        raise PermissionDenied(
            _("This question belongs to the province's bank or another owner: add your own.")
        )
    _clean_question(data)
    values = {
        "topic": data.topic,
        "type": data.type,
        "stem": data.stem.strip(),
        "options": [
            {"key": str(o["key"]).strip(), "text": str(o["text"]).strip()} for o in data.options
        ],
        "answer": sorted(data.answer),
        "explanation": data.explanation.strip(),
        "basis": data.basis.strip()[:300],
    }
    with transaction.atomic():
        if question is None:
            code = code.strip() or f"U{secrets.token_hex(3).upper()}"
            if Question.objects.filter(code=code).exists():
                raise TrainingInvalid({"code": _("A question with this code exists.")})
            question = Question.objects.create(
                code=code,
                region=None if actor.role in PROVINCE_WIDE_ROLES else actor.region,
                institution=actor.institution if actor.role == Role.INSTITUTION_STAFF else None,
                **values,
            )
            audit_create(actor, question)
            return question
        before = snapshot(question)
        for key, value in values.items():
            setattr(question, key, value)
        question.save()
        audit_update(actor, question, before)
    return question


def question_bank_import(*, actor: Any, document: dict[str, Any]) -> int:
    """Load the seed bank (data/question_bank.json); existing codes are left alone."""
    existing = set(Question.objects.values_list("code", flat=True))
    new = []
    for item in document.get("questions", []):
        if item["id"] in existing:
            continue
        data = QuestionFields(
            topic=QUESTION_TOPICS[item["topic"]].value,
            type=item["type"],
            stem=item["stem"],
            options=item["options"],
            answer=item["answer"],
            explanation=item.get("explanation", ""),
            basis=item.get("basis", ""),
        )
        _clean_question(data)
        new.append(
            Question(
                code=item["id"],
                topic=data.topic,
                type=data.type,
                stem=data.stem,
                options=data.options,
                answer=sorted(data.answer),
                explanation=data.explanation,
                basis=data.basis[:300],
            )
        )
    with transaction.atomic():
        created = Question.objects.bulk_create(new)
        audit_create_many(actor, created, reason="question bank import")
    return len(created)


# ---------------------------------------------------------------- exams


def exam_create(
    *,
    actor: Any,
    title: str,
    topics: Iterable[str] = (),
    single_count: int = 0,
    multiple_count: int = 0,
    true_false_count: int = 0,
    pass_mark: int | None = None,
    time_limit_minutes: int | None = None,
    max_attempts: int | None = None,
    course: Course | None = None,
    requires_lessons: bool = False,
    required_session: TrainingSession | None = None,
) -> Exam:
    today = timezone.localdate()
    if actor.role == Role.INSTITUTION_STAFF:
        institution = actor.institution
    elif actor.role in (*PROVINCE_WIDE_ROLES, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL):
        institution = course.institution if course else None
    else:
        raise PermissionDenied(_("Your role cannot create exams."))
    topics = [t for t in topics if t]
    pass_mark = pass_mark or int(policy.value("training_exam_pass_mark", today))
    time_limit_minutes = time_limit_minutes or int(
        policy.value("training_exam_time_limit_minutes", today)
    )
    max_attempts = max_attempts or int(policy.value("training_exam_max_attempts", today))
    errors = {}
    if not title.strip():
        errors["title"] = _("Enter a title.")
    if any(t not in Topic.values for t in topics):
        errors["topics"] = _("Choose topics from the list.")
    if single_count + multiple_count + true_false_count < 1:
        errors["single_count"] = _("An exam needs at least one question.")
    if not 1 <= pass_mark <= 100:
        errors["pass_mark"] = _("The pass mark is a percentage from 1 to 100.")
    if not 1 <= time_limit_minutes <= 600:
        errors["time_limit_minutes"] = _("The time limit is from 1 to 600 minutes.")
    if not 1 <= max_attempts <= 100:
        errors["max_attempts"] = _("Allow from 1 to 100 attempts.")
    if not all(0 <= n <= 500 for n in (single_count, multiple_count, true_false_count)):
        errors["single_count"] = _("An exam asks at most 500 questions of each type.")
    if requires_lessons and course is None:
        errors["requires_lessons"] = _("Choose the course whose lessons the exam requires.")
    bank = Question.objects.filter(is_active=True)
    if topics:
        bank = bank.filter(topic__in=topics)
    for kind, wanted, name in (
        (QuestionType.SINGLE, single_count, "single_count"),
        (QuestionType.MULTIPLE, multiple_count, "multiple_count"),
        (QuestionType.TRUE_FALSE, true_false_count, "true_false_count"),
    ):
        have = bank.filter(type=kind).count()
        if wanted > have:
            errors[name] = _("The bank has only %(have)s such questions on these topics.") % {
                "have": have
            }
    if errors:
        raise TrainingInvalid(errors)
    with transaction.atomic():
        exam = Exam.objects.create(
            title=title.strip(),
            course=course,
            institution=institution,
            topics=topics,
            single_count=single_count,
            multiple_count=multiple_count,
            true_false_count=true_false_count,
            pass_mark=pass_mark,
            time_limit_minutes=time_limit_minutes,
            max_attempts=max_attempts,
            requires_lessons=requires_lessons,
            required_session=required_session,
        )
        audit_create(actor, exam)
    return exam


def exam_attempt_start(
    *, actor: Any, exam: Exam, rng: random.Random | None = None, now: dt.datetime | None = None
) -> ExamAttempt:
    """Start an attempt: a fresh random draw from the bank, a deadline set by the server."""
    trainee = trainee_of(actor)
    rng = rng or random.SystemRandom()
    now = now or timezone.now()
    if not exam.is_open:
        raise TrainingInvalid({"exam": _("This exam is closed.")})
    exam_requirements_check(exam=exam, trainee=trainee)
    with transaction.atomic():
        Trainee.objects.select_for_update().get(pk=trainee.pk)
        attempts = ExamAttempt.objects.filter(exam=exam, trainee=trainee)
        open_attempt = attempts.filter(status=ExamAttempt.Status.STARTED, deadline__gt=now).first()
        if open_attempt is not None:
            return open_attempt
        if attempts.filter(passed=True).exists():
            raise TrainingInvalid({"exam": _("You have already passed this exam.")})
        used = attempts.count()
        if used >= exam.max_attempts:
            raise TrainingInvalid(
                {
                    "exam": _("You have used all %(n)s attempts of this exam.")
                    % {"n": exam.max_attempts}
                }
            )
        bank = Question.objects.filter(is_active=True)
        if exam.topics:
            bank = bank.filter(topic__in=exam.topics)
        drawn: list[int] = []
        for kind, count in (
            (QuestionType.SINGLE, exam.single_count),
            (QuestionType.MULTIPLE, exam.multiple_count),
            (QuestionType.TRUE_FALSE, exam.true_false_count),
        ):
            ids = sorted(bank.filter(type=kind).values_list("pk", flat=True))
            if count > len(ids):
                raise TrainingInvalid(
                    {"exam": _("The question bank no longer holds enough questions.")}
                )
            drawn.extend(rng.sample(ids, count))
        attempt = ExamAttempt.objects.create(
            exam=exam,
            trainee=trainee,
            number=used + 1,
            started_at=now,
            deadline=now + dt.timedelta(minutes=exam.time_limit_minutes),
        )
        AttemptItem.objects.bulk_create(
            AttemptItem(attempt=attempt, question_id=qid, position=i + 1)
            for i, qid in enumerate(drawn)
        )
        audit_create(actor, attempt)
    return attempt


def exam_requirements_check(*, exam: Exam, trainee: Trainee) -> None:
    """Refuse an attempt until the trainee has done what the exam requires first."""
    if exam.requires_lessons and exam.course_id:
        lessons = set(Lesson.objects.filter(course_id=exam.course_id).values_list("pk", flat=True))
        done = set(
            LessonProgress.objects.filter(
                trainee=trainee, lesson_id__in=lessons, completed_at__isnull=False
            ).values_list("lesson_id", flat=True)
        )
        if lessons - done:
            raise TrainingInvalid(
                {
                    "exam": _(
                        "Complete every lesson of “%(course)s” first (%(done)s of %(all)s done)."
                    )
                    % {"course": exam.course, "done": len(done), "all": len(lessons)}
                }
            )
    if (
        exam.required_session_id
        and not Enrollment.objects.filter(
            session_id=exam.required_session_id, trainee=trainee, checked_in_at__isnull=False
        ).exists()
    ):
        raise TrainingInvalid(
            {"exam": _("Attend “%(session)s” first.") % {"session": exam.required_session}}
        )


def _grade(question: Question, chosen: list[str]) -> bool:
    return sorted(chosen) == sorted(question.answer)


def exam_attempt_submit(
    *,
    actor: Any,
    attempt: ExamAttempt,
    answers: dict[int, list[str]],
    now: dt.datetime | None = None,
) -> ExamAttempt:
    """Grade an attempt. After the deadline and its grace the answers are refused: the attempt
    is recorded as failed and flagged, and the trainee is told."""
    trainee = trainee_of(actor)
    if attempt.trainee_id != trainee.pk:
        raise PermissionDenied(_("This is not your exam."))
    now = now or timezone.now()
    grace = dt.timedelta(
        seconds=int(policy.value("training_exam_submit_grace_seconds", timezone.localdate()))
    )
    late = False
    with transaction.atomic():
        attempt = ExamAttempt.objects.select_for_update().select_related("exam").get(pk=attempt.pk)
        if attempt.status != ExamAttempt.Status.STARTED:
            raise TrainingInvalid({"attempt": _("This attempt has already been submitted.")})
        before = snapshot(attempt)
        attempt.submitted_at = now
        if now > attempt.deadline + grace:
            late = True
            attempt.status = ExamAttempt.Status.EXPIRED
            attempt.score = Decimal("0.00")
            attempt.passed = False
            attempt.save()
            audit_update(actor, attempt, before, reason="submitted after the time limit")
        else:
            items = list(attempt.items.select_related("question"))
            for item in items:
                chosen = [str(c) for c in answers.get(item.question_id, [])]
                item.chosen = sorted(set(chosen))
                item.correct = _grade(item.question, item.chosen)
            AttemptItem.objects.bulk_update(items, ["chosen", "correct"])
            right = sum(1 for i in items if i.correct)
            attempt.score = (Decimal(right * 100) / Decimal(len(items) or 1)).quantize(
                Decimal("0.01"), rounding=ROUND_HALF_UP
            )
            attempt.passed = attempt.score >= attempt.exam.pass_mark
            attempt.status = ExamAttempt.Status.SUBMITTED
            attempt.save()
            audit_update(actor, attempt, before, reason="submitted")
            if attempt.passed:
                certificate_issue(
                    actor=actor,
                    trainee=trainee,
                    title=attempt.exam.title,
                    attempt=attempt,
                    course=attempt.exam.course,
                    issued_on=timezone.localtime(now).date(),
                )
    if late:
        raise TrainingInvalid(
            {
                "attempt": _(
                    "The time limit ended at %(time)s; the answers were not accepted and the "
                    "attempt counts as failed."
                )
                % {"time": timezone.localtime(attempt.deadline).strftime("%H:%M:%S")}
            }
        )
    return attempt


# ---------------------------------------------------------------- certificates


def _certificate_code(issued_on: dt.date) -> str:
    return f"YF{issued_on:%Y}{secrets.token_hex(5).upper()}"


def certificate_issue(
    *,
    actor: Any,
    trainee: Trainee,
    title: str,
    issued_on: dt.date,
    attempt: ExamAttempt | None = None,
    course: Course | None = None,
) -> Certificate:
    years = int(policy.value("training_certificate_validity_years", issued_on))
    try:
        expires = issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February
        expires = issued_on.replace(year=issued_on.year + years, day=28)
    with transaction.atomic():
        certificate = Certificate.objects.create(
            code=_certificate_code(issued_on),
            trainee=trainee,
            title=title[:200],
            attempt=attempt,
            course=course,
            issued_on=issued_on,
            expires_on=expires,
        )
        audit_create(actor, certificate)
    return certificate


def certificate_revoke(*, actor: Any, certificate: Certificate, reason: str) -> Certificate:
    institution_id = None
    if certificate.attempt_id:
        institution_id = certificate.attempt.exam.institution_id  # type: ignore[union-attr]
    allowed = actor.role in PROVINCE_WIDE_ROLES or (
        actor.role == Role.INSTITUTION_STAFF
        and institution_id is not None
        and institution_id == actor.institution_id
    )
    if actor.role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL) and certificate.trainee.enterprise:
        e = certificate.trainee.enterprise
        allowed = (
            e.city_id if actor.role == Role.CITY_OFFICIAL else e.county_id
        ) == actor.region_id
    if not allowed:
        raise PermissionDenied(_("Your role cannot revoke this certificate."))
    if not reason.strip():
        raise TrainingInvalid({"reason": _("Give a reason for revoking.")})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise TrainingInvalid({"certificate": _("This certificate is already revoked.")})
        before = snapshot(certificate)
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason.strip()[:300]
        certificate.save()
        audit_update(actor, certificate, before, reason=reason.strip())
    return certificate


def certificate_reminders_send(*, today: dt.date | None = None) -> int:
    """Text each holder whose certificate expires soon, once; returns how many were sent."""
    from django.utils.module_loading import import_string

    today = today or timezone.localdate()
    days = int(policy.value("training_certificate_reminder_days", today))
    due = Certificate.objects.filter(
        revoked_at__isnull=True,
        reminded_on__isnull=True,
        expires_on__gte=today,
        expires_on__lte=today + dt.timedelta(days=days),
    ).select_related("trainee")
    backend = import_string(settings.SMS_BACKEND)()
    sent = 0
    for certificate in due:
        with transaction.atomic():
            if certificate.trainee.phone:
                text = _("Your training certificate %(code)s (%(title)s) expires on %(date)s.") % {
                    "code": certificate.code,
                    "title": certificate.title,
                    "date": certificate.expires_on.isoformat(),
                }
                transaction.on_commit(partial(backend.send, certificate.trainee.phone, text))
            before = snapshot(certificate)
            certificate.reminded_on = today
            certificate.save(update_fields=["reminded_on"])
            audit_update(None, certificate, before, reason="recertification reminder")
            sent += 1
    return sent


# ---------------------------------------------------------------- campaigns


def campaign_create(
    *,
    actor: Any,
    name: str,
    region: Region,
    starts_on: dt.date,
    ends_on: dt.date,
    target_enterprises: int,
    target_person_times: int,
    description: str = "",
) -> Campaign:
    allowed = actor.role in PROVINCE_WIDE_ROLES or (
        actor.role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL)
        and actor.region_id in (region.pk, region.city_id, region.county_id)
    )
    if not allowed or not can_write(actor):
        raise PermissionDenied(_("Your role cannot plan campaigns here."))
    errors = {}
    if not name.strip():
        errors["name"] = _("Enter a name.")
    if ends_on < starts_on:
        errors["ends_on"] = _("The campaign must end after it starts.")
    if not 1 <= target_enterprises <= 10**7:
        errors["target_enterprises"] = _("Set a target of at least one enterprise.")
    if not 1 <= target_person_times <= 10**9:
        errors["target_person_times"] = _("Set a target of at least one person-time.")
    if errors:
        raise TrainingInvalid(errors)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name.strip(),
            description=description.strip(),
            region=region,
            city_id=region.pk if region.level == Region.Level.CITY else region.city_id,
            starts_on=starts_on,
            ends_on=ends_on,
            target_enterprises=target_enterprises,
            target_person_times=target_person_times,
        )
        audit_create(actor, campaign)
    return campaign


def _require_campaign_owner(actor: Any, campaign: Campaign) -> None:
    region = campaign.region
    allowed = actor.role in PROVINCE_WIDE_ROLES or (
        actor.role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL)
        and actor.region_id in (region.pk, region.city_id, region.county_id)
    )
    if not allowed or not can_write(actor):
        raise PermissionDenied(_("Your role cannot change this campaign."))


def campaign_link(
    *,
    actor: Any,
    campaign: Campaign,
    enterprises: Iterable[Enterprise] = (),
    courses: Iterable[Course] = (),
    sessions: Iterable[TrainingSession] = (),
) -> Campaign:
    """Add target enterprises, courses and sessions to a campaign."""
    _require_campaign_owner(actor, campaign)
    enterprises, courses, sessions = list(enterprises), list(courses), list(sessions)
    region = campaign.region
    outside = [
        e.name
        for e in enterprises
        if region.level != Region.Level.PROVINCE and region.pk not in (e.city_id, e.county_id)
    ]
    if outside:
        raise TrainingInvalid(
            {
                "enterprises": _("Outside the campaign's region: %(names)s")
                % {"names": "、".join(outside)}
            }
        )
    with transaction.atomic():
        before = snapshot(campaign)
        campaign.enterprises.add(*enterprises)
        campaign.courses.add(*courses)
        for session in sessions:
            s_before = snapshot(session)
            session.campaign = campaign
            session.save(update_fields=["campaign"])
            audit_update(actor, session, s_before, reason=f"linked to campaign {campaign.pk}")
        audit_update(
            actor,
            campaign,
            before,
            reason=f"linked {len(enterprises)} enterprises, {len(courses)} courses",
        )
    return campaign


# ---------------------------------------------------------------- materials and feedback


def material_create(
    *,
    actor: Any,
    title: str,
    kind: str,
    topic: str,
    file: UploadedFile,
    series: str = "",
    authors: str = "",
    publisher: str = "",
    year: int | None = None,
    description: str = "",
) -> Material:
    if actor.role not in (
        *PROVINCE_WIDE_ROLES,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.INSTITUTION_STAFF,
    ) or not can_write(actor):
        raise PermissionDenied(_("Your role cannot publish materials."))
    errors = {}
    if not title.strip():
        errors["title"] = _("Enter a title.")
    if kind not in Material.Kind.values:
        errors["kind"] = _("Choose textbook or handout.")
    if topic not in Topic.values:
        errors["topic"] = _("Choose a topic.")
    ext = ""
    try:
        ext = upload_check(file, field="file", kinds=DOCUMENT_KINDS | IMAGE_KINDS)
    except TrainingInvalid as exc:
        errors.update(exc.errors)
    if year is not None and not 1980 <= year <= timezone.localdate().year + 1:
        errors["year"] = _("Not a plausible year.")
    if errors:
        raise TrainingInvalid(errors)
    with transaction.atomic():
        material = Material.objects.create(
            file=_store(file, "materials", ext),
            title=title.strip(),
            kind=kind,
            topic=topic,
            series=series.strip(),
            authors=authors.strip(),
            publisher=publisher.strip(),
            year=year,
            description=description.strip(),
        )
        audit_create(actor, material)
    return material


def material_download(*, material: Material) -> None:
    """Count a download (an update in the database, so concurrent downloads all count)."""
    Material.objects.filter(pk=material.pk).update(download_count=F("download_count") + 1)


def feedback_submit(
    *, actor: Any, session: TrainingSession, rating: int, comment: str = ""
) -> Feedback:
    trainee = trainee_of(actor)
    if not 1 <= rating <= 5:
        raise TrainingInvalid({"rating": _("Rate from 1 to 5.")})
    if not Enrollment.objects.filter(
        session=session, trainee=trainee, checked_in_at__isnull=False
    ).exists():
        raise TrainingInvalid({"session": _("Only trainees who attended the session can rate it.")})
    with transaction.atomic():
        if Feedback.objects.filter(session=session, trainee=trainee).exists():
            raise TrainingInvalid({"session": _("You have already rated this session.")})
        feedback = Feedback.objects.create(
            session=session, trainee=trainee, rating=rating, comment=comment.strip()[:500]
        )
        audit_create(actor, feedback)
    return feedback
