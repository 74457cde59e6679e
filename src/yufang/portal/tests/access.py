"""The portal's pages and API operations in the authorization matrix
(`accounts/tests/test_authorization_matrix.py`): who may do what, inside and outside their
scope. Rules: `accounts/scoping/portal.py`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from yufang.accounts.tests.access_base import Op, Page, rule

RULES = {
    # The enterprise's safety manager and the bureau's side (officials, auditor, administrator)
    # read; lists filter to the scope; other roles have no business (403).
    "portal_reader": rule(
        "403/403",
        province="ok/ok",
        city="ok/ok",
        county="ok/ok",
        safety_manager="ok/ok",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # The enterprise's own safety manager submits (requests, roster changes); nobody else.
    "portal_enterprise_only": rule("403/403", safety_manager="ok/ok"),
    # The bureau's side: officials, auditor and administrator.
    "portal_bureau": rule(
        "403/403", province="ok/ok", city="ok/ok", county="ok/ok", auditor="ok/ok", admin="ok/ok"
    ),
    # Officials (county up) and the administrator record the bureau's data; the auditor reads.
    "portal_bureau_write": rule(
        "403/403", province="ok/ok", city="ok/ok", county="ok/ok", admin="ok/ok"
    ),
    # A request or roster change: its enterprise's safety manager and the bureau in scope.
    "portal_record_read": rule(
        "403/403",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        safety_manager="ok/404",
        auditor="ok/ok",
        admin="ok/ok",
    ),
    # Officials in scope decide; the enterprise and the auditor may read but not decide.
    "portal_decide": rule(
        "403/403",
        province="ok/ok",
        city="ok/404",
        county="ok/404",
        safety_manager="403/404",
        admin="ok/ok",
    ),
    # The enterprise's own record it changes (a self-assessment it answers): its safety
    # manager; the bureau reads it (403), out of scope it is absent (404).
    "portal_own_write": rule("403/403", city="403/404", county="403/404", safety_manager="ok/404"),
    # A record of the bureau's (premiums paid): the bureau's side reads it in scope.
    "portal_bureau_record_read": rule(
        "403/403", province="ok/ok", city="ok/404", county="ok/404", auditor="ok/ok", admin="ok/ok"
    ),
    # Officials in scope correct it; the auditor reads only.
    "portal_bureau_record_write": rule(
        "403/403", province="ok/ok", city="ok/404", county="ok/404", admin="ok/ok"
    ),
    # A city's floating-rate run: the province-wide roles and the city's officials; a county
    # official reads the runs of the county only.
    "portal_run_read": rule(
        "403/403", province="ok/ok", city="ok/404", county="404/404", auditor="ok/ok", admin="ok/ok"
    ),
    "portal_run_review": rule(
        "403/403", province="ok/ok", city="ok/404", county="404/404", admin="ok/ok"
    ),
    # Running a city's floating rate: the province-wide writers and that city's officials.
    "portal_run_city": rule("403/403", province="ok/ok", city="ok/ok", admin="ok/ok"),
}

API_PARAM_KINDS = {
    "request_id": "change_request",
    "roster_change_id": "roster_change",
    "run_id": "rate_run",
    "self_assessment_id": "self_assessment",
}

PAGES = {
    "portal:home": Page(None, "portal_reader"),
    "portal:inbox": Page(None, "portal_reader"),
    "portal:requests": Page(None, "portal_reader"),
    "portal:request_new": Page(None, "portal_enterprise_only", "portal_enterprise_only"),
    "portal:request_detail": Page("change_request", "portal_record_read"),
    "portal:request_decide": Page("change_request", "post_only", "portal_decide"),
    "portal:request_evidence": Page("change_request", "portal_record_read"),
    "portal:roster": Page(None, "portal_enterprise_only", "portal_enterprise_only"),
    "portal:roster_decide": Page("roster_change", "post_only", "portal_decide"),
    "portal:self_assessments": Page(None, "portal_reader"),
    "portal:self_assessment_new": Page(None, "portal_enterprise_only", "portal_enterprise_only"),
    "portal:self_assessment": Page("self_assessment", "portal_record_read"),
    "portal:desk": Page(None, "portal_bureau"),
    "portal:premiums": Page(None, "portal_bureau"),
    "portal:premium_new": Page(None, "portal_bureau_write", "portal_bureau_write"),
    "portal:premium": Page("premium", "portal_bureau_record_read", "portal_bureau_record_write"),
    "portal:rate_runs": Page(None, "portal_bureau", "portal_bureau"),
    "portal:rate_run": Page("rate_run", "portal_run_read"),
    "portal:rate_run_review": Page("rate_run", "post_only", "portal_run_review"),
}

_P = "/api/v1/portal"
# A refusal without its note: refused for its input once past the scope and role checks.
_REFUSAL = {"approve": False, "note": ""}
OPERATIONS = {
    ("GET", f"{_P}/requests"): Op("portal_reader"),
    ("POST", f"{_P}/requests"): Op("portal_enterprise_only"),
    ("GET", f"{_P}/requests/{{request_id}}"): Op("portal_record_read"),
    ("POST", f"{_P}/requests/{{request_id}}/decision"): Op("portal_decide", body=_REFUSAL),
    ("GET", f"{_P}/roster-changes"): Op("portal_reader"),
    ("POST", f"{_P}/roster-changes"): Op("portal_enterprise_only"),
    ("GET", f"{_P}/roster-changes/{{roster_change_id}}"): Op("portal_record_read"),
    ("POST", f"{_P}/roster-changes/{{roster_change_id}}/decision"): Op(
        "portal_decide", body=_REFUSAL
    ),
    ("GET", f"{_P}/insured-people"): Op("portal_reader"),
    ("GET", f"{_P}/premiums"): Op("portal_reader"),
    ("POST", f"{_P}/premiums"): Op("portal_bureau_write"),
    ("GET", f"{_P}/rate-runs"): Op("portal_bureau"),
    ("POST", f"{_P}/rate-runs"): Op(
        "portal_run_city", body={"region": "370200", "year": timezone.localdate().year - 1}
    ),
    ("GET", f"{_P}/rate-runs/{{run_id}}/rates"): Op("portal_run_read"),
    ("POST", f"{_P}/rate-runs/{{run_id}}/review"): Op("portal_run_review"),
    ("GET", f"{_P}/rates"): Op("portal_reader"),
    ("GET", f"{_P}/inbox"): Op("portal_reader"),
    ("GET", f"{_P}/self-assessments"): Op("portal_reader"),
    ("POST", f"{_P}/self-assessments"): Op("portal_enterprise_only"),
    ("GET", f"{_P}/self-assessments/{{self_assessment_id}}"): Op("portal_record_read"),
    ("POST", f"{_P}/self-assessments/{{self_assessment_id}}/answers"): Op(
        "portal_own_write", body={"answers": [{"item": 1, "answer": "pass"}]}
    ),
    ("POST", f"{_P}/self-assessments/{{self_assessment_id}}/submit"): Op("portal_own_write"),
}


def build_records(world: Any, records: Any) -> None:
    from yufang.accounts.models import Role
    from yufang.accounts.tests.records import OUTSIDE, png
    from yufang.hazards.models import Checklist
    from yufang.portal import services
    from yufang.portal.models import PremiumPaid
    from yufang.portal.tests.factories import id_number
    from yufang.tests.factories import persona, region

    year = timezone.localdate().year - 1
    sides = (
        ("inside", world.people[Role.SAFETY_MANAGER], world.enterprise, "370200", ""),
        (
            "outside",
            persona(Role.SAFETY_MANAGER, enterprise=world.jinan_enterprise),
            world.jinan_enterprise,
            "370100",
            OUTSIDE,
        ),
    )
    for side, manager, enterprise, city, marker in sides:
        request = services.change_request_submit(
            actor=manager,
            enterprise=enterprise,
            field="address",
            requested_value=f"{marker}新厂址一号",
            reason=f"{marker}搬迁",
            evidence=png(),
        )
        change = services.roster_change_submit(
            actor=manager,
            enterprise=enterprise,
            given=services.RosterInput(
                kind="add",
                person_name=f"{marker}张三",
                id_number=id_number(900, county=city[:4] + "02"),
            ),
        )
        run = services.floating_rates_run(actor=None, region=region(city), year=year)
        getattr(records, side)["change_request"] = request.pk
        getattr(records, side)["roster_change"] = change.pk
        getattr(records, side)["rate_run"] = run.pk
        checklist = Checklist.objects.order_by("pk").first()
        assessment = services.self_assessment_record(
            actor=manager,
            enterprise=enterprise,
            checklist=checklist,
            answers={str(n): "pass" for n in checklist.items.values_list("number", flat=True)},
            notes={"1": f"{marker}自查"},
        )
        getattr(records, side)["self_assessment"] = assessment.pk
        getattr(records, side)["premium"] = PremiumPaid.objects.create(
            enterprise=enterprise, year=year, amount=Decimal("1000.00")
        ).pk
