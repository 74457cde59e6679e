from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.enterprises.services import (
    EnterpriseInvalid,
    enterprise_create,
    enterprise_update,
    headcount_set,
)
from yufang.tests.factories import persona, region, valid_credit_code

pytestmark = pytest.mark.django_db


def enterprise_data(**changes):
    data = {
        "credit_code": valid_credit_code(777),
        "name": "青岛海岳机械有限公司",
        "county": "370211",
        "township": "370211001",
        "industry": "3411",
        "size": "小型",
        "insured_headcount": "85",
        "headcount_year": "2024",
    }
    data.update(changes)
    return data


@pytest.fixture
def city_official(db):
    return persona(Role.CITY_OFFICIAL, region=region("370200"))


def test_city_official_registers_enterprise_with_class_and_key_flag_from_industry(city_official):
    enterprise = enterprise_create(actor=city_official, data=enterprise_data())
    assert enterprise.city.code == "370200"
    assert enterprise.risk_class == 4  # division 34 (general equipment) is class 4
    assert enterprise.is_key_industry  # machinery is a Shandong key industry
    assert enterprise.size == "small"
    assert InsuredHeadcount.objects.get(enterprise=enterprise, year=2024).insured_headcount == 85
    entry = AuditEntry.objects.get(model="enterprises.Enterprise", object_id=str(enterprise.pk))
    assert entry.actor == city_official
    assert entry.changes["name"] == "青岛海岳机械有限公司"


def test_group_level_rule_wins_over_division_for_warehousing(city_official):
    enterprise = enterprise_create(actor=city_official, data=enterprise_data(industry="5920"))
    assert enterprise.risk_class == 2  # 592 warehousing, not division 59's class 5


def test_failing_check_digit_is_refused_without_a_reason(city_official):
    with pytest.raises(EnterpriseInvalid) as exc:
        enterprise_create(
            actor=city_official, data=enterprise_data(credit_code="91370211000000777X")
        )
    assert "credit_code" in exc.value.errors
    assert not Enterprise.objects.exists()


def test_failing_check_digit_is_accepted_with_a_recorded_reason(city_official):
    code = valid_credit_code(778)[:-1] + ("0" if valid_credit_code(778)[-1] != "0" else "1")
    enterprise = enterprise_create(
        actor=city_official,
        data=enterprise_data(
            credit_code=code, credit_code_exception="营业执照原件核对无误（早期代码）"
        ),
    )
    assert enterprise.credit_code_exception.startswith("营业执照")
    entry = AuditEntry.objects.get(model="enterprises.Enterprise", object_id=str(enterprise.pk))
    assert entry.reason.startswith("营业执照")


def test_each_bad_field_is_named(city_official):
    with pytest.raises(EnterpriseInvalid) as exc:
        enterprise_create(
            actor=city_official,
            data=enterprise_data(
                credit_code="123",
                name="",
                county="379999",
                industry="9999",
                size="huge",
                latitude="91",
            ),
        )
    assert set(exc.value.errors) >= {
        "credit_code",
        "name",
        "county",
        "industry",
        "size",
        "latitude",
    }


def test_township_must_lie_in_the_county(city_official):
    with pytest.raises(EnterpriseInvalid) as exc:
        enterprise_create(actor=city_official, data=enterprise_data(township="370102001"))
    assert "township" in exc.value.errors


def test_duplicate_credit_code_is_refused(city_official):
    enterprise_create(actor=city_official, data=enterprise_data())
    with pytest.raises(EnterpriseInvalid) as exc:
        enterprise_create(actor=city_official, data=enterprise_data(name="另一家"))
    assert "already registered" in exc.value.errors["credit_code"]


def test_override_of_risk_class_needs_a_reason(city_official):
    with pytest.raises(EnterpriseInvalid) as exc:
        enterprise_create(actor=city_official, data=enterprise_data(risk_class_override="7"))
    assert "risk_class_override_reason" in exc.value.errors
    enterprise = enterprise_create(
        actor=city_official,
        data=enterprise_data(risk_class_override="7", risk_class_override_reason="经办机构核定"),
    )
    assert enterprise.risk_class == 7
    assert enterprise.risk_class_is_override


def test_city_official_cannot_register_in_another_city(city_official):
    with pytest.raises(PermissionDenied):
        enterprise_create(actor=city_official, data=enterprise_data(county="370102", township=""))
    assert not Enterprise.objects.exists()


def test_auditor_cannot_register(db):
    with pytest.raises(PermissionDenied):
        enterprise_create(actor=persona(Role.AUDITOR), data=enterprise_data())


def test_update_records_what_changed(city_official):
    enterprise = enterprise_create(actor=city_official, data=enterprise_data())
    enterprise_update(
        actor=city_official, enterprise=enterprise, data=enterprise_data(name="新名称有限公司")
    )
    entry = AuditEntry.objects.filter(action="update", object_id=str(enterprise.pk)).get()
    assert entry.changes["name"] == ["青岛海岳机械有限公司", "新名称有限公司"]


def test_safety_manager_edits_only_own_enterprise(world):
    manager = world.people[Role.SAFETY_MANAGER]
    enterprise_update(actor=manager, enterprise=world.enterprise, data={"contact_person": "王"})
    with pytest.raises(PermissionDenied):
        enterprise_update(
            actor=manager, enterprise=world.other_enterprise, data={"contact_person": "王"}
        )


def test_negative_headcount_is_refused(world):
    with pytest.raises(EnterpriseInvalid):
        headcount_set(
            actor=world.people[Role.CITY_OFFICIAL],
            enterprise=world.enterprise,
            year=2024,
            insured_headcount=-1,
        )
