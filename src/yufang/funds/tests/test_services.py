"""The fee's rules: the cap, raises and ceiling, uses, duration, commitments, procurement,
payments after acceptance, the evaluation from counted outputs, and the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection

from yufang.accounts.models import Role
from yufang.funds import selectors, services
from yufang.funds.models import Budget, LedgerEntry, LedgerKind, Payment, ProjectStatus
from yufang.funds.tests.factories import YEAR, fee_budget, fee_contract, fee_project, png
from yufang.lib.errors import InvalidInput
from yufang.tests.factories import region

pytestmark = pytest.mark.django_db


def city(world: Any) -> Any:
    return world.people[Role.CITY_OFFICIAL]


def province(world: Any) -> Any:
    return world.people[Role.PROVINCE_OFFICIAL]


def test_cap_is_three_percent_of_prior_year_income_with_its_source(world: Any) -> None:
    budget = fee_budget(city(world))
    figures = selectors.budget_figures(budget)
    assert figures["cap"].amount == Decimal("3000000.00")
    assert "13号" in figures["cap"].rules.cap_ratio.source or "3号" in (
        figures["cap"].rules.cap_ratio.source
    )
    assert figures["cap"].ceiling_amount == Decimal("5000000.00")


def test_budget_above_cap_is_refused_and_nothing_is_saved(world: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        fee_budget(city(world), training="2100000.01")
    assert "cap" in exc.value.message
    assert not Budget.objects.exists()
    assert not LedgerEntry.objects.exists()


def test_raise_approval_lets_a_budget_above_the_cap_but_never_above_the_ceiling(
    world: Any,
) -> None:
    services.raise_approve(
        actor=province(world),
        pooling_region=region("370200"),
        year=YEAR,
        ratio_percent="4.5",
        reason="省人社厅、省财政厅同意",
    )
    budget = fee_budget(city(world), training="3600000.00")
    assert budget.total == Decimal("4500000.00")
    with pytest.raises(InvalidInput):
        fee_budget(city(world), training="4100000.01")
    with pytest.raises(InvalidInput) as exc:
        services.raise_approve(
            actor=province(world),
            pooling_region=region("370200"),
            year=YEAR,
            ratio_percent="5.5",
            reason="x",
        )
    assert exc.value.errors.keys() == {"ratio"}


def test_a_city_official_cannot_approve_a_raise(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.raise_approve(
            actor=city(world),
            pooling_region=region("370200"),
            year=YEAR,
            ratio_percent="4",
            reason="x",
        )


@pytest.mark.parametrize("bad", ["-1", "abc", "1.234", "NaN", "", "1e400"])
def test_bad_amounts_are_refused_by_name(world: Any, bad: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        fee_budget(city(world), publicity=bad)
    assert "publicity" in exc.value.errors
    assert not Budget.objects.exists()


def test_another_citys_official_cannot_set_qingdaos_budget(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        fee_budget(world.jinan_city_official)


def test_a_project_longer_than_two_years_is_refused(world: Any) -> None:
    fee_budget(city(world))
    with pytest.raises(InvalidInput) as exc:
        fee_project(city(world), start=dt.date(YEAR, 1, 1), end=dt.date(YEAR + 2, 1, 1))
    assert "ends_on" in exc.value.errors


def test_a_use_the_fee_may_not_pay_for_is_refused(world: Any) -> None:
    fee_budget(city(world))
    with pytest.raises(InvalidInput) as exc:
        fee_project(city(world), use="equipment")
    assert "use" in exc.value.errors


def test_approval_beyond_the_remaining_budget_is_refused_and_commits_nothing(world: Any) -> None:
    fee_budget(city(world))
    fee_project(city(world), amount="1500000.00")
    second = fee_project(city(world), amount="600000.00", approve=False)
    with pytest.raises(InvalidInput) as exc:
        services.project_review(actor=city(world), project=second, approve=True)
    assert "budget" in exc.value.errors
    second.refresh_from_db()
    assert second.status == ProjectStatus.PROPOSED
    assert LedgerEntry.objects.filter(kind=LedgerKind.COMMITMENT).count() == 1


def test_a_budget_cannot_drop_below_what_is_committed(world: Any) -> None:
    fee_budget(city(world))
    fee_project(city(world), amount="1500000.00")
    with pytest.raises(InvalidInput) as exc:
        fee_budget(city(world), training="1000000.00")
    assert "training" in exc.value.errors


def test_procurement_method_follows_the_thresholds(world: Any) -> None:
    fee_budget(city(world))
    project = fee_project(city(world))
    staff = world.people[Role.INSTITUTION_STAFF]
    with pytest.raises(InvalidInput) as exc:
        services.procurement_record(
            actor=city(world),
            project=project,
            method="direct",
            held_on=project.starts_on,
            bidders="甲",
            bidder_count=1,
            winner=staff.institution,
            price="600000.00",
        )
    assert "method" in exc.value.errors
    assert "open tender" in exc.value.message


def test_payment_only_after_acceptance_and_never_beyond_the_contract(world: Any) -> None:
    fee_budget(city(world))
    project = fee_project(city(world))
    staff = world.people[Role.INSTITUTION_STAFF]
    contract = fee_contract(city(world), project, staff.institution)
    first = contract.milestones.get(number=1)
    with pytest.raises(InvalidInput) as exc:
        services.payment_record(
            actor=city(world), milestone=first, amount="100.00", paid_on=dt.date(YEAR, 7, 1)
        )
    assert "acceptance" in exc.value.message
    services.milestone_accept(actor=city(world), milestone=first, evidence=png(), note="验收合格")
    with pytest.raises(InvalidInput) as exc:
        services.payment_record(
            actor=city(world), milestone=first, amount="600000.01", paid_on=dt.date(YEAR, 7, 1)
        )
    assert "contract" in exc.value.message
    assert not Payment.objects.exists()
    services.payment_record(
        actor=city(world), milestone=first, amount="300000.00", paid_on=dt.date(YEAR, 7, 1)
    )
    figures = selectors.budget_figures(Budget.objects.get())
    assert figures["paid"] == Decimal("300000.00")
    assert figures["committed"] == Decimal("600000.00")


def test_evidence_that_is_not_an_image_is_refused(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fee_budget(city(world))
    project = fee_project(city(world))
    contract = fee_contract(city(world), project, world.people[Role.INSTITUTION_STAFF].institution)
    fake = SimpleUploadedFile("photo.png", b"not an image", content_type="image/png")
    with pytest.raises(InvalidInput) as exc:
        services.milestone_accept(
            actor=city(world), milestone=contract.milestones.first(), evidence=fake, note="x"
        )
    assert "evidence" in exc.value.errors


def test_close_evaluates_counted_outputs_and_releases_the_unpaid(world: Any) -> None:
    fee_budget(city(world))
    project = fee_project(city(world), person_times=3)
    fee_contract(city(world), project, world.people[Role.INSTITUTION_STAFF].institution)
    evaluation = services.project_close(
        actor=city(world),
        project=project,
        counted=selectors.outputs_counted(city(world), project),
    )
    assert evaluation.results["person_times"] == [3, 0]
    assert evaluation.met is False
    figures = selectors.budget_figures(Budget.objects.get())
    assert figures["committed"] == Decimal("0.00")
    assert LedgerEntry.objects.filter(kind=LedgerKind.RELEASE).count() == 1


def test_ledger_verification_names_the_first_tampered_entry(world: Any) -> None:
    fee_budget(city(world))
    fee_project(city(world))
    assert services.ledger_verify() is None
    entries = list(LedgerEntry.objects.order_by("id"))
    target = entries[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE funds_ledgerentry SET amount = %s WHERE id = %s", ["1.00", target.pk]
        )
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_fee_ledger", stdout=out)
    assert f"#{target.pk}" in out.getvalue()


def test_verify_command_reports_an_intact_ledger(world: Any) -> None:
    fee_budget(city(world))
    out = StringIO()
    call_command("verify_fee_ledger", stdout=out)
    assert "intact" in out.getvalue()


def test_scopes_county_reads_city_jinan_sees_nothing_staff_see_own(world: Any) -> None:
    fee_budget(city(world))
    project = fee_project(city(world))
    staff = world.people[Role.INSTITUTION_STAFF]
    fee_contract(city(world), project, staff.institution)
    assert selectors.projects_visible(world.people[Role.COUNTY_OFFICIAL]).count() == 1
    assert selectors.projects_visible(world.people[Role.DEPARTMENT_LIAISON]).count() == 1
    assert selectors.projects_visible(world.jinan_city_official).count() == 0
    assert selectors.contracts_visible(staff).count() == 1
    assert selectors.budgets_visible(staff).count() == 0
    assert selectors.projects_visible(world.people[Role.GRID_WORKER]).count() == 0


def test_the_nightly_task_tells_the_province_of_a_broken_ledger(world: Any) -> None:
    from yufang.funds.tasks import verify_fee_ledger
    from yufang.notifications.models import Notification

    fee_budget(city(world))
    assert verify_fee_ledger.delay().get() is None
    entry = LedgerEntry.objects.order_by("id").first()
    assert entry is not None
    with connection.cursor() as cursor:
        cursor.execute("UPDATE funds_ledgerentry SET reason = %s WHERE id = %s", ["改", entry.pk])
    assert verify_fee_ledger.delay().get() == entry.pk
    told = Notification.objects.filter(recipient=province(world))
    assert told.count() == 1
    assert f"#{entry.pk}" in told.get().title
