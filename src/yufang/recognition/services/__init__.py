"""Writes of the recognition module, by subject: the accident report (`reports`), the
application and its materials (`applications`), the bureau's steps (`bureau`) and the
deadline warnings (`warnings`). Every step is audited and notified."""

from yufang.recognition.services.applications import (
    application_submit,
    application_supplement,
    material_add,
    material_labels,
    material_max_bytes,
    missing_materials,
    required_materials,
)
from yufang.recognition.services.bureau import (
    application_accept,
    application_decide,
    application_pause_record,
    application_refuse,
    application_request_materials,
    application_resume,
    application_suspend,
    case_number_default,
)
from yufang.recognition.services.common import TEXT_LIMITS, RecognitionInvalid
from yufang.recognition.services.reports import (
    report_create,
    report_extension_approve,
    report_extension_request,
)
from yufang.recognition.services.warnings import warnings_send

__all__ = [
    "TEXT_LIMITS",
    "RecognitionInvalid",
    "application_accept",
    "application_decide",
    "application_pause_record",
    "application_refuse",
    "application_request_materials",
    "application_resume",
    "application_submit",
    "application_supplement",
    "application_suspend",
    "case_number_default",
    "material_add",
    "material_labels",
    "material_max_bytes",
    "missing_materials",
    "report_create",
    "report_extension_approve",
    "report_extension_request",
    "required_materials",
    "warnings_send",
]
