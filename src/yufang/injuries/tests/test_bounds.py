"""Numbers and text from outside held to the shared bounds (yufang.support.bounds): the pages
ignore a filter they cannot hold (the page shows everything, as for a blank one), the API
answers 422 naming the field. Never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yufang.accounts.models import Role
from yufang.enterprises.models import InsuredHeadcount
from yufang.injuries.selectors import CaseFilter, RateFilter
from yufang.injuries.services import case_create, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, insure

HUGE = "99999999999999999999"

PAGES = ("dashboard", "rates", "priority", "cases", "targets", "headcounts")
QUERIES = (
    f"year={HUGE}",
    "year=-286",
    f"enterprise={HUGE}",
    "year_to=9726039806092506",
    f"year_from={HUGE}&risk_class={HUGE}",
    f"grid={'3' * 500}&industry={'C' * 500}&q={'x' * 5000}&page={HUGE}",
)


@pytest.fixture
def recorded(world):
    for e in (world.enterprise, world.jinan_enterprise):
        insure(e, 2024, 100)
    rollup_rebuild()
    world.case = case_create(actor=world.people[Role.ADMIN], data=case_data(world.enterprise, 1))
    return world


def test_filters_out_of_bounds_are_ignored_like_a_blank_one():
    f = RateFilter.from_params(
        {"year": HUGE, "year_to": "9726039806092506", "enterprise": HUGE, "risk_class": "-3"}
    )
    assert (f.year_from, f.year_to, f.enterprise, f.risk_class) == (None, None, None, None)
    assert RateFilter.from_params({"year": "-286"}).year_from is None
    assert RateFilter.from_params({"year": "2024", "enterprise": "7"}).params() == {
        "year": "2024",
        "enterprise": "7",
    }
    cases = CaseFilter.from_params({"q": "x" * 5000, "kind": "k" * 100, "city": "3" * 100})
    assert len(cases.q) == 100 and cases.kind == "" and cases.rates.city == ""


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_pages_answer_200_with_a_filter_they_cannot_hold(client, recorded, name):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    for query in QUERIES:
        page = client.get(f"{reverse(f'injuries:{name}')}?{query}")
        assert page.status_code == 200, (name, query)


@pytest.mark.django_db
def test_case_list_with_a_huge_enterprise_id_lists_every_case(client, recorded):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    page = client.get(f"{reverse('injuries:cases')}?enterprise={HUGE}")
    assert recorded.case.case_number in page.content.decode()


@pytest.mark.django_db
def test_headcount_page_refuses_a_headcount_beyond_any_enterprise(client, recorded):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    url = reverse("injuries:headcounts")
    answer = client.submit(
        url,
        {
            "enterprise": str(recorded.enterprise.pk),
            "year": "2023",
            "insured_headcount": HUGE,
            "hours_worked": "1e40",
        },
        action=url,
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert "参保人数须为整数。" in html and "不是有效数字：1e40" in html
    assert not InsuredHeadcount.objects.filter(enterprise=recorded.enterprise, year=2023).exists()


def _fields(response) -> set[str]:
    assert response.status_code == 422, response.text
    return {str(d["loc"][-1]) for d in response.json()["detail"]}


@pytest.mark.django_db(transaction=True)
def test_api_refuses_numbers_and_text_beyond_their_bounds_by_name(api_client, recorded):
    api = api_client(recorded.people[Role.CITY_OFFICIAL])
    assert "enterprise" in _fields(api.get(f"/injuries/cases?enterprise={HUGE}"))
    assert "year_to" in _fields(api.get("/injuries/cases?year_to=9726039806092506"))
    assert "year" in _fields(api.get("/injuries/rates?year=-286"))
    assert "year" in _fields(api.get(f"/injuries/dashboard?year={HUGE}"))
    assert "limit" in _fields(api.get(f"/injuries/priority?limit={HUGE}"))
    assert "page" in _fields(api.get(f"/injuries/cases?page={HUGE}"))
    assert "q" in _fields(api.get("/injuries/cases", params={"q": "x" * 500}))
    assert "case_id" in _fields(api.get(f"/injuries/cases/{HUGE}"))
    long_name = api.put(
        f"/injuries/cases/{recorded.case.pk}",
        json={
            **{
                k: v
                for k, v in case_data(recorded.enterprise, 1).items()
                if k not in ("enterprise", "disability_grade", "lost_workdays")
            },
            "enterprise_id": recorded.enterprise.pk,
            "person_name": "张" * 61,
        },
    )
    assert "person_name" in _fields(long_name)
    headcount = api.put(
        f"/injuries/headcounts/{recorded.enterprise.pk}/2024",
        json={"insured_headcount": int(HUGE)},
    )
    assert "insured_headcount" in _fields(headcount)
    assert "year" in _fields(
        api.put(
            f"/injuries/headcounts/{recorded.enterprise.pk}/{HUGE}", json={"insured_headcount": 1}
        )
    )
    ok = api.get("/injuries/cases?year=2024")
    assert ok.status_code == 200 and ok.json()["count"] == 1


@pytest.mark.django_db
def test_case_form_refuses_text_and_numbers_beyond_their_columns_by_field(client, recorded):
    client.force_login(recorded.people[Role.COUNTY_OFFICIAL])
    url = reverse("injuries:case_new")
    data = {
        **case_data(recorded.enterprise, 9),
        "enterprise": str(recorded.enterprise.pk),
        "case_number": "RS-" + "9" * 60,
        "lost_workdays": HUGE,
    }
    answer = client.submit(url, data, action=url)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'data-testid="form-errors"' in html
    assert "不超过 40 字符" in html and "小于或等于2147483647" in html
    assert not recorded.enterprise.injury_cases.filter(person_name="张9").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["", "edit/"])
def test_a_case_id_beyond_64_bits_is_404(client, recorded, path):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    assert client.get(f"/injuries/cases/{HUGE}/{path}").status_code == 404


def test_api_filters_are_the_selectors_filters():
    """The API's query schemas are derived from `RateFilter` and `CaseQuery`: a filter added
    to a selector is a filter of the API, and the role-set `search_names` is never one."""
    import dataclasses

    from yufang.injuries.api import CaseFilterIn, RateFilterIn
    from yufang.injuries.selectors import CaseQuery

    rate_fields = {f.name for f in dataclasses.fields(RateFilter)} | {"year"}
    assert set(RateFilterIn.model_fields) == rate_fields
    case_fields = {f.name for f in dataclasses.fields(CaseQuery)}
    assert set(CaseFilterIn.model_fields) == rate_fields | case_fields
    assert "search_names" not in CaseFilterIn.model_fields
    assert "rates" not in CaseFilterIn.model_fields


def test_api_case_list_reads_every_filter_of_the_page(api_client, recorded):
    """`missing_headcount` and `counted`, flags of the page's list, filter the API's list too;
    a liaison's search does not match names whatever the query says."""
    api = api_client(recorded.people[Role.CITY_OFFICIAL])
    assert api.get("/injuries/cases?missing_headcount=true").json()["count"] == 0
    assert api.get("/injuries/cases?missing_headcount=false").json()["count"] == 1
    assert api.get("/injuries/cases?counted=true").json()["count"] == 1
    liaison = api_client(recorded.people[Role.DEPARTMENT_LIAISON])
    name = recorded.case.person_name
    assert liaison.get("/injuries/cases").json()["count"] == 1
    found = liaison.get("/injuries/cases", params={"q": name, "search_names": "true"})
    assert found.status_code == 200 and found.json()["count"] == 0
