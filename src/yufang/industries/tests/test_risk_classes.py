from __future__ import annotations

import datetime as dt
import json

import pytest

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.industries.models import Industry
from yufang.industries.selectors import risk_class_of
from yufang.industries.services import IndustryError, industries_import, risk_class_rule_set
from yufang.tests.factories import EnterpriseFactory, industry

pytestmark = pytest.mark.django_db


def test_reference_import_is_idempotent(db):
    assert industries_import() == {"created": 0, "updated": 0, "risk_rules_created": 0}
    assert Industry.objects.filter(level=Industry.Level.DIVISION).count() == 97
    assert Industry.objects.filter(level=Industry.Level.CLASS).count() == 1381


def test_class_follows_the_most_specific_rule_in_force_on_a_date(world):
    official = world.people[Role.PROVINCE_OFFICIAL]
    chemicals = industry("26")
    assert risk_class_of(industry("2614"), dt.date(2020, 1, 1)) == 6
    risk_class_rule_set(
        actor=official,
        industry=chemicals,
        risk_class=7,
        effective_from=dt.date(2026, 1, 1),
        reason="鲁人社发〔2025〕示例号",
    )
    assert risk_class_of(industry("2614"), dt.date(2025, 12, 31)) == 6
    assert risk_class_of(industry("2614"), dt.date(2026, 1, 1)) == 7
    assert AuditEntry.objects.filter(model="industries.RiskClassRule", actor=official).exists()


def test_enterprises_without_override_follow_a_change(world):
    overridden = EnterpriseFactory(
        industry=industry("2614"),
        risk_class=5,
        risk_class_is_override=True,
        risk_class_override_reason="经办机构核定",
    )
    risk_class_rule_set(
        actor=world.people[Role.PROVINCE_OFFICIAL],
        industry=industry("26"),
        risk_class=7,
        effective_from=dt.date(2025, 1, 1),
        reason="调整",
    )
    world.enterprise.refresh_from_db()
    overridden.refresh_from_db()
    assert world.enterprise.risk_class == 7
    assert overridden.risk_class == 5


def test_bad_changes_are_refused_with_the_field(world):
    official = world.people[Role.PROVINCE_OFFICIAL]
    with pytest.raises(IndustryError) as exc:
        risk_class_rule_set(
            actor=official,
            industry=industry("26"),
            risk_class=9,
            effective_from=dt.date(2026, 1, 1),
            reason="x",
        )
    assert "risk_class" in exc.value.errors
    with pytest.raises(IndustryError) as exc:
        risk_class_rule_set(
            actor=official,
            industry=industry("2614"),
            risk_class=6,
            effective_from=dt.date(2026, 1, 1),
            reason="x",
        )
    assert "industry" in exc.value.errors  # classes are set for divisions and groups
    with pytest.raises(IndustryError) as exc:
        risk_class_rule_set(
            actor=official,
            industry=industry("26"),
            risk_class=6,
            effective_from=dt.date(2015, 10, 1),
            reason="x",
        )
    assert "effective_from" in exc.value.errors


def test_only_province_officials_change_classes_by_page_and_api(client, world):
    body = {"risk_class": 7, "effective_from": "2026-01-01", "reason": "文件"}
    client.force_login(world.people[Role.CITY_OFFICIAL])
    assert (
        client.post(
            "/api/v1/industries/26/risk-classes", json.dumps(body), content_type="application/json"
        ).status_code
        == 403
    )
    assert client.post_direct("/industries/26/", body).status_code == 403
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    response = client.post(
        "/api/v1/industries/26/risk-classes", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201
    assert response.json()["risk_class"] == 7
    page = client.submit("/industries/26/", body | {"effective_from": "2027-01-01"})
    assert page.status_code == 302
    history = client.get("/api/v1/industries/2614/risk-classes").json()
    assert [r["risk_class"] for r in history][:2] == [7, 7]
