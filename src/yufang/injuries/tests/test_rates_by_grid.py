"""Injury rates by grid for a city or county: read from the rollup's grid cells, the same
figures as the raw records, each row linking to its cases, exportable; through the page, the
API (a live server, a bearer token) and a browser."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from yufang.accounts.models import Role
from yufang.injuries.selectors import RateFilter, _uses_rollup
from yufang.injuries.services import case_create, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, insure
from yufang.tests.factories import TEST_PASSWORD, EnterpriseFactory, region


@pytest.fixture
def recorded(world):
    # An enterprise of the city in no grid: its figures have a row of their own.
    world.loose = EnterpriseFactory(county=region("370211"))
    for e in (world.enterprise, world.other_enterprise, world.jinan_enterprise, world.loose):
        insure(e, 2024, 100)
    rollup_rebuild()
    admin = world.people[Role.ADMIN]
    world.case = case_create(actor=admin, data=case_data(world.enterprise, 1))
    world.other_case = case_create(actor=admin, data=case_data(world.other_enterprise, 2))
    case_create(actor=admin, data=case_data(world.other_enterprise, 3))
    world.jinan_case = case_create(actor=admin, data=case_data(world.jinan_enterprise, 4))
    return world


@pytest.mark.django_db(transaction=True)
def test_api_rates_by_grid_for_a_city(api_client, recorded):
    city = recorded.people[Role.CITY_OFFICIAL]
    assert _uses_rollup(city, "grid", 1, RateFilter(city="370200"))
    api = api_client(city)
    got = api.get("/injuries/rates?by=grid&city=370200&year=2024")
    assert got.status_code == 200, got.text
    rows = {r["key"]: r for r in got.json()["rows"]}
    grid, other = recorded.grid, recorded.other_grid
    assert set(rows) == {grid.code, other.code, ""}
    assert rows[grid.code]["label"] == grid.name
    assert (rows[grid.code]["cases"], rows[grid.code]["headcount"]) == (1, 100)
    assert (rows[other.code]["cases"], rows[other.code]["headcount"]) == (2, 100)
    assert rows[other.code]["injury_rate"]["value"] == pytest.approx(20.0)
    # Money in yuan and cents on both databases (SQLite sums decimals to 15 digits).
    assert rows[other.code]["payout"] == "24001.00"
    assert (rows[""]["cases"], rows[""]["headcount"], rows[""]["url"]) == (0, 100, "")
    # Each figure links to its cases, which the same client can list.
    assert f"grid={other.code}" in rows[other.code]["url"]
    listed = api.get(f"/injuries/cases?grid={other.code}&year=2024").json()
    assert {c["case_number"] for c in listed["items"]} == {
        recorded.other_case.case_number,
        "RS-2024-00003",
    }
    # Another city's grid is out of this official's scope: no row, and its case is 404.
    jinan = api.get("/injuries/rates?by=grid&city=370100&year=2024").json()["rows"]
    assert recorded.jinan_enterprise.grid.code not in {r["key"] for r in jinan}
    assert api.get(f"/injuries/cases/{recorded.jinan_case.pk}").status_code == 404
    # A province official names a city first (a row per grid of a whole province otherwise).
    province = api_client(recorded.people[Role.PROVINCE_OFFICIAL])
    refused = province.get("/injuries/rates?by=grid")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "city"]
    by_county = province.get("/injuries/rates?by=grid&county=370211&year=2024").json()["rows"]
    assert {r["key"]: r["cases"] for r in by_county} == {grid.code: 1, other.code: 2, "": 0}


@pytest.mark.django_db
def test_rates_page_by_grid_links_each_grid_to_its_cases_and_exports(client, recorded):
    client.force_login(recorded.people[Role.CITY_OFFICIAL])
    url = reverse("injuries:rates") + "?by=grid&city=370200&year=2024"
    page = client.get(url).content.decode()
    other = recorded.other_grid
    assert other.name in page and "未划入网格" in page
    assert f"grid={other.code}" in page
    assert recorded.jinan_enterprise.grid.name not in page
    response = client.get(url + "&export=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.rows][1:]
    by_code = {row[0]: (row[1], row[3], row[4]) for row in rows}
    assert by_code[other.code] == (other.name, 2, 100)
    assert by_code[recorded.grid.code] == (recorded.grid.name, 1, 100)
    cases = client.get(f"{reverse('injuries:cases')}?city=370200&grid={other.code}&year=2024")
    assert recorded.other_case.case_number in cases.content.decode()
    assert recorded.case.case_number not in cases.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_city_official_goes_from_the_dashboard_to_a_grids_cases(page: Any, recorded: Any) -> None:
    from yufang.conftest import browser_login

    official = recorded.people[Role.CITY_OFFICIAL]
    browser_login(page, official.username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/injuries/?year=2024&city=370200")
    page.click("[data-testid=rates-by-grid]")
    page.wait_for_url("**/injuries/rates/?*by=grid*")
    table = page.locator("[data-testid=rate-table]")
    text = table.inner_text()
    other = recorded.other_grid
    assert other.name in text and recorded.grid.name in text and "未划入网格" in text
    assert recorded.jinan_enterprise.grid.name not in text
    table.locator("a", has_text=other.name).click()
    page.wait_for_url(f"**/injuries/cases/?*grid={other.code}*")
    cases = page.locator("[data-testid=case-table]").inner_text()
    assert recorded.other_case.case_number in cases
    assert recorded.case.case_number not in cases
