"""HTML pages of the recognition module, one module per audience. Thin: parse, call a service
or a selector, render. Domain errors come back as the form's error list."""

from yufang.recognition.views.pages import (
    application_detail,
    application_new,
    index,
    letter,
    material,
    report_detail,
    report_new,
)
from yufang.recognition.views.public import public_application, public_apply, public_letter

__all__ = [
    "application_detail",
    "application_new",
    "index",
    "letter",
    "material",
    "public_application",
    "public_apply",
    "public_letter",
    "report_detail",
    "report_new",
]
