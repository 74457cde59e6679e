"""Rectification notices (整改通知书) and the authority that issues them."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.hazards import INSPECTORS, may_configure_issuer
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.hazards.models import (
    OPEN_STATUSES,
    Hazard,
    NoticeIssuer,
    RectificationNotice,
)
from yufang.hazards.selectors import notice_issuer_for
from yufang.hazards.services.core import (
    HazardInvalid,
    _managers_of,
    _may_act_on,
)
from yufang.notifications.services import notify
from yufang.regions.models import Region


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


SEAL_MAX_BYTES = 2 * 1024 * 1024


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
