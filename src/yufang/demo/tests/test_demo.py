from __future__ import annotations

import io

import pytest
from django.db.models import Count

from yufang.accounts.models import Role, User
from yufang.enterprises.models import Enterprise
from yufang.regions.models import Grid
from yufang.support.demo import DEMO_PASSWORD, make_context

FOUNDATION = ["regions", "organisations", "enterprises", "accounts"]


@pytest.fixture
def foundation_demo(db):
    import importlib

    ctx = make_context(2021, io.StringIO())
    for app in FOUNDATION:
        importlib.import_module(f"yufang.{app}.demo").seed(ctx)
    return ctx


def test_demo_builds_a_believable_shandong_with_one_account_per_role(foundation_demo):
    assert Enterprise.objects.count() == 3000
    assert 280 <= Grid.objects.count() <= 320
    per_city = dict(Enterprise.objects.values_list("city__code").annotate(n=Count("id")))
    assert len(per_city) == 16
    chemicals = Enterprise.objects.filter(industry__division_code__in=["25", "26"])
    dongying_share = chemicals.filter(city__code="370500").count() / per_city["370500"]
    province_share = chemicals.count() / 3000
    assert dongying_share > 2 * province_share  # chemicals cluster around Dongying
    assert (
        Enterprise.objects.filter(industry__division_code__in=["47", "48", "49", "50"])
        .values("city")
        .distinct()
        .count()
        == 16
    )


def test_demo_has_one_account_per_role_nested_in_qingdao(foundation_demo):
    accounts = {u.username: u for u in User.objects.all()}
    assert set(accounts) == {
        "province",
        "city",
        "county",
        "gridworker",
        "enterprise",
        "institution",
        "liaison",
        "worker",
        "auditor",
        "admin",
    }
    assert {u.role for u in accounts.values()} == set(Role)
    assert accounts["city"].region.code == "370200"
    assert accounts["county"].region.city.code == "370200"
    assert accounts["gridworker"].grid.county == accounts["county"].region
    assert accounts["enterprise"].enterprise.grid == accounts["gridworker"].grid
    assert accounts["enterprise"].check_password(DEMO_PASSWORD)


def test_demo_is_deterministic_for_a_seed(foundation_demo):
    import importlib

    from yufang.organisations.models import Department, Institution
    from yufang.regions.models import PilotYear

    first = list(
        Enterprise.objects.order_by("id").values_list("credit_code", "name", "industry__code")
    )
    for model in (User, Enterprise, Grid, Institution, Department, PilotYear):
        model.objects.all().delete()
    ctx = make_context(2021, io.StringIO())
    for app in FOUNDATION:
        importlib.import_module(f"yufang.{app}.demo").seed(ctx)
    again = list(
        Enterprise.objects.order_by("id").values_list("credit_code", "name", "industry__code")
    )
    assert again == first
