"""The prevention fee's pages and API operations in the authorization matrix.

The fee is the pooling region's (the city's): its officials write, the county's officials,
the member departments' liaisons and the auditor read, the province reads every city and
approves raises; an institution's staff read their own contracts and projects. Grid workers,
safety managers and workers have no business here (403)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from yufang.accounts.tests.access_base import Op, Page, rule

NONE = "403/403"
RULES = {
    # Every role with business on the fee's pages reads its own scope's lists.
    "fee_reader": rule("ok/ok", grid_worker=NONE, safety_manager=NONE, worker=NONE),
    # A fee record in scope (institution staff: their own contract's); outside 404.
    "fee_read": rule(
        "ok/404",
        province="ok/ok",
        auditor="ok/ok",
        admin="ok/ok",
        grid_worker=NONE,
        safety_manager=NONE,
        worker=NONE,
    ),
    # A pooling region's budget: its readers; institution staff read no budget (404).
    "fee_region_read": rule(
        "ok/404",
        province="ok/ok",
        auditor="ok/ok",
        admin="ok/ok",
        institution="404/404",
        grid_worker=NONE,
        safety_manager=NONE,
        worker=NONE,
    ),
    # The city's officials (and the province-wide writers) set its budget and publish it.
    "fee_region_write": rule(
        "403/404",
        province="ok/ok",
        city="ok/404",
        admin="ok/ok",
        auditor=NONE,
        institution="404/404",
        grid_worker=NONE,
        safety_manager=NONE,
        worker=NONE,
    ),
    # The province records a raise of a city's cap.
    "fee_province_write": rule(
        "403/404",
        province="ok/ok",
        admin="ok/ok",
        auditor=NONE,
        institution="404/404",
        grid_worker=NONE,
        safety_manager=NONE,
        worker=NONE,
    ),
    # A project's, contract's or institution's writes: the city's officials; readers 403.
    "fee_manager_write": rule(
        "403/404",
        province="ok/ok",
        city="ok/404",
        admin="ok/ok",
        auditor=NONE,
        grid_worker=NONE,
        safety_manager=NONE,
        worker=NONE,
    ),
    # Proposals and key areas over the API name a city: its officials create; staff 404.
    "fee_create_api": rule(
        NONE, province="ok/ok", city="ok/ok", admin="ok/ok", institution="404/404"
    ),
}

YEAR = str(timezone.localdate().year - 1)
AT_YEAR = {"year": YEAR}

PAGES = {
    "funds:index": Page(None, "fee_reader"),
    "funds:budget": Page("city", "fee_region_read", "fee_region_write", args=AT_YEAR),
    "funds:raise": Page("city", "post_only", "fee_province_write", args=AT_YEAR),
    "funds:disclose": Page("city", "post_only", "fee_region_write", args=AT_YEAR),
    "funds:projects": Page(None, "fee_reader", "province_and_city_config"),
    "funds:key_area_new": Page(None, "post_only", "province_and_city_config"),
    "funds:project": Page("fee_project", "fee_read"),
    "funds:project_review": Page("fee_project", "post_only", "fee_manager_write"),
    "funds:procurement": Page("fee_project", "post_only", "fee_manager_write"),
    "funds:contract_new": Page("fee_project", "post_only", "fee_manager_write"),
    "funds:project_close": Page("fee_project", "post_only", "fee_manager_write"),
    "funds:contract": Page("fee_contract", "fee_read"),
    "funds:milestone_accept": Page("fee_milestone", "post_only", "fee_manager_write"),
    "funds:milestone_pay": Page("fee_milestone", "post_only", "fee_manager_write"),
    "funds:evidence": Page("fee_milestone", "fee_read"),
    "funds:institutions": Page(None, "fee_reader"),
    "funds:institution_qualify": Page("fee_institution", "post_only", "fee_manager_write"),
    "funds:dashboard": Page(None, "fee_reader"),
    "funds:ledger": Page(None, "fee_reader"),
    "funds:disclosures": Page(None, "public"),
    "funds:disclosure": Page("city", "public", args=AT_YEAR),
}

API_PARAM_KINDS = {
    "pooling_region": "city",
    "fee_project_id": "fee_project",
    "fee_contract_id": "fee_contract",
    "fee_milestone_id": "fee_milestone",
    "fee_institution_id": "fee_institution",
}

F = "/api/v1/funds"
OPERATIONS = {
    ("GET", f"{F}/rules"): Op("fee_reader"),
    ("GET", f"{F}/budgets"): Op("fee_reader"),
    ("GET", f"{F}/budgets/{{pooling_region}}/{{year}}"): Op("fee_region_read"),
    ("PUT", f"{F}/budgets/{{pooling_region}}/{{year}}"): Op("fee_region_write"),
    ("POST", f"{F}/budgets/{{pooling_region}}/{{year}}/raise"): Op("fee_province_write"),
    ("POST", f"{F}/budgets/{{pooling_region}}/{{year}}/disclose"): Op("fee_region_write"),
    ("GET", f"{F}/disclosure/{{pooling_region}}/{{year}}"): Op("public"),
    ("GET", f"{F}/key-areas"): Op("fee_reader"),
    ("POST", f"{F}/key-areas"): Op(
        "fee_create_api", body={"pooling_region": "370200", "year": 2030, "title": "矩阵重点领域"}
    ),
    ("GET", f"{F}/projects"): Op("fee_reader"),
    ("POST", f"{F}/projects"): Op(
        "fee_create_api",
        body={
            "pooling_region": "370200",
            "title": "矩阵项目",
            "purpose": "宣传",
            "use": "publicity",
            "proposer": "行业协会",
            "cost_basis": "按人次",
            "starts_on": "2030-01-01",
            "ends_on": "2030-06-30",
            "years": [{"year": 2030, "amount": "1000.00"}],
        },
    ),
    ("GET", f"{F}/projects/{{fee_project_id}}"): Op("fee_read"),
    ("POST", f"{F}/projects/{{fee_project_id}}/review"): Op("fee_manager_write"),
    ("POST", f"{F}/projects/{{fee_project_id}}/procurement"): Op("fee_manager_write"),
    ("POST", f"{F}/projects/{{fee_project_id}}/contract"): Op("fee_manager_write"),
    ("GET", f"{F}/projects/{{fee_project_id}}/outputs"): Op("fee_read"),
    ("POST", f"{F}/projects/{{fee_project_id}}/close"): Op("fee_manager_write"),
    ("GET", f"{F}/contracts"): Op("fee_reader"),
    ("GET", f"{F}/contracts/{{fee_contract_id}}"): Op("fee_read"),
    ("POST", f"{F}/milestones/{{fee_milestone_id}}/accept"): Op("fee_manager_write"),
    ("POST", f"{F}/milestones/{{fee_milestone_id}}/payments"): Op("fee_manager_write"),
    ("GET", f"{F}/institutions"): Op("fee_reader"),
    ("PUT", f"{F}/institutions/{{fee_institution_id}}/qualifications"): Op("fee_manager_write"),
    ("GET", f"{F}/ledger"): Op("fee_reader"),
    ("GET", f"{F}/ledger/verify"): Op("fee_reader"),
    ("GET", f"{F}/dashboard"): Op("fee_reader"),
}


def build_records(world: Any, records: Any) -> None:
    """A Qingdao budget, project, contract (with the world's institution) and accepted
    milestone inside; the same in Jinan, its texts marked OUTSIDE, outside. Both published."""
    from yufang.accounts.models import Role
    from yufang.accounts.tests.records import OUTSIDE
    from yufang.funds import services
    from yufang.funds.tests.factories import fee_budget, fee_contract, fee_project, png
    from yufang.tests.factories import InstitutionFactory, region

    year = int(YEAR)
    province = world.people[Role.PROVINCE_OFFICIAL]
    # Institutions are a province-wide registry other pages pick from: its name is not marked.
    jinan_institution = InstitutionFactory(name="济南服务机构", city=region("370100"))
    sides = (
        (
            records.inside,
            world.people[Role.CITY_OFFICIAL],
            "370200",
            "青岛",
            world.people[Role.INSTITUTION_STAFF].institution,
        ),
        (records.outside, world.jinan_city_official, "370100", OUTSIDE, jinan_institution),
    )
    for values, official, code, label, institution in sides:
        budget = fee_budget(official, code=code, year=year)
        project = fee_project(
            official,
            code=code,
            title=f"{label}实训基地培训项目",
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
        )
        contract = fee_contract(official, project, institution)
        milestone = contract.milestones.get(number=1)
        services.milestone_accept(
            actor=official, milestone=milestone, evidence=png(), note=f"{label}验收"
        )
        services.budget_disclose(actor=province, budget=budget)
        values["fee_project"] = project.pk
        values["fee_contract"] = contract.pk
        values["fee_milestone"] = milestone.pk
        values["fee_institution"] = institution.pk
