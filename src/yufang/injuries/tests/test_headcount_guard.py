"""One writer of insured headcounts (enterprises.services.headcount_set) and one rule from
this domain registered with it: a year with injury cases cannot drop to 0 insured, whichever
page or API sets the headcount."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yufang.accounts.models import Role
from yufang.enterprises.models import InsuredHeadcount
from yufang.enterprises.services import EnterpriseInvalid, headcount_set
from yufang.injuries.services import case_create, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, insure

REFUSED = "2024 年有工伤案件，参保人数不能为 0。"


@pytest.fixture
def recorded(world):
    insure(world.enterprise, 2024, 100)
    rollup_rebuild()
    case_create(actor=world.people[Role.ADMIN], data=case_data(world.enterprise, 1))
    return world


def _stored(world) -> int:
    return InsuredHeadcount.objects.get(enterprise=world.enterprise, year=2024).insured_headcount


@pytest.mark.django_db
def test_the_registry_service_refuses_0_insured_in_a_year_with_cases(recorded):
    with pytest.raises(EnterpriseInvalid) as refused:
        headcount_set(
            actor=recorded.people[Role.COUNTY_OFFICIAL],
            enterprise=recorded.enterprise,
            year=2024,
            insured_headcount=0,
        )
    assert "insured_headcount" in refused.value.errors
    # A year without cases may be 0.
    headcount_set(
        actor=recorded.people[Role.COUNTY_OFFICIAL],
        enterprise=recorded.enterprise,
        year=2023,
        insured_headcount=0,
    )
    assert _stored(recorded) == 100


@pytest.mark.django_db
def test_enterprise_page_refuses_0_insured_in_a_year_with_cases(client, recorded):
    client.force_login(recorded.people[Role.COUNTY_OFFICIAL])
    url = reverse("enterprises:enterprise", args=[recorded.enterprise.pk])
    answer = client.submit(
        url, {"action": "headcount", "year": "2024", "insured_headcount": "0"}, action=url
    )
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    assert _stored(recorded) == 100


@pytest.mark.django_db
def test_injuries_headcount_page_refuses_0_insured_in_a_year_with_cases(client, recorded):
    client.force_login(recorded.people[Role.COUNTY_OFFICIAL])
    url = reverse("injuries:headcounts")
    answer = client.submit(
        url,
        {"enterprise": str(recorded.enterprise.pk), "year": "2024", "insured_headcount": "0"},
        action=url,
    )
    assert answer.status_code == 200
    assert REFUSED in answer.content.decode()
    assert _stored(recorded) == 100


@pytest.mark.django_db(transaction=True)
def test_both_apis_refuse_0_insured_in_a_year_with_cases(api_client, recorded):
    api = api_client(recorded.people[Role.COUNTY_OFFICIAL])
    for path in (
        f"/enterprises/{recorded.enterprise.pk}/headcounts/2024",
        f"/injuries/headcounts/{recorded.enterprise.pk}/2024",
    ):
        answer = api.put(path, json={"insured_headcount": 0})
        assert answer.status_code == 422, (path, answer.text)
        assert "insured_headcount" in {d["loc"][-1] for d in answer.json()["detail"]}
    assert _stored(recorded) == 100
