"""Training materials and trainees' feedback on sessions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.training import may_publish_materials
from yufang.audit.services import audit_create
from yufang.support.topics import Topic
from yufang.training.models import (
    Enrollment,
    Feedback,
    Material,
    TrainingSession,
)
from yufang.training.services.common import (
    TrainingInvalid,
)
from yufang.training.services.courses import (
    trainee_of,
)
from yufang.training.services.uploads import (
    DOCUMENT_KINDS,
    IMAGE_KINDS,
    _store,
    upload_check,
)


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
    if not may_publish_materials(actor):
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
