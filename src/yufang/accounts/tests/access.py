"""Who may do what: the declared expectation for every page and API operation.

Each endpoint names ONE rule (below, in RULES) and the kind of record its URL points at. A
rule gives, for each role and for the anonymous visitor, what happens with a record INSIDE the
user's scope and one OUTSIDE it (for an endpoint without a record: the same call twice):

- `ok`     served (or refused for its input: 400/409/422, i.e. past the scope check)
- `404`    not found: the platform's answer for a record outside the scope
- `403`    the role may not do this at all
- `denied` 403 or 404 (a role with no business here)
- `login`  anonymous: sent to the sign-in page (pages) or 401 (API)

A page, an API operation or a declaration without a counterpart fails
`test_every_endpoint_has_a_declared_expectation`.
"""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps

from yufang.accounts.tests.access_base import (  # noqa: F401 - the matrix reads them from here
    ANONYMOUS,
    API_PARAM_KINDS,
    PROVINCE_WIDE,
    ROLES,
    SHOWS_ANY_SCOPE,
    Op,
    Page,
    rule,
)

RULES: dict[str, dict[str, tuple[str, str]]] = {
    # Campaigns are planned by the province, and by a city official for the city's own.
    "campaign_planner": rule("403/403", province="ok/ok", city="ok/ok", admin="ok/ok"),
    # A region's notice issuer: the province for any, a city official for the city's own.
    "issuer_config": rule("403/403", province="ok/ok", city="ok/404", admin="ok/ok"),
    # Officials manage accounts in their region: outside it 404; others 403/404.
    "account_manager": rule(
        "404/404",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        grid_worker="403/404",
        auditor="403/403",
        admin="ok/ok",
    ),
    # Who carries out an assessment in scope; outside 404; others 403.
    "assessor_write": rule(
        "ok/404",
        province="ok/ok",
        safety_manager="403/404",
        liaison="403/404",
        worker="403/404",
        auditor="403/403",
        admin="ok/ok",
    ),
    # The campaign's officials (city up) link sessions.
    "campaign_owner_write": rule(
        "404/404",
        province="ok/ok",
        city="ok/404",
        county="403/404",
        auditor="403/403",
        admin="ok/ok",
    ),
    # Campaigns: officials of the region and province-wide roles.
    "campaign_reader": rule(
        "404/404", province="ok/ok", city="ok/404", county="ok/404", auditor="ok/ok", admin="ok/ok"
    ),
    # Officials (county up) record cases; others 403 (institution staff 404).
    "case_create": rule(
        "403/403",
        province="ok/ok",
        city="ok/ok",
        county="ok/ok",
        institution="404/404",
        admin="ok/ok",
    ),
    # Injury cases: officials, grid workers and safety managers in scope.
    "case_reader": rule(
        "ok/404",
        province="ok/ok",
        institution="404/404",
        worker="404/404",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # Officials (county up) change injury cases in their region; outside 404.
    "case_writer": rule(
        "403/404",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        institution="404/404",
        worker="404/404",
        auditor="403/403",
        admin="ok/ok",
    ),
    # A certificate's PDF: scoped_read_not_institution, and liaisons neither.
    "certificate_pdf": rule(
        "ok/404",
        province="ok/ok",
        institution="404/404",
        liaison="404/404",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # The course's owner (institution staff) or province-wide writers add lessons.
    "course_owner_write": rule("403/403", province="ok/ok", institution="ok/403", admin="ok/ok"),
    # The enrollment's trainee, its enterprise or the session's runners cancel it.
    "enrollment_changer": rule(
        "ok/404",
        province="ok/ok",
        county="403/404",
        grid_worker="403/404",
        liaison="403/404",
        auditor="403/403",
        admin="ok/ok",
    ),
    # The enterprise's safety manager books its people; outside 404.
    "enterprise_books": rule(
        "403/404", province="403/403", safety_manager="ok/404", auditor="403/403", admin="403/403"
    ),
    # Officials and grid workers register enterprises.
    "enterprise_create": rule(
        "ok/ok",
        safety_manager="403/403",
        institution="403/403",
        liaison="403/403",
        worker="403/403",
        auditor="403/403",
    ),
    # The enterprise's own people (safety manager, worker).
    "enterprise_people": rule("403/403", safety_manager="ok/ok", worker="ok/ok"),
    # Officials, the grid worker of its grid and its safety manager change an enterprise; outside 404.
    "enterprise_writer": rule(
        "ok/404",
        province="ok/ok",
        institution="404/404",
        liaison="403/404",
        worker="403/404",
        auditor="403/403",
        admin="ok/ok",
    ),
    # The region an escalation went to answers it (the county here); others 404; auditor 403.
    "escalation_answerer": rule(
        "404/404", province="ok/ok", county="ok/404", auditor="403/403", admin="ok/ok"
    ),
    # Rectification evidence: the enterprise's safety manager only.
    "evidence_upload": rule(
        "403/404",
        province="403/403",
        safety_manager="ok/404",
        institution="404/404",
        auditor="403/403",
        admin="403/403",
    ),
    # The group QR of an enterprise in a session: its safety manager; staff must name the enterprise (404 without).
    "group_code_page": rule(
        "404/404",
        county="403/404",
        grid_worker="403/404",
        safety_manager="ok/404",
        liaison="403/404",
        worker="403/404",
        auditor="403/403",
    ),
    # Officials in scope and the enterprise set a rectification plan.
    "hazard_planner": rule(
        "ok/404",
        province="ok/ok",
        grid_worker="403/404",
        institution="404/404",
        liaison="403/404",
        worker="403/404",
        auditor="403/403",
        admin="ok/ok",
    ),
    # Officials (county up) reveal an ID number in scope; the administrator may not.
    "id_reveal": rule(
        "403/404",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        institution="404/404",
        worker="404/404",
        auditor="403/403",
        admin="403/403",
    ),
    # Enterprise registry imports: officials, grid workers and the administrator (the
    # importer's roles); anyone else 403 before the file is read.
    "enterprise_importer": rule(
        "403/403",
        province="ok/ok",
        city="ok/ok",
        county="ok/ok",
        grid_worker="ok/ok",
        admin="ok/ok",
    ),
    # Inspectors (officials, grid workers, institution staff) start hazards and assessments.
    "inspector_create": rule(
        "ok/ok", safety_manager="403/403", liaison="403/403", worker="403/403", auditor="403/403"
    ),
    # Exams are one catalogue: everyone signed in reads the open ones; an institution's staff
    # only their institution's.
    "exam_reader": rule("ok/ok", institution="ok/404"),
    # The question bank: training staff read it all; others have no business (404).
    "question_bank_reader": rule(
        "ok/ok",
        grid_worker="404/404",
        safety_manager="404/404",
        liaison="404/404",
        worker="404/404",
    ),
    # A question is changed by its owner (an institution's staff, a region's officials) or
    # province-wide writers; the others' questions are refused (403); non-staff 404.
    "question_owner_write": rule(
        "404/404",
        province="ok/ok",
        city="403/403",
        county="403/403",
        institution="ok/403",
        auditor="403/403",
        admin="ok/ok",
    ),
    # Who runs training (bases, sessions), creates courses and publishes materials: officials
    # (county up), the province-wide writers and institution staff; others 403 before their
    # input is read.
    "training_runner_create": rule(
        "ok/ok",
        grid_worker="403/403",
        safety_manager="403/403",
        liaison="403/403",
        worker="403/403",
        auditor="403/403",
    ),
    # Campaigns are planned by officials (county up) for their region and the province.
    "campaign_create": rule(
        "403/403", province="ok/ok", city="ok/ok", county="ok/ok", admin="ok/ok"
    ),
    # A notice issuer's seal: to those who configure its region (the province, the city's
    # own official, the administrator); anyone else 404.
    "issuer_seal": rule("404/404", province="ok/ok", city="ok/404", admin="ok/ok"),
    # Officials (county up) and the administrator.
    "official_create": rule(
        "403/403", province="ok/ok", city="ok/ok", county="ok/ok", admin="ok/ok"
    ),
    # Officials (county up) write in their region; outside 404; others 403/404.
    "official_write": rule(
        "403/404",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        institution="404/404",
        auditor="403/403",
        admin="ok/ok",
    ),
    # Officials (county up), auditor and administrator.
    "officials_and_auditors_read": rule(
        "ok/ok",
        grid_worker="403/403",
        safety_manager="403/403",
        institution="403/403",
        liaison="403/403",
        worker="403/403",
    ),
    # Officials (city and province) and institution staff create; others 403.
    "officials_and_institution_create": rule(
        "ok/ok",
        grid_worker="403/403",
        safety_manager="403/403",
        liaison="403/403",
        worker="403/403",
        auditor="403/403",
    ),
    # The user's own record; anyone else's is 404, for every role.
    "own_only": rule("ok/404"),
    # A form's target: GET is 405 once signed in.
    "post_only": rule("405/405"),
    # A form's target that answers 405 to GET for anyone.
    "post_only_public": rule("405/405", anonymous="405/405"),
    # Province, city and administrator configure (checklists, notice issuers).
    "province_and_city_config": rule("403/403", province="ok/ok", city="ok/ok", admin="ok/ok"),
    # Province official, auditor and administrator.
    "province_wide_read": rule("403/403", province="ok/ok", auditor="ok/ok", admin="ok/ok"),
    # Province official and administrator only.
    "province_write": rule("403/403", province="ok/ok", admin="ok/ok"),
    # Anyone, signed in or not (sign-in, verification of certificates and notices).
    "public": rule("ok/ok", anonymous="ok/ok"),
    # A record in the user's scope (institution staff: assigned to their institution); outside it 404; province-wide roles see all.
    "scoped_read": rule("ok/404", province="ok/ok", auditor="ok/ok", admin="ok/ok"),
    # As scoped_read, but institution staff have no business with the record.
    "scoped_read_not_institution": rule(
        "ok/404", province="ok/ok", institution="404/404", auditor="ok/ok", admin="ok/ok"
    ),
    # Who runs training sessions (officials of the city up, the institution): in scope ok, outside 404; other roles 403.
    "session_runner_write": rule(
        "403/404",
        province="ok/ok",
        city="ok/404",
        institution="ok/404",
        auditor="403/403",
        admin="ok/ok",
    ),
    # Any signed-in user; lists and dashboards filter to the user's scope (the outside record's text never shows).
    "signed_in": rule("ok/ok"),
    # Signing out: every session ends signed out.
    "signs_out": rule("login/login"),
    # Who targets training: officials, grid workers, institution staff, auditor.
    "targeting_read": rule("ok/ok", safety_manager="403/403", liaison="403/403", worker="403/403"),
    # Check-in by signed code: session runners; a code of another city's session is 403 (the code itself proves the record).
    "token_check_in": rule(
        "403/403", province="ok/ok", city="ok/403", institution="ok/403", admin="ok/ok"
    ),
    # An import job is its uploader's alone: anyone else gets 404.
    "uploader_only": rule("404/404", county="ok/404"),
    # A worker signs up for a session in scope; others 403.
    "worker_signs_up": rule(
        "403/404", province="403/403", worker="ok/404", auditor="403/403", admin="403/403"
    ),
}

# fmt: off
_PAGE_KINDS: dict[str, tuple[str | None, dict[str, str]]] = {
    "accounts:login": (None, {}), "accounts:logout": (None, {}),
    "accounts:users": (None, {}), "accounts:user_new": (None, {}),
    "accounts:user_active": ("user", {}), "accounts:user_unlock": ("user", {}),
    "accounts:user_password": ("user", {}), "accounts:password_change": (None, {}),
    "audit:entries": (None, {}),
    "regions:index": (None, {}), "regions:grids": (None, {}),
    "regions:map": (None, {"level": "county"}), "regions:pilot": ("city", {}),
    "industries:industries": (None, {}), "industries:industry": ("industry", {}),
    "enterprises:enterprises": (None, {}), "enterprises:enterprise_new": (None, {}), "enterprises:mine": (None, {}),
    "enterprises:options": (None, {"kind": "township"}), "enterprises:pick": (None, {}),
    "enterprises:enterprise": ("enterprise", {}), "enterprises:enterprise_edit": ("enterprise", {}),
    "imports:jobs": (None, {}), "imports:job_new": (None, {"kind": "enterprises"}),
    "imports:template": (None, {"kind": "enterprises"}),
    "imports:job": ("job", {}), "imports:job_remap": ("job", {}), "imports:job_confirm": ("job", {}),
    "imports:job_cancel": ("job", {}), "imports:job_progress": ("job", {}),
    "injuries:dashboard": (None, {}), "injuries:rates": (None, {}),
    "injuries:targets": (None, {}), "injuries:priority": (None, {}),
    "injuries:cases": (None, {}), "injuries:case_new": (None, {}),
    "injuries:case": ("case", {}), "injuries:case_edit": ("case", {}),
    "injuries:case_delete": ("case", {}), "injuries:case_reveal": ("case", {}),
    "injuries:headcounts": (None, {}),
    "hazards:index": (None, {}), "hazards:hazards": (None, {}), "hazards:hazard_new": (None, {}),
    "hazards:hazard": ("hazard", {}), "hazards:photo": ("photo", {}),
    "hazards:queue": (None, {}), "hazards:board": (None, {}), "hazards:map": (None, {}),
    "hazards:escalations": (None, {}), "hazards:escalation_answer": ("escalation", {}),
    "hazards:assessments": (None, {}), "hazards:assessment_new": (None, {}),
    "hazards:assessment": ("assessment", {}), "hazards:assessment_fill": ("assessment", {}),
    "hazards:assessment_cancel": ("assessment", {}),
    "hazards:checklists": (None, {}), "hazards:checklist": ("checklist", {}),
    "hazards:checklist_edit": ("checklist", {}),
    "hazards:notice_issuers": (None, {}), "hazards:notice_issuer_seal": ("issuer", {}),
    "hazards:notice_pdf": ("notice", {}), "hazards:notice_verify": ("notice_token", {}),
    "hazards:statistics": (None, {}),
    "hazards:statistics_period": (None, {"kind": "year", "start": "2025-01-01"}),
    "training:index": (None, {}), "training:sessions": (None, {}),
    "training:session_new": (None, {}), "training:session": ("session", {}),
    "training:session_book": ("session", {}), "training:session_check_in": ("session", {}),
    "training:session_group_qr": ("session", {}), "training:roster_template": (None, {}),
    "training:check_in_group": ("group_token", {}), "training:session_sign_up": ("session", {}),
    "training:session_cancel": ("session", {}), "training:session_photo": ("session", {}),
    "training:session_feedback": ("session", {}), "training:session_qr": ("session", {}),
    "training:enrollment_cancel": ("enrollment", {}),
    "training:enrollment_check_in": ("enrollment", {}),
    "training:enrollment_qr": ("enrollment", {}),
    "training:check_in_session": ("session_token", {}),
    "training:check_in": ("enrollment_token", {}),
    "training:my_enrollments": (None, {}),
    "training:bases": (None, {}), "training:base": ("base", {}),
    "training:trainees": (None, {}), "training:trainee": ("trainee", {}),
    "training:courses": (None, {}), "training:course": ("course", {}),
    "training:lesson": ("lesson", {}), "training:lesson_heartbeat": ("lesson", {}),
    "training:lesson_file": ("lesson", {}), "training:photo": ("session_photo", {}),
    "training:questions": (None, {}), "training:question_new": (None, {}),
    "training:question_edit": ("question", {}),
    "training:exams": (None, {}), "training:exam": ("exam", {}),
    "training:attempt": ("attempt", {}),
    "training:certificates": (None, {}), "training:verify": ("certificate_code", {}),
    "training:certificate": ("certificate", {}), "training:certificate_pdf": ("certificate", {}),
    "training:campaigns": (None, {}), "training:campaign": ("campaign", {}),
    "training:targeting": (None, {}), "training:materials": (None, {}),
    "training:material_download": ("material", {}), "training:statistics": (None, {}),
    "notifications:inbox": (None, {}), "notifications:read_all": (None, {}),
    "notifications:open": ("notification", {}),
    "notifications:phone_verify": (None, {}),
    "home:index": (None, {}),
}
# fmt: on


# Page name -> (rule of GET, rule of POST or None when the page takes no form).
# fmt: off
_PAGE_RULES: dict[str, tuple[str, str | None]] = {
    "accounts:login": ("public", "public"),
    "accounts:logout": ("post_only_public", "signs_out"),
    "accounts:users": ("signed_in", None),
    "accounts:user_new": ("official_create", "official_create"),
    "accounts:user_active": ("post_only", "account_manager"),
    "accounts:user_unlock": ("post_only", "account_manager"),
    "accounts:user_password": ("account_manager", "account_manager"),
    "accounts:password_change": ("signed_in", "signed_in"),
    "audit:entries": ("province_wide_read", None),
    "regions:index": ("signed_in", None),
    "regions:grids": ("signed_in", None),
    "regions:map": ("signed_in", None),
    "regions:pilot": ("post_only", "province_write"),
    "industries:industries": ("signed_in", None),
    "industries:industry": ("signed_in", "province_write"),
    "enterprises:enterprises": ("signed_in", None),
    "enterprises:enterprise_new": ("enterprise_create", "enterprise_create"),
    "enterprises:mine": ("enterprise_people", None),
    "enterprises:options": ("signed_in", None),
    "enterprises:pick": ("signed_in", None),
    "enterprises:enterprise": ("scoped_read_not_institution", "scoped_read_not_institution"),
    "enterprises:enterprise_edit": ("enterprise_writer", "enterprise_writer"),
    "imports:jobs": ("signed_in", None),
    "imports:job_new": ("enterprise_importer", "enterprise_importer"),
    "imports:template": ("signed_in", None),
    "imports:job": ("uploader_only", None),
    "imports:job_remap": ("post_only", "uploader_only"),
    "imports:job_confirm": ("post_only", "uploader_only"),
    "imports:job_cancel": ("post_only", "uploader_only"),
    "imports:job_progress": ("uploader_only", None),
    "injuries:dashboard": ("signed_in", None),
    "injuries:rates": ("signed_in", None),
    "injuries:targets": ("signed_in", None),
    "injuries:priority": ("signed_in", None),
    "injuries:cases": ("signed_in", None),
    "injuries:case_new": ("official_create", "official_create"),
    "injuries:case": ("case_reader", None),
    "injuries:case_edit": ("case_writer", "case_writer"),
    "injuries:case_delete": ("post_only", "case_writer"),
    "injuries:case_reveal": ("post_only", "id_reveal"),
    "injuries:headcounts": ("signed_in", "signed_in"),
    "hazards:index": ("signed_in", None),
    "hazards:hazards": ("signed_in", None),
    "hazards:hazard_new": ("inspector_create", "inspector_create"),
    "hazards:hazard": ("scoped_read_not_institution", "scoped_read_not_institution"),
    "hazards:photo": ("scoped_read_not_institution", None),
    "hazards:queue": ("signed_in", None),
    "hazards:board": ("officials_and_auditors_read", None),
    "hazards:map": ("signed_in", None),
    "hazards:escalations": ("signed_in", "escalation_answerer"),
    "hazards:escalation_answer": ("post_only_public", "escalation_answerer"),
    "hazards:assessments": ("signed_in", None),
    "hazards:assessment_new": ("inspector_create", "inspector_create"),
    "hazards:assessment": ("scoped_read", "scoped_read"),
    "hazards:assessment_fill": ("scoped_read", "scoped_read"),
    "hazards:assessment_cancel": ("post_only_public", "assessor_write"),
    "hazards:checklists": ("signed_in", None),
    "hazards:checklist": ("signed_in", None),
    "hazards:checklist_edit": ("province_and_city_config", "province_and_city_config"),
    "hazards:notice_issuers": ("province_and_city_config", "province_and_city_config"),
    "hazards:notice_issuer_seal": ("issuer_seal", None),
    "hazards:notice_pdf": ("scoped_read_not_institution", None),
    "hazards:notice_verify": ("public", None),
    "hazards:statistics": ("signed_in", "official_create"),
    "hazards:statistics_period": ("signed_in", None),
    "training:index": ("signed_in", None),
    "training:sessions": ("signed_in", None),
    "training:session_new": ("officials_and_institution_create", "officials_and_institution_create"),
    "training:session": ("scoped_read", None),
    "training:session_book": ("post_only", "enterprise_books"),
    "training:session_check_in": ("post_only", "session_runner_write"),
    "training:session_group_qr": ("group_code_page", None),
    "training:roster_template": ("signed_in", None),
    "training:check_in_group": ("signed_in", "token_check_in"),
    "training:session_sign_up": ("post_only", "worker_signs_up"),
    "training:session_cancel": ("post_only", "session_runner_write"),
    "training:session_photo": ("post_only", "scoped_read"),
    "training:session_feedback": ("post_only", "scoped_read"),
    "training:session_qr": ("session_runner_write", None),
    "training:enrollment_cancel": ("post_only", "enrollment_changer"),
    "training:enrollment_check_in": ("post_only", "session_runner_write"),
    "training:enrollment_qr": ("scoped_read", None),
    "training:check_in_session": ("signed_in", "signed_in"),
    "training:check_in": ("signed_in", "token_check_in"),
    "training:my_enrollments": ("signed_in", None),
    "training:bases": ("signed_in", "training_runner_create"),
    "training:base": ("scoped_read", "session_runner_write"),
    "training:trainees": ("signed_in", None),
    "training:trainee": ("scoped_read", None),
    "training:courses": ("signed_in", "training_runner_create"),
    "training:course": ("signed_in", "course_owner_write"),
    "training:lesson": ("signed_in", "signed_in"),
    "training:lesson_file": ("signed_in", None),
    "training:photo": ("scoped_read", None),
    "training:lesson_heartbeat": ("post_only", "signed_in"),
    "training:questions": ("signed_in", None),
    "training:question_new": ("signed_in", "officials_and_institution_create"),
    "training:question_edit": ("question_bank_reader", "question_owner_write"),
    "training:exams": ("signed_in", "officials_and_institution_create"),
    "training:exam": ("exam_reader", "exam_reader"),
    "training:attempt": ("scoped_read", "scoped_read"),
    "training:certificates": ("signed_in", None),
    "training:verify": ("public", None),
    "training:certificate": ("scoped_read_not_institution", "official_write"),
    "training:certificate_pdf": ("certificate_pdf", None),
    "training:campaigns": ("signed_in", "campaign_create"),
    "training:campaign": ("campaign_reader", "campaign_owner_write"),
    "training:targeting": ("targeting_read", None),
    "training:materials": ("signed_in", "training_runner_create"),
    "training:material_download": ("signed_in", None),
    "training:statistics": ("signed_in", None),
    "notifications:inbox": ("signed_in", None),
    "notifications:read_all": ("post_only", "signed_in"),
    "notifications:phone_verify": ("public", "public"),
    "notifications:open": ("own_only", None),
    "home:index": ("signed_in", None),
}
# fmt: on
# Pages whose form, not their URL, names the record: the form sent with each side's record.
_PAGE_FORMS: dict[str, dict[str, str]] = {
    "hazards:escalations": {"escalation": "{escalation}", "answer": "已安排复查"},
}
PAGES = {
    name: Page(kind, *_PAGE_RULES[name], args=args, form=_PAGE_FORMS.get(name, {}))  # type: ignore[misc]
    for name, (kind, args) in _PAGE_KINDS.items()
}

# fmt: off
OPERATIONS: dict[tuple[str, str], Op] = {
    ("DELETE", "/api/v1/auth/token"): Op("signs_out"),
    ("DELETE", "/api/v1/injuries/cases/{case_id}"): Op("case_writer", kind="case_to_delete"),
    ("GET", "/api/v1/audit"): Op("signed_in"),
    ("GET", "/api/v1/auth/me"): Op("signed_in"),
    ("GET", "/api/v1/enterprises"): Op("signed_in"),
    ("GET", "/api/v1/enterprises/{enterprise_id}"): Op("scoped_read_not_institution"),
    ("GET", "/api/v1/enterprises/{enterprise_id}/headcounts"): Op("scoped_read_not_institution"),
    ("GET", "/api/v1/grids"): Op("signed_in"),
    ("GET", "/api/v1/hazards/assessments"): Op("signed_in"),
    ("GET", "/api/v1/hazards/assessments/{assessment_id}"): Op("scoped_read"),
    ("GET", "/api/v1/hazards/assessments/{assessment_id}/measurements"): Op("scoped_read"),
    ("GET", "/api/v1/hazards/board"): Op("signed_in"),
    ("GET", "/api/v1/hazards/checklists"): Op("signed_in"),
    ("GET", "/api/v1/hazards/checklists/{checklist_id}"): Op("signed_in"),
    ("GET", "/api/v1/hazards/escalations"): Op("signed_in"),
    ("GET", "/api/v1/hazards/hazards"): Op("signed_in"),
    ("GET", "/api/v1/hazards/hazards/{hazard_id}"): Op("scoped_read_not_institution"),
    ("GET", "/api/v1/hazards/hazards/{hazard_id}/photos"): Op("scoped_read_not_institution"),
    ("GET", "/api/v1/hazards/issuers"): Op("province_and_city_config"),
    ("POST", "/api/v1/hazards/issuers/{region}"): Op("issuer_config"),
    ("GET", "/api/v1/hazards/open-topics"): Op("signed_in"),
    ("GET", "/api/v1/hazards/statistics"): Op("signed_in"),
    ("GET", "/api/v1/imports/jobs"): Op("signed_in"),
    ("GET", "/api/v1/imports/jobs/{job_id}"): Op("uploader_only"),
    ("GET", "/api/v1/imports/jobs/{job_id}/errors"): Op("uploader_only"),
    ("GET", "/api/v1/imports/jobs/{job_id}/preview"): Op("uploader_only"),
    ("GET", "/api/v1/imports/kinds"): Op("signed_in"),
    ("GET", "/api/v1/imports/kinds/{kind}/template"): Op("signed_in"),
    ("GET", "/api/v1/industries"): Op("signed_in"),
    ("GET", "/api/v1/industries/{code}"): Op("signed_in"),
    ("GET", "/api/v1/industries/{code}/risk-classes"): Op("signed_in"),
    ("GET", "/api/v1/injuries/cases"): Op("signed_in"),
    ("GET", "/api/v1/injuries/cases/{case_id}"): Op("case_reader"),
    ("GET", "/api/v1/injuries/dashboard"): Op("signed_in"),
    ("GET", "/api/v1/injuries/headcounts"): Op("signed_in"),
    ("GET", "/api/v1/injuries/priority"): Op("signed_in"),
    ("GET", "/api/v1/injuries/rates"): Op("signed_in"),
    ("GET", "/api/v1/injuries/targets"): Op("signed_in"),
    ("GET", "/api/v1/notifications"): Op("signed_in"),
    ("GET", "/api/v1/notifications/unread"): Op("signed_in"),
    ("POST", "/api/v1/notifications/phone-codes"): Op("public"),
    ("POST", "/api/v1/notifications/phone-codes/check"): Op("public"),
    ("GET", "/api/v1/regions"): Op("signed_in"),
    ("GET", "/api/v1/regions/{code}"): Op("scoped_read_not_institution"),
    ("GET", "/api/v1/training/attempts/{attempt_id}"): Op("scoped_read"),
    ("GET", "/api/v1/training/bases"): Op("signed_in"),
    ("GET", "/api/v1/training/bases/{base_id}/halls"): Op("scoped_read"),
    ("GET", "/api/v1/training/campaigns"): Op("signed_in"),
    ("GET", "/api/v1/training/campaigns/{campaign_id}"): Op("campaign_reader"),
    ("GET", "/api/v1/training/card"): Op("signed_in"),
    ("GET", "/api/v1/training/certificates"): Op("signed_in"),
    ("GET", "/api/v1/training/certificates/verify/{code}"): Op("public"),
    ("GET", "/api/v1/training/certificates/{certificate_id}"): Op("scoped_read_not_institution"),
    ("GET", "/api/v1/training/courses"): Op("signed_in"),
    ("GET", "/api/v1/training/courses/{course_id}"): Op("signed_in"),
    ("GET", "/api/v1/training/enrollments"): Op("signed_in"),
    ("GET", "/api/v1/training/enrollments/{enrollment_id}/check-in-code"): Op("scoped_read"),
    ("GET", "/api/v1/training/exams"): Op("signed_in"),
    ("GET", "/api/v1/training/exams/{exam_id}/results"): Op("exam_reader"),
    ("GET", "/api/v1/training/feedback/scores"): Op("signed_in"),
    ("GET", "/api/v1/training/key-people"): Op("signed_in"),
    ("GET", "/api/v1/training/materials"): Op("signed_in"),
    ("GET", "/api/v1/training/question-statistics"): Op("signed_in"),
    ("GET", "/api/v1/training/questions"): Op("signed_in"),
    ("GET", "/api/v1/training/recommendations"): Op("signed_in"),
    ("GET", "/api/v1/training/roster-template"): Op("signed_in"),
    ("GET", "/api/v1/training/sessions"): Op("signed_in"),
    ("GET", "/api/v1/training/sessions/{session_id}"): Op("scoped_read"),
    ("GET", "/api/v1/training/sessions/{session_id}/check-in-code"): Op("session_runner_write"),
    ("GET", "/api/v1/training/sessions/{session_id}/enrollments"): Op("scoped_read"),
    ("GET", "/api/v1/training/sessions/{session_id}/group-code"): Op("group_code_page"),
    ("GET", "/api/v1/training/statistics"): Op("signed_in"),
    ("GET", "/api/v1/training/targeting"): Op("signed_in"),
    ("GET", "/api/v1/training/trainees"): Op("signed_in"),
    ("GET", "/api/v1/training/trainees/{trainee_id}"): Op("scoped_read"),
    ("PATCH", "/api/v1/enterprises/{enterprise_id}"): Op("enterprise_writer"),
    ("POST", "/api/v1/auth/password"): Op("signed_in"),
    ("POST", "/api/v1/auth/token"): Op("public"),
    ("POST", "/api/v1/auth/users/{user_id}/password"): Op("account_manager"),
    ("POST", "/api/v1/auth/users/{user_id}/unlock"): Op("account_manager"),
    ("POST", "/api/v1/enterprises"): Op("enterprise_create"),
    ("POST", "/api/v1/hazards/assessments"): Op("inspector_create"),
    ("POST", "/api/v1/hazards/assessments/{assessment_id}/answers"): Op("assessor_write"),
    ("POST", "/api/v1/hazards/assessments/{assessment_id}/cancel"): Op("assessor_write"),
    ("POST", "/api/v1/hazards/assessments/{assessment_id}/complete"): Op("assessor_write"),
    ("POST", "/api/v1/hazards/assessments/{assessment_id}/measurements"): Op("assessor_write"),
    ("POST", "/api/v1/hazards/assessments/{assessment_id}/photos"): Op("assessor_write"),
    ("POST", "/api/v1/hazards/checklists/{checklist_id}/versions"): Op("province_and_city_config"),
    ("POST", "/api/v1/hazards/escalations/{escalation_id}/answer"): Op("escalation_answerer"),
    ("POST", "/api/v1/hazards/hazards"): Op("inspector_create"),
    ("POST", "/api/v1/hazards/hazards/{hazard_id}/photos"): Op("evidence_upload"),
    ("POST", "/api/v1/hazards/hazards/{hazard_id}/plan"): Op("hazard_planner"),
    ("POST", "/api/v1/hazards/hazards/{hazard_id}/transitions"): Op("scoped_read_not_institution"),
    ("POST", "/api/v1/hazards/notices"): Op("officials_and_institution_create"),
    ("POST", "/api/v1/hazards/statistics"): Op("official_create"),
    ("POST", "/api/v1/imports/jobs"): Op("enterprise_importer", body={"kind": "enterprises"}),
    ("POST", "/api/v1/imports/jobs/{job_id}/cancel"): Op("uploader_only"),
    ("POST", "/api/v1/imports/jobs/{job_id}/confirm"): Op("uploader_only"),
    ("POST", "/api/v1/industries/{code}/risk-classes"): Op("province_write"),
    ("POST", "/api/v1/injuries/cases"): Op("case_create"),
    ("POST", "/api/v1/injuries/cases/{case_id}/reveal"): Op("id_reveal"),
    ("POST", "/api/v1/notifications/read"): Op("signed_in"),
    ("POST", "/api/v1/training/attempts/{attempt_id}/submit"): Op("scoped_read"),
    ("POST", "/api/v1/training/bases"): Op("training_runner_create"),
    ("POST", "/api/v1/training/bases/{base_id}/halls"): Op("session_runner_write"),
    ("POST", "/api/v1/training/campaigns"): Op(
        "campaign_planner",
        body={
            "name": "矩阵活动",
            "region": "370200",
            "starts_on": "2030-01-01",
            "ends_on": "2030-02-01",
            "target_enterprises": 1,
            "target_person_times": 1,
        },
    ),
    ("POST", "/api/v1/training/campaigns/{campaign_id}/links"): Op("campaign_owner_write"),
    ("POST", "/api/v1/training/certificates/{certificate_id}/revoke"): Op("official_write"),
    ("POST", "/api/v1/training/check-in"): Op("signed_in"),
    ("POST", "/api/v1/training/check-in/group"): Op("signed_in"),
    ("POST", "/api/v1/training/check-in/session"): Op("signed_in"),
    ("POST", "/api/v1/training/courses"): Op("officials_and_institution_create"),
    ("POST", "/api/v1/training/courses/{course_id}/lessons"): Op("course_owner_write"),
    ("POST", "/api/v1/training/enrollments/{enrollment_id}/cancel"): Op("enrollment_changer"),
    ("POST", "/api/v1/training/enrollments/{enrollment_id}/check-in"): Op("session_runner_write"),
    ("POST", "/api/v1/training/exams"): Op("officials_and_institution_create"),
    ("POST", "/api/v1/training/exams/{exam_id}/attempts"): Op("exam_reader"),
    ("POST", "/api/v1/training/lessons/{lesson_id}/complete"): Op("signed_in"),
    ("POST", "/api/v1/training/lessons/{lesson_id}/heartbeat"): Op("signed_in"),
    ("POST", "/api/v1/training/materials"): Op("officials_and_institution_create"),
    ("POST", "/api/v1/training/questions"): Op("officials_and_institution_create"),
    ("POST", "/api/v1/training/sessions"): Op("training_runner_create"),
    ("POST", "/api/v1/training/sessions/{session_id}/book"): Op("enterprise_books"),
    ("POST", "/api/v1/training/sessions/{session_id}/cancel"): Op("session_runner_write"),
    ("POST", "/api/v1/training/sessions/{session_id}/check-in"): Op("scoped_read"),
    ("POST", "/api/v1/training/sessions/{session_id}/feedback"): Op("scoped_read"),
    ("POST", "/api/v1/training/sessions/{session_id}/photos"): Op("session_runner_write"),
    ("POST", "/api/v1/training/sessions/{session_id}/roster"): Op("enterprise_books"),
    ("POST", "/api/v1/training/sessions/{session_id}/sign-up"): Op("worker_signs_up"),
    ("PUT", "/api/v1/enterprises/{enterprise_id}"): Op("enterprise_writer"),
    ("PUT", "/api/v1/enterprises/{enterprise_id}/headcounts/{year}"): Op("official_write"),
    ("PUT", "/api/v1/imports/jobs/{job_id}/mapping"): Op("uploader_only"),
    ("PUT", "/api/v1/injuries/cases/{case_id}"): Op("case_writer"),
    ("PUT", "/api/v1/injuries/headcounts/{enterprise_id}/{year}"): Op("official_write"),
    ("PUT", "/api/v1/training/questions/{question_id}"): Op("question_owner_write"),
}
# fmt: on


def module_declarations() -> list[object]:
    """Each app's own `tests/access.py` (a programme module's pages and operations are
    declared beside the module): it may define RULES, PAGES, OPERATIONS, API_PARAM_KINDS and
    `build_records(world, records)`."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.access"
        if not config.name.startswith("yufang.") or name == __name__:
            continue
        if importlib.util.find_spec(f"{config.name}.tests") is None:
            continue
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name))
    return found


for _module in module_declarations():
    for _name, _target in (
        ("RULES", RULES),
        ("PAGES", PAGES),
        ("OPERATIONS", OPERATIONS),
        ("API_PARAM_KINDS", API_PARAM_KINDS),
    ):
        _theirs = getattr(_module, _name, {})
        _clash = set(_theirs) & set(_target)
        assert not _clash, f"{_module.__name__} declares {_name} already declared: {_clash}"
        _target.update(_theirs)
