"""What the registry's overview figures count, by whom they are seen."""

from __future__ import annotations

import pytest

from yufang.accounts.models import Role
from yufang.enterprises.models import InsuredHeadcount
from yufang.enterprises.selectors import registry_figures_by_area

pytestmark = pytest.mark.django_db


def _insure(enterprise, year, n):
    InsuredHeadcount.objects.create(enterprise=enterprise, year=year, insured_headcount=n)


def test_insured_per_area_counts_the_latest_year_of_the_users_region(world):
    _insure(world.enterprise, 2023, 10)
    _insure(world.enterprise, 2024, 40)
    _insure(world.other_enterprise, 2024, 2)
    _insure(world.jinan_enterprise, 2024, 7)
    province = {
        r["code"]: r
        for r in registry_figures_by_area(world.people[Role.PROVINCE_OFFICIAL], by="city")
    }
    assert province["370200"]["insured"] == 42 and province["370200"]["year"] == 2024
    assert province["370100"]["insured"] == 7
    county = registry_figures_by_area(world.people[Role.COUNTY_OFFICIAL], by="county")
    assert [(r["code"], r["insured"], r["enterprises"]) for r in county] == [("370211", 42, 2)]


def test_figures_are_cached_until_the_registry_changes(world, django_capture_on_commit_callbacks):
    from yufang.enterprises.services import enterprise_create, headcount_set
    from yufang.enterprises.tests.test_services import enterprise_data

    official = world.people[Role.CITY_OFFICIAL]

    def qingdao() -> tuple[int, int]:
        row = next(
            r for r in registry_figures_by_area(official, by="city") if r["code"] == "370200"
        )
        return row["enterprises"], row["insured"]

    before = qingdao()
    # Written behind the services' back: the cached figures do not see it.
    _insure(world.enterprise, 2024, 40)
    assert qingdao() == before
    # Through the registry's services, once the change commits, they do.
    with django_capture_on_commit_callbacks(execute=True):
        enterprise_create(
            actor=official, data=enterprise_data(insured_headcount="", headcount_year="")
        )
    assert qingdao() == (before[0] + 1, 40)
    with django_capture_on_commit_callbacks(execute=True):
        headcount_set(actor=official, enterprise=world.enterprise, year=2024, insured_headcount=45)
    assert qingdao() == (before[0] + 1, 45)
