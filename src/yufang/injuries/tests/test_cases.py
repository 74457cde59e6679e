from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.injuries.models import InjuryCase
from yufang.injuries.services import (
    CaseInvalid,
    case_create,
    case_delete,
    case_reveal_id_number,
    case_update,
    cases_check,
)
from yufang.injuries.services.checks import CASE_ROW_COLUMNS
from yufang.injuries.tests.helpers import case_data, id_number, insure
from yufang.lib.protected import id_number_decrypt, id_number_digest

pytestmark = pytest.mark.django_db


@pytest.fixture
def insured(world):
    for year in (2023, 2024):
        insure(world.enterprise, year, 200)
        insure(world.other_enterprise, year, 50)
    insure(world.jinan_enterprise, 2024, 80)
    return world


def test_county_official_records_a_case_stored_protected_and_audited(insured):
    official = insured.people[Role.COUNTY_OFFICIAL]
    case = case_create(actor=official, data=case_data(insured.enterprise))
    stored = InjuryCase.objects.get(pk=case.pk)
    number = id_number(1)
    assert number not in stored.id_number_encrypted
    assert stored.id_number_masked == number[:6] + "********" + number[-4:]
    assert stored.id_number_digest == id_number_digest(number)
    assert stored.payout == Decimal("12000.50")
    assert AuditEntry.objects.filter(model="injuries.InjuryCase", object_id=str(case.pk)).exists()
    assert number not in str(AuditEntry.objects.get(object_id=str(case.pk)).changes)


def test_case_found_by_credit_code_with_chinese_category_and_kind(insured):
    data = case_data(
        insured.enterprise.credit_code,
        kind="视同工伤",
        accident_category="高处坠落",
        body_part="头部",
    )
    case = case_create(actor=insured.people[Role.CITY_OFFICIAL], data=data)
    assert (case.kind, case.accident_category, case.body_part) == ("deemed", "09", "head")


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"accident_date": "2024-06-01", "recognition_date": "2024-05-01"}, "accident_date"),
        ({"accident_category": "被狗咬"}, "accident_category"),
        ({"payout": "-1"}, "payout"),
        ({"accident_date": "2022-03-01", "recognition_date": "2022-04-01"}, "enterprise"),
        ({"disability_grade": "11"}, "disability_grade"),
        ({"id_number": "370211199001011230"}, "id_number"),
        ({"kind": "occupational_disease"}, "occupational_disease"),
        ({"body_part": "尾巴"}, "body_part"),
    ],
)
def test_bad_input_is_refused_naming_the_field(insured, over, field):
    with pytest.raises(CaseInvalid) as exc:
        case_create(
            actor=insured.people[Role.COUNTY_OFFICIAL], data=case_data(insured.enterprise, **over)
        )
    assert field in exc.value.errors
    assert not InjuryCase.objects.exists()


def test_accident_in_the_future_is_refused(insured):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(CaseInvalid) as exc:
        case_create(
            actor=insured.people[Role.COUNTY_OFFICIAL],
            data=case_data(
                insured.enterprise,
                accident_date=tomorrow.isoformat(),
                recognition_date=tomorrow.isoformat(),
            ),
        )
    assert "accident_date" in exc.value.errors


def test_duplicate_case_number_is_refused(insured):
    official = insured.people[Role.COUNTY_OFFICIAL]
    case_create(actor=official, data=case_data(insured.enterprise, 1))
    with pytest.raises(CaseInvalid) as exc:
        case_create(
            actor=official, data=case_data(insured.other_enterprise, 1, id_number=id_number(2))
        )
    assert "case_number" in exc.value.errors


def test_zero_headcount_with_a_case_that_year_is_refused(insured):
    insure(insured.enterprise, 2022, 0)
    with pytest.raises(CaseInvalid) as exc:
        case_create(
            actor=insured.people[Role.COUNTY_OFFICIAL],
            data=case_data(
                insured.enterprise, accident_date="2022-02-01", recognition_date="2022-03-01"
            ),
        )
    assert "insured headcount of 0" in exc.value.errors["enterprise"]
    assert insured.enterprise.name in exc.value.errors["enterprise"]


def test_only_officials_of_the_region_record_cases(insured):
    with pytest.raises(PermissionDenied):
        case_create(actor=insured.people[Role.GRID_WORKER], data=case_data(insured.enterprise))
    with pytest.raises(PermissionDenied):
        case_create(actor=insured.jinan_city_official, data=case_data(insured.enterprise))


def test_edit_keeps_the_id_number_when_left_empty(insured):
    official = insured.people[Role.COUNTY_OFFICIAL]
    case = case_create(actor=official, data=case_data(insured.enterprise))
    case_update(actor=official, case=case, data={"id_number": "", "lost_workdays": "30"})
    case.refresh_from_db()
    assert case.lost_workdays == 30
    assert case.id_number_digest == id_number_digest(id_number(1))


def test_reveal_is_for_officials_of_the_region_and_is_audited(insured):
    case = case_create(
        actor=insured.people[Role.COUNTY_OFFICIAL], data=case_data(insured.enterprise)
    )
    city = insured.people[Role.CITY_OFFICIAL]
    assert case_reveal_id_number(actor=city, case=case) == id_number(1)
    assert AuditEntry.objects.filter(
        object_id=str(case.pk), reason="reveal id_number", actor=city
    ).exists()
    for outsider in (insured.jinan_city_official, insured.people[Role.SAFETY_MANAGER]):
        with pytest.raises(PermissionDenied):
            case_reveal_id_number(actor=outsider, case=case)


def test_delete_is_audited(insured):
    official = insured.people[Role.COUNTY_OFFICIAL]
    case = case_create(actor=official, data=case_data(insured.enterprise))
    case_delete(actor=official, case=case, reason="duplicate entry")
    assert not InjuryCase.objects.exists()
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DELETE, reason="duplicate entry"
    ).exists()


def test_id_numbers_protected_while_the_lookup_ran_are_written_as_made(insured):
    records = [(n, case_data(insured.enterprise, n)) for n in (1, 2, 3)]
    batch = cases_check(records, user=None, today=timezone.localdate())
    assert batch.good == [0, 1, 2]
    # Whatever the checks protected ahead is right; the writes protect the rest.
    for n, sealed in zip((1, 2, 3), batch.protected, strict=True):
        if sealed is not None:
            assert sealed[0] == id_number_digest(id_number(n))
            assert id_number_decrypt(sealed[1]) == id_number(n)
    batch.protected = [("made ahead", "sealed ahead"), None, None]
    rows = batch.case_rows([0, 1, 2], ())
    digest = CASE_ROW_COLUMNS.index("id_number_digest")
    sealed = CASE_ROW_COLUMNS.index("id_number_encrypted")
    assert (rows[0][digest], rows[0][sealed]) == ("made ahead", "sealed ahead")
    for n, row in zip((2, 3), rows[1:], strict=True):
        assert row[digest] == id_number_digest(id_number(n))
        assert id_number_decrypt(row[sealed]) == id_number(n)


def test_names_of_many_uninsured_enterprises_are_asked_in_parts(insured, monkeypatch):
    from yufang.enterprises import selectors

    monkeypatch.setattr(selectors, "_NAMES_AT_ONCE", 1)
    records = [
        (n, case_data(enterprise, n, accident_date="2021-02-01", recognition_date="2021-03-01"))
        for n, enterprise in ((1, insured.enterprise), (2, insured.other_enterprise))
    ]
    batch = cases_check(records, user=None, today=timezone.localdate())
    assert batch.good == []
    messages = {row: message for row, name, message in batch.errors if name == "enterprise"}
    assert insured.enterprise.name in messages[1]
    assert insured.other_enterprise.name in messages[2]
