"""Builders of recognition records for tests: through the services, as a user would."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from yufang.lib.identifiers import id_number_check_character
from yufang.recognition import services
from yufang.recognition.models import AccidentReport, RecognitionApplication


def id_number(n: int = 1) -> str:
    body = f"37021119850101{n % 1000:03d}"
    return body + id_number_check_character(body)


def png_upload(name: str = "diagnosis.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "form.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def manager_of(enterprise: Any) -> Any:
    from yufang.accounts.models import Role
    from yufang.tests.factories import persona

    return persona(Role.SAFETY_MANAGER, enterprise=enterprise)


def insured(enterprise: Any) -> None:
    """Headcounts for this year and the last: an injury case needs its enterprise insured."""
    from yufang.tests.factories import HeadcountFactory

    year = timezone.localdate().year
    for y in (year - 1, year):
        HeadcountFactory(enterprise=enterprise, year=y)


def report(actor: Any, enterprise: Any, *, hours_ago: float = 0.5, **extra: Any) -> AccidentReport:
    values: dict[str, Any] = {
        "occurred_at": timezone.now() - dt.timedelta(hours=hours_ago),
        "place": "二车间冲压线",
        "description": "操作工右手被冲床压伤",
        "serious_injuries": 1,
        **extra,
    }
    return services.report_create(actor=actor, enterprise=enterprise, **values)


def application_values(**extra: Any) -> dict[str, Any]:
    return {
        "applicant_kind": "employer",
        "applicant_name": "安全主管",
        "worker_name": "李四",
        "worker_id_number": id_number(7),
        "accident_date": timezone.localdate() - dt.timedelta(days=3),
        "accident_place": "二车间",
        "description": "上午9时，冲床误动作压伤右手",
        "injury": "右手食指骨折",
        "kind": "work_injury",
        "accident_category": "03",
        "body_part": "hand",
        **extra,
    }


ALL_MATERIALS = ("application_form", "employment_proof", "diagnosis")


def application(
    actor: Any, enterprise: Any, *, materials: tuple[str, ...] = ALL_MATERIALS, **extra: Any
) -> RecognitionApplication:
    return services.application_submit(
        actor=actor,
        enterprise=enterprise,
        materials=[(k, pdf_upload(f"{k}.pdf")) for k in materials],
        **application_values(**extra),
    )
