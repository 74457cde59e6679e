"""HTML pages of the training domain. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from yufang.training.views.bases import (
    base_detail,
    base_list,
)
from yufang.training.views.campaigns import (
    campaign_detail,
    campaign_list,
)
from yufang.training.views.certificates import (
    certificate_detail,
    certificate_list,
    certificate_pdf,
    certificate_verify,
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
    course_detail,
    course_list,
    lesson_detail,
    lesson_file,
    lesson_heartbeat,
    session_photo_file,
)
from yufang.training.views.exams import (
    attempt_detail,
    exam_detail,
    exam_list,
)
from yufang.training.views.materials import (
    material_download,
    material_list,
)
from yufang.training.views.overview import (
    index,
)
from yufang.training.views.questions import (
    _question_fields,
    question_edit,
    question_list,
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
    session_book,
    session_cancel,
    session_check_in_many,
    session_detail,
    session_feedback,
    session_group_qr,
    session_list_view,
    session_new,
    session_photo,
    session_qr,
    session_sign_up,
)
from yufang.training.views.statistics import (
    statistics,
)
from yufang.training.views.targeting import (
    targeting,
)
from yufang.training.views.trainees import (
    trainee_detail,
    trainee_list,
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
    "attempt_detail",
    "base_detail",
    "base_list",
    "campaign_detail",
    "campaign_list",
    "certificate_detail",
    "certificate_list",
    "certificate_pdf",
    "certificate_verify",
    "check_in",
    "check_in_group",
    "check_in_session",
    "course_detail",
    "course_list",
    "enrollment_cancel",
    "enrollment_check_in",
    "enrollment_qr",
    "exam_detail",
    "exam_list",
    "index",
    "lesson_detail",
    "lesson_file",
    "lesson_heartbeat",
    "material_download",
    "material_list",
    "my_enrollments",
    "question_edit",
    "question_list",
    "roster_template",
    "session_book",
    "session_cancel",
    "session_check_in_many",
    "session_detail",
    "session_feedback",
    "session_group_qr",
    "session_list_view",
    "session_new",
    "session_photo",
    "session_photo_file",
    "session_qr",
    "session_sign_up",
    "statistics",
    "targeting",
    "trainee_detail",
    "trainee_list",
]
