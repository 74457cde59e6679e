"""The rules of the enterprise self-service, tested through its services against the
database: requests to change the bureau's data, roster changes, the floating rate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.enterprises.models import InsuredHeadcount
from yufang.lib.errors import InvalidInput
from yufang.notifications.models import Notification
from yufang.portal import rating, services
from yufang.portal.models import ChangeRequest, InsuredPerson, RequestStatus, RosterChange
from yufang.portal.tests.factories import headcount_request, id_number, roster_add
from yufang.tests.factories import EnterpriseFactory, persona, region

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def test_safety_manager_asks_to_correct_the_headcount_and_the_city_approves(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    city = world.people[Role.CITY_OFFICIAL]
    InsuredHeadcount.objects.create(enterprise=world.enterprise, year=YEAR, insured_headcount=120)

    request = headcount_request(manager, "150", headcount_year=str(YEAR))

    assert request.status == RequestStatus.PENDING
    assert request.current_value == "120"
    assert Notification.objects.filter(recipient=city).exists()
    services.change_request_decide(actor=city, request=request, approve=True, note="核实无误")
    assert world.enterprise.headcounts.get(year=YEAR).insured_headcount == 150
    entry = AuditEntry.objects.filter(
        model="enterprises.Enterprise", reason__contains="新招聘"
    ).get()
    assert entry.changes == {"insured_headcount": ["120", "150"]}
    assert Notification.objects.filter(recipient=manager, title__contains="approved").exists()


def test_a_refusal_needs_a_note_and_changes_nothing(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    request = headcount_request(manager, "150", headcount_year=str(YEAR))
    with pytest.raises(InvalidInput) as refused:
        services.change_request_decide(actor=county, request=request, approve=False)
    assert "note" in refused.value.errors
    services.change_request_decide(actor=county, request=request, approve=False, note="无证明")
    assert not world.enterprise.headcounts.filter(year=YEAR).exists()
    with pytest.raises(InvalidInput):
        services.change_request_decide(actor=county, request=request, approve=True)


def test_industry_size_and_address_requests_apply_through_the_registry(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    city = world.people[Role.CITY_OFFICIAL]
    for field, value in (
        ("size", "medium"),
        ("address", "青岛市黄岛区新路1号"),
        ("industry", "3311"),
    ):
        r = services.change_request_submit(
            actor=manager,
            enterprise=world.enterprise,
            field=field,
            requested_value=value,
            reason="营业执照已变更",
        )
        services.change_request_decide(actor=city, request=r, approve=True)
    world.enterprise.refresh_from_db()
    assert world.enterprise.size == "medium"
    assert world.enterprise.address == "青岛市黄岛区新路1号"
    assert world.enterprise.industry.code == "3311"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"field": "name"}, "field"),
        ({"reason": ""}, "reason"),
        ({"requested_value": "many"}, "requested_value"),
        ({"requested_value": "-3"}, "requested_value"),
        ({"headcount_year": "3000"}, "headcount_year"),
    ],
)
def test_bad_requests_name_the_field(world: Any, data: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidInput) as bad:
        headcount_request(world.people[Role.SAFETY_MANAGER], **data)
    assert field in bad.value.errors
    assert not ChangeRequest.objects.exists()


def test_unknown_industry_and_a_second_open_request_are_refused(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    with pytest.raises(InvalidInput) as bad:
        services.change_request_submit(
            actor=manager,
            enterprise=world.enterprise,
            field="industry",
            requested_value="9999",
            reason="x",
        )
    assert "requested_value" in bad.value.errors
    headcount_request(manager)
    with pytest.raises(InvalidInput) as twice:
        headcount_request(manager, "160")
    assert "field" in twice.value.errors


def test_only_its_own_safety_manager_asks_and_only_officials_in_scope_decide(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    with pytest.raises(PermissionDenied):
        services.change_request_submit(
            actor=manager,
            enterprise=world.jinan_enterprise,
            field="size",
            requested_value="large",
            reason="x",
        )
    request = headcount_request(manager)
    for outsider in (world.jinan_city_official, world.people[Role.AUDITOR], manager):
        with pytest.raises(PermissionDenied):
            services.change_request_decide(actor=outsider, request=request, approve=True)


def test_roster_changes_move_the_roster_and_the_headcount(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    InsuredHeadcount.objects.create(
        enterprise=world.enterprise, year=YEAR - 1, insured_headcount=10
    )
    added = roster_add(manager, 1)
    assert added.id_masked.startswith("370211") and "*" in added.id_masked
    assert id_number(1) not in str(RosterChange.objects.values_list().get())
    services.roster_change_decide(actor=county, change=added, approve=True)
    assert world.enterprise.headcounts.get(year=YEAR).insured_headcount == 11
    removal = services.roster_change_submit(
        actor=manager,
        enterprise=world.enterprise,
        given=services.RosterInput(kind="减员", person_name="李四", id_number=id_number(1)),
    )
    services.roster_change_decide(actor=county, change=removal, approve=True)
    assert world.enterprise.headcounts.get(year=YEAR).insured_headcount == 10
    assert InsuredPerson.objects.get().insured_until is not None


def test_a_person_insured_elsewhere_in_the_city_is_flagged_and_not_added(world: Any) -> None:
    other = world.other_enterprise
    other_manager = persona(Role.SAFETY_MANAGER, enterprise=other)
    county = world.people[Role.COUNTY_OFFICIAL]
    services.roster_change_decide(actor=county, change=roster_add(other_manager, 5), approve=True)

    flagged = roster_add(world.people[Role.SAFETY_MANAGER], 5)

    assert flagged.insured_elsewhere == other.name
    with pytest.raises(InvalidInput) as refused:
        services.roster_change_decide(actor=county, change=flagged, approve=True)
    assert other.name in refused.value.message
    assert not InsuredPerson.objects.filter(enterprise=world.enterprise).exists()


def test_a_person_insured_in_another_city_is_not_flagged(world: Any) -> None:
    jinan_manager = persona(Role.SAFETY_MANAGER, enterprise=world.jinan_enterprise)
    services.roster_change_decide(
        actor=world.jinan_city_official, change=roster_add(jinan_manager, 6), approve=True
    )
    assert roster_add(world.people[Role.SAFETY_MANAGER], 6).insured_elsewhere == ""


def test_a_roster_batch_is_all_or_nothing(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    made = services.roster_changes_submit_many(
        actor=manager,
        enterprise=world.enterprise,
        rows=[
            services.RosterInput("增员", "王一", id_number(11)),
            services.RosterInput("增员", "王二", id_number(12)),
        ],
        source="file",
    )
    assert len(made) == 2
    with pytest.raises(InvalidInput) as refused:
        services.roster_changes_submit_many(
            actor=manager,
            enterprise=world.enterprise,
            rows=[
                services.RosterInput("增员", "王三", id_number(13)),
                services.RosterInput("增员", "王四", "370211199001011234"),
            ],
            source="file",
        )
    assert "rows.2.id_number" in refused.value.errors
    assert RosterChange.objects.count() == 2


def _rules() -> rating.Rules:
    return services.rules_on(dt.date(2026, 1, 1))


@pytest.mark.parametrize(
    ("risk_class", "injuries", "ratio", "occupational", "grade", "moved_by"),
    [
        (6, 0, Decimal(0), False, 80, "no_new_injury"),
        (6, 0, Decimal(150), False, 100, "payout_ratio"),
        (6, 1, Decimal(100), False, 100, "new_injury"),
        (6, 1, Decimal(200), False, 120, "payout_ratio"),
        (6, 2, Decimal(400), False, 150, "payout_ratio"),
        (6, 2, Decimal(400), True, 150, "occupational_hazard"),
        (6, 0, Decimal(0), True, 100, "occupational_hazard"),
        (6, 1, None, False, 100, "payout_unknown"),
        (2, 3, Decimal(900), False, 100, "fixed_class"),
        (None, 3, Decimal(900), False, 100, "no_class"),
    ],
)
def test_floating_grade_follows_the_dated_rules(
    risk_class: int | None,
    injuries: int,
    ratio: Decimal | None,
    occupational: bool,
    grade: int,
    moved_by: str,
) -> None:
    graded = rating.floating_grade(
        _rules(),
        risk_class=risk_class,
        new_injuries=injuries,
        ratio=ratio,
        occupational=occupational,
    )
    assert (graded.grade, graded.moved_by) == (grade, moved_by)


def test_the_city_runs_the_floating_rate_for_its_enterprises(world: Any) -> None:
    from yufang.injuries.services.cases import case_create
    from yufang.injuries.tests.helpers import case_data

    city = world.people[Role.CITY_OFFICIAL]
    year = YEAR - 1
    InsuredHeadcount.objects.create(enterprise=world.enterprise, year=year, insured_headcount=100)
    case_create(
        actor=city,
        data=case_data(
            world.enterprise.credit_code,
            accident_date=f"{year}-03-05",
            recognition_date=f"{year}-05-10",
            payout="30000",
        ),
    )
    services.premium_set(actor=city, enterprise=world.enterprise, year=year, amount=Decimal(10000))

    run = services.floating_rates_run(actor=city, region=region("370200"), year=year)

    rates = {r.enterprise_id: r for r in run.rates.all()}
    assert world.jinan_enterprise.pk not in rates
    mine = rates[world.enterprise.pk]
    assert (mine.new_injuries, mine.payout_ratio, mine.grade) == (1, Decimal("300.0"), 120)
    assert mine.moved_by == "payout_ratio"
    assert mine.prevented_grade == 80
    assert mine.injury_rate == Decimal("10.00")
    assert rates[world.other_enterprise.pk].grade == 80
    with pytest.raises(PermissionDenied):
        services.floating_rates_run(actor=city, region=region("370100"), year=year)
    with pytest.raises(InvalidInput):
        services.floating_rates_run(actor=city, region=region("370200"), year=YEAR + 1)
    services.floating_rate_run_review(actor=city, run=run)
    with pytest.raises(InvalidInput):
        services.floating_rate_run_review(actor=city, run=run)


def test_the_command_and_the_task_run_every_city(world: Any) -> None:
    from django.core.management import call_command

    from yufang.portal.tasks import run_floating_rates

    EnterpriseFactory(county=region("370102"))
    call_command("floating_rates", "--year", str(YEAR - 1), "--region", "370200")
    assert run_floating_rates.delay(YEAR - 1).get() >= 2
