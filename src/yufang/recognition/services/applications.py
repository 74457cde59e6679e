"""The application for injury recognition and its materials, from the employer or from the
worker, a relative or the union (the public page), and the applicant's answer to the
bureau's one request for what is missing."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping.recognition import may_act_for_enterprise, may_handle_recognition
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.enterprises.models import Enterprise
from yufang.injuries.models import AccidentCategory, BodyPart, CaseKind
from yufang.lib.identifiers import check_id_number, mask_id_number, normalise_id_number
from yufang.lib.protected import id_number_digest, id_number_encrypt
from yufang.recognition import clock
from yufang.recognition.models import (
    OPEN_STATUSES,
    AccidentReport,
    ApplicantKind,
    ApplicationStatus,
    Material,
    MaterialKind,
    RecognitionApplication,
)
from yufang.recognition.services.common import (
    RecognitionInvalid,
    application_url,
    bureau_of,
    event,
    raise_if,
    required_errors,
    tell,
    text_errors,
)

S = ApplicationStatus
IMAGE_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
PHONE_DIGITS = 11


def material_max_bytes() -> int:
    return int(settings.RECOGNITION_MATERIAL_MAX_BYTES)


def required_materials(on: dt.date) -> list[str]:
    return [str(x) for x in policy.value("required_materials", on=on)]


def missing_materials(application: RecognitionApplication) -> list[str]:
    """The required materials (codes) the application has no file of yet."""
    have = set(application.materials.values_list("kind", flat=True))
    return [k for k in required_materials(application.received_on) if k not in have]


def material_labels(codes: list[str]) -> str:
    return "、".join(str(MaterialKind(c).label) for c in codes if c in MaterialKind.values)


def _file_kind(data: bytes) -> str | None:
    """ "pdf", an image extension, or None: judged by the content, never the name."""
    if data.startswith(b"%PDF-"):
        # A PDF ends with its trailer's %%EOF (a few bytes of whitespace may follow).
        return "pdf" if b"%%EOF" in data[-1024:] else None
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
            fmt = probe.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return IMAGE_FORMATS.get(fmt or "")


def _may_add_material(actor: Any, application: RecognitionApplication) -> bool:
    if actor is None:  # the public applicant, matched by the view to their verified phone
        return application.submitted_by_id is None
    if may_handle_recognition(actor, application.enterprise):
        return True
    return bool(
        getattr(actor, "role", None) == Role.SAFETY_MANAGER
        and may_act_for_enterprise(actor, application.enterprise)
    )


def material_add(
    *, actor: Any, application: RecognitionApplication, kind: str, upload: Any
) -> Material:
    """Stores a PDF or image of the application after checking its content and size."""
    if not _may_add_material(actor, application):
        raise PermissionDenied(_("You may not add materials to this application."))
    if kind not in MaterialKind.values:
        raise RecognitionInvalid(_("Unknown kind of material."), "kind")
    if application.status not in OPEN_STATUSES:
        raise RecognitionInvalid(
            _("The application is decided: materials can no longer be added."), "file"
        )
    if upload is None:
        raise RecognitionInvalid(_("Choose a file."), "file")
    limit = material_max_bytes()
    if upload.size is None or upload.size > limit:
        raise RecognitionInvalid(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, "file"
        )
    data = upload.read()
    ext = _file_kind(data)
    if ext is None:
        raise RecognitionInvalid(_("The file is not a PDF or a photo (JPEG, PNG, WebP)."), "file")
    name = str(getattr(upload, "name", "") or f"material.{ext}")[-200:]
    with transaction.atomic():
        path = default_storage.save(
            f"recognition/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{ext}",
            ContentFile(data),
        )
        material = Material.objects.create(
            application=application,
            kind=kind,
            file_path=path,
            original_name=name,
            size=len(data),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        audit_create(actor, material)
    return material


def _choice(value: str, choices: Any, field: str, errors: dict[str, str]) -> str:
    value = (value or "").strip()
    if value not in choices.values:
        errors[field] = _("Choose one of the listed values.")
    return value


def application_submit(
    *,
    actor: Any,
    enterprise: Enterprise,
    applicant_kind: str,
    applicant_name: str,
    worker_name: str,
    worker_id_number: str,
    accident_date: dt.date | None,
    accident_place: str,
    description: str,
    injury: str,
    kind: str,
    accident_category: str,
    body_part: str,
    occupational_disease: str = "",
    is_death: bool = False,
    applicant_phone: str = "",
    accident_report: AccidentReport | None = None,
    late_reason: str = "",
    pause_claimed: bool = False,
    materials: list[tuple[str, Any]] | None = None,
    today: dt.date | None = None,
) -> RecognitionApplication:
    """Receives an application. `actor` None is the public page's applicant (worker,
    relative or union) with the phone the page verified. After the time limit it is
    received only with the reason, and flagged late; a worker, relative or union may add that
    time was lost through no fault of theirs (`pause_claimed`, R10 第七条), for the bureau to
    decide by recording the pause. Missing materials do not stop it: the
    bureau asks once for everything missing, and accepts only a complete file."""
    today = today or timezone.localdate()
    if actor is not None:
        if not may_act_for_enterprise(actor, enterprise):
            raise PermissionDenied(_("You may not apply for this enterprise."))
        if actor.role == Role.SAFETY_MANAGER:
            applicant_kind = ApplicantKind.EMPLOYER
    elif applicant_kind == ApplicantKind.EMPLOYER:
        raise RecognitionInvalid(_("An employer applies from its own account."), "applicant_kind")
    errors = required_errors(
        applicant_name=applicant_name,
        worker_name=worker_name,
        accident_place=accident_place,
        description=description,
        injury=injury,
    )
    errors.update(
        text_errors(
            applicant_name=applicant_name,
            worker_name=worker_name,
            accident_place=accident_place,
            description=description,
            injury=injury,
            late_reason=late_reason,
            occupational_disease=occupational_disease,
        )
    )
    _choice(applicant_kind, ApplicantKind, "applicant_kind", errors)
    _choice(kind, CaseKind, "kind", errors)
    _choice(accident_category, AccidentCategory, "accident_category", errors)
    _choice(body_part, BodyPart, "body_part", errors)
    if (kind == CaseKind.OCCUPATIONAL_DISEASE) != bool(occupational_disease.strip()):
        errors["occupational_disease"] = (
            _("Name the occupational disease.")
            if kind == CaseKind.OCCUPATIONAL_DISEASE
            else _("Only an occupational-disease application names a disease.")
        )
    number = normalise_id_number(worker_id_number or "")
    if not number:
        errors["worker_id_number"] = _("The injured worker's ID number is required.")
    elif not check_id_number(number, today=today).ok:
        errors["worker_id_number"] = _("Not a valid resident ID number.")
    phone = (applicant_phone or "").strip()
    if phone and (not phone.isdigit() or len(phone) != PHONE_DIGITS):
        errors["applicant_phone"] = _("A mobile number has 11 digits.")
    if accident_report is not None and accident_report.enterprise_id != enterprise.pk:
        errors["accident_report"] = _("The accident report is of another enterprise.")
    if accident_date is None:
        errors["accident_date"] = _("Give the date of the accident or diagnosis.")
    elif accident_date > today:
        errors["accident_date"] = _("The accident date lies in the future.")
    elif accident_date < clock.rules_start("employer_application_days"):
        errors["accident_date"] = _(
            "The accident lies before %(date)s, before the rules in force."
        ) % {"date": clock.rules_start("employer_application_days").isoformat()}
    else:
        limit = clock.application_limit(
            accident_date=accident_date,
            applicant_kind=applicant_kind
            if applicant_kind in ApplicantKind.values
            else ApplicantKind.EMPLOYER,
            extended_until=accident_report.extended_until if accident_report else None,
            enterprise=enterprise,
        )
        if today <= limit:
            pause_claimed = False
        elif not late_reason.strip():
            errors["late_reason"] = _(
                "The time limit to apply ran out on %(date)s. Give the reason for applying "
                "late: the application is then received and flagged as late."
            ) % {"date": limit.isoformat()}
    for material_kind, _upload in materials or []:
        if material_kind not in MaterialKind.values:
            errors["kind"] = _("Unknown kind of material.")
    if applicant_kind == ApplicantKind.EMPLOYER:
        pause_claimed = False
    raise_if(errors)
    if accident_date is None:  # already in `errors`; said again for the type checker
        raise RecognitionInvalid(_("Give the date of the accident or diagnosis."), "accident_date")
    with transaction.atomic():
        application = RecognitionApplication.objects.create(
            enterprise=enterprise,
            accident_report=accident_report,
            applicant_kind=applicant_kind,
            applicant_name=applicant_name.strip(),
            applicant_phone=phone,
            submitted_by=actor,
            worker_name=worker_name.strip(),
            worker_id_digest=id_number_digest(number),
            worker_id_encrypted=id_number_encrypt(number),
            worker_id_masked=mask_id_number(number),
            accident_date=accident_date,
            accident_place=accident_place.strip(),
            description=description.strip(),
            injury=injury.strip(),
            kind=kind,
            occupational_disease=occupational_disease.strip(),
            accident_category=accident_category,
            body_part=body_part,
            is_death=bool(is_death),
            received_on=today,
            late_reason=late_reason.strip(),
            pause_claimed=bool(pause_claimed),
        )
        audit_create(actor, application)
        event(application, frm="", actor=actor, note=application.late_reason)
        for material_kind, upload in materials or []:
            if upload is not None:
                material_add(
                    actor=actor, application=application, kind=material_kind, upload=upload
                )
        late = clock.application_is_late(application)
        title = _("Injury recognition application: %(worker)s, %(enterprise)s") % {
            "worker": application.worker_name,
            "enterprise": enterprise.name,
        }
        if late:
            title += " " + _("(late, with a reason)")
        if application.pause_claimed:
            title += " " + _("(claims time lost through no fault: for the bureau to decide)")
        tell(bureau_of(enterprise), title=title, url=application_url(application))
    return application


def application_supplement(
    *, actor: Any, application: RecognitionApplication, note: str = ""
) -> RecognitionApplication:
    """The applicant says the requested materials are in: the bureau's check starts again."""
    if not _may_add_material(actor, application):
        raise PermissionDenied(_("You may not answer for this application."))
    if application.status != S.MATERIALS_REQUESTED:
        raise RecognitionInvalid(_("The bureau has not asked for materials."), "status")
    raise_if(text_errors(note=note))
    have = set(application.materials.values_list("kind", flat=True))
    still = [k for k in application.requested_materials if k not in have]
    if still:
        raise RecognitionInvalid(
            _("Still missing: %(materials)s. Upload them first.")
            % {"materials": material_labels(still)},
            "materials",
        )
    with transaction.atomic():
        before = snapshot(application)
        frm = application.status
        application.status = S.SUBMITTED
        application.supplemented_on = timezone.localdate()
        application.save(update_fields=["status", "supplemented_on", "updated_at"])
        audit_update(actor, application, before, reason="materials supplemented")
        event(application, frm=frm, actor=actor, note=note.strip())
        tell(
            bureau_of(application.enterprise),
            title=_("Materials supplemented: %(worker)s, %(enterprise)s")
            % {"worker": application.worker_name, "enterprise": application.enterprise.name},
            url=application_url(application),
        )
    return application
