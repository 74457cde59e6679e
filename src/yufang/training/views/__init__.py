"""HTML pages of the training domain. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from yufang.training.views.bases import (
    base,
    bases_view,
)
from yufang.training.views.campaigns import (
    campaign,
    campaigns_view,
)
from yufang.training.views.certificates import (
    certificate,
    certificate_pdf,
    certificates_view,
    verify,
)
from yufang.training.views.common import (
    PLANNERS,
    RUNNERS,
    _attempt,
    _date,
    _datetime,
    _decimal,
    _field_labels,
    _int,
    _labelled,
    _page,
    _row_errors,
)
from yufang.training.views.courses import (
    _lesson_of,
    _progress_json,
    _upload_response,
    course,
    courses_view,
    lesson,
    lesson_file,
    lesson_heartbeat,
    photo,
)
from yufang.training.views.exams import (
    attempt,
    exam,
    exams_view,
)
from yufang.training.views.materials import (
    material_download,
    materials_view,
)
from yufang.training.views.overview import (
    index,
)
from yufang.training.views.questions import (
    _question_fields,
    question_edit,
    question_new,
    questions_view,
)
from yufang.training.views.sessions import (
    _back_to_session,
    _booking_message,
    _check_in_messages,
    _check_in_page,
    check_in,
    check_in_group,
    check_in_session,
    enrollment_cancel,
    enrollment_check_in,
    enrollment_qr,
    my_enrollments,
    roster_template,
    session,
    session_book,
    session_cancel,
    session_check_in,
    session_feedback,
    session_group_qr,
    session_new,
    session_photo,
    session_qr,
    session_sign_up,
    sessions_view,
)
from yufang.training.views.statistics import (
    statistics,
)
from yufang.training.views.targeting import (
    targeting,
)
from yufang.training.views.trainees import (
    trainee,
    trainees_view,
)

__all__ = [
    "PLANNERS",
    "RUNNERS",
    "_attempt",
    "_back_to_session",
    "_booking_message",
    "_check_in_messages",
    "_check_in_page",
    "_date",
    "_datetime",
    "_decimal",
    "_field_labels",
    "_int",
    "_labelled",
    "_lesson_of",
    "_page",
    "_progress_json",
    "_question_fields",
    "_row_errors",
    "_upload_response",
    "attempt",
    "base",
    "bases_view",
    "campaign",
    "campaigns_view",
    "certificate",
    "certificates_view",
    "certificate_pdf",
    "verify",
    "check_in",
    "check_in_group",
    "check_in_session",
    "course",
    "courses_view",
    "enrollment_cancel",
    "enrollment_check_in",
    "enrollment_qr",
    "exam",
    "exams_view",
    "index",
    "lesson",
    "lesson_file",
    "lesson_heartbeat",
    "material_download",
    "materials_view",
    "my_enrollments",
    "question_edit",
    "question_new",
    "questions_view",
    "roster_template",
    "session_book",
    "session_cancel",
    "session_check_in",
    "session",
    "session_feedback",
    "session_group_qr",
    "sessions_view",
    "session_new",
    "session_photo",
    "photo",
    "session_qr",
    "session_sign_up",
    "statistics",
    "targeting",
    "trainee",
    "trainees_view",
]
