"""Bases, halls and sessions: scheduling without double booking, cancelling, photos."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.models import Role
from yufang.accounts.scoping import (
    institution_city_id,
)
from yufang.accounts.scoping.institutions import institution_refused, may_pick_institution
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.organisations.models import Institution
from yufang.regions.models import Region
from yufang.support.topics import Topic
from yufang.training.models import (
    Campaign,
    Enrollment,
    Hall,
    SessionKind,
    SessionPhoto,
    TrainingBase,
    TrainingSession,
)
from yufang.training.services.common import (
    MAX_CAPACITY,
    MAX_CLASS_HOURS,
    TrainingInvalid,
)
from yufang.training.services.permissions import (
    _require_run,
    may_run_session,
)
from yufang.training.services.uploads import (
    IMAGE_KINDS,
    _store,
    upload_check,
)


def base_create(
    *, actor: Any, name: str, city: Region, address: str, institution: Institution
) -> TrainingBase:
    own_city = institution_city_id(actor)
    if own_city is not None and city.pk != own_city:
        raise TrainingInvalid({"city": _("An institution's bases are in its own city.")})
    _require_run(actor, institution_id=institution.pk, city_id=city.pk)
    if not may_pick_institution(actor, institution.pk):
        raise TrainingInvalid({"institution": institution_refused()})
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
