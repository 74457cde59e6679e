"""Who may do what in the recognition module: its pages and API operations, for the
authorization matrix (`accounts/tests/test_authorization_matrix.py`)."""

from __future__ import annotations

from typing import Any

from yufang.accounts.tests.access_base import Op, Page, rule

RULES = {
    # Lists and the board: the bureau (officials, province-wide), the enterprise, the auditor.
    "recognition_list": rule(
        "403/403",
        province="ok/ok",
        city="ok/ok",
        county="ok/ok",
        safety_manager="ok/ok",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # New reports and applications: the enterprise (its own) and the bureau; no auditor.
    "recognition_create": rule(
        "403/403",
        province="ok/ok",
        city="ok/ok",
        county="ok/ok",
        safety_manager="ok/ok",
        admin="ok/ok",
    ),
    # One report or application: its enterprise, the bureau of its region, the auditor.
    "recognition_read": rule(
        "403/403",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        safety_manager="ok/404",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # Acting on one as the applicant (materials, the answer, an extension asked): its
    # enterprise and the bureau of its region; the auditor reads only.
    "recognition_act": rule(
        "403/403",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        safety_manager="ok/404",
        admin="ok/ok",
    ),
    # The bureau's steps (request, accept, refuse, suspend, resume, decide, extension
    # approval): the bureau of its region only; its enterprise may not (403).
    "recognition_handle": rule(
        "403/403",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        safety_manager="403/404",
        admin="ok/ok",
    ),
}

PAGES = {
    "recognition:index": Page(None, "recognition_list"),
    "recognition:report_new": Page(None, "recognition_create", "recognition_create"),
    "recognition:report_detail": Page("accident_report", "recognition_read", "recognition_act"),
    "recognition:application_new": Page(None, "recognition_create", "recognition_create"),
    "recognition:application_detail": Page(
        "recognition_application", "recognition_read", "recognition_act"
    ),
    "recognition:letter": Page("recognition_application", "recognition_read"),
    "recognition:material": Page("recognition_material", "recognition_read"),
    # The public pages send a visitor without a verified phone to the phone check.
    "recognition:public_apply": Page(None, "public", "public"),
    "recognition:public_application": Page("recognition_application", "public", "public"),
    "recognition:public_letter": Page("recognition_application", "public"),
}

_R = "/api/v1/recognition"
OPERATIONS = {
    ("GET", f"{_R}/reports"): Op("recognition_list"),
    ("POST", f"{_R}/reports"): Op("recognition_create"),
    ("GET", f"{_R}/reports/{{report_id}}"): Op("recognition_read"),
    ("POST", f"{_R}/reports/{{report_id}}/extension-request"): Op("recognition_act"),
    ("POST", f"{_R}/reports/{{report_id}}/extension-approval"): Op("recognition_handle"),
    ("GET", f"{_R}/applications"): Op("recognition_list"),
    ("POST", f"{_R}/applications"): Op("recognition_create"),
    ("GET", f"{_R}/applications/{{application_id}}"): Op("recognition_read"),
    ("GET", f"{_R}/applications/{{application_id}}/letter"): Op("recognition_read"),
    ("POST", f"{_R}/applications/{{application_id}}/materials"): Op("recognition_act"),
    ("POST", f"{_R}/applications/{{application_id}}/supplement"): Op("recognition_act"),
    ("POST", f"{_R}/applications/{{application_id}}/request-materials"): Op("recognition_handle"),
    ("POST", f"{_R}/applications/{{application_id}}/accept"): Op("recognition_handle"),
    ("POST", f"{_R}/applications/{{application_id}}/refuse"): Op("recognition_handle"),
    ("POST", f"{_R}/applications/{{application_id}}/suspend"): Op("recognition_handle"),
    ("POST", f"{_R}/applications/{{application_id}}/resume"): Op("recognition_handle"),
    ("POST", f"{_R}/applications/{{application_id}}/decide"): Op("recognition_handle"),
    ("POST", f"{_R}/applications/{{application_id}}/limit-pauses"): Op("recognition_handle"),
}

API_PARAM_KINDS = {
    "report_id": "accident_report",
    "application_id": "recognition_application",
}


def build_records(world: Any, records: Any) -> None:
    """A decided application (not recognised, so no injury case is needed) with its report and
    a file, in Qingdao (黄岛区) and in Jinan; the Jinan ones carry `OUTSIDE` in their texts."""
    from yufang.accounts.models import Role
    from yufang.accounts.tests.records import OUTSIDE
    from yufang.recognition import services
    from yufang.recognition.tests import factories as f
    from yufang.tests.factories import persona

    sides = (
        (
            records.inside,
            world.people[Role.SAFETY_MANAGER],
            world.people[Role.COUNTY_OFFICIAL],
            world.enterprise,
            "",
        ),
        (
            records.outside,
            persona(Role.SAFETY_MANAGER, enterprise=world.jinan_enterprise),
            world.jinan_city_official,
            world.jinan_enterprise,
            OUTSIDE,
        ),
    )
    for side, manager, official, enterprise, mark in sides:
        report = f.report(manager, enterprise, place=mark + "二车间")
        application = f.application(
            manager, enterprise, accident_report=report, worker_name=mark + "李四"
        )
        services.application_accept(actor=official, application=application)
        services.application_decide(
            actor=official, application=application, recognised=False, reason=mark + "不符合"
        )
        side["accident_report"] = report.pk
        side["recognition_application"] = application.pk
        side["recognition_material"] = application.materials.first().pk  # type: ignore[union-attr]
