"""The spreadsheets the injury pages export, read back as a user's Excel would read them."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from yufang.accounts.models import Role
from yufang.injuries.services import case_create, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, insure

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(world):
    for year in (2023, 2024):
        insure(world.enterprise, year, 100)
    rollup_rebuild()
    admin = world.people[Role.ADMIN]
    case_create(actor=admin, data=case_data(world.enterprise, 1))
    case_create(
        actor=admin,
        data=case_data(
            world.enterprise, 2, accident_date="2023-11-30", recognition_date="2024-01-15"
        ),
    )
    return world


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = [[c.value for c in row] for row in load_workbook(BytesIO(response.content)).active.rows]
    return rows[0], rows[1:]


def test_case_export_has_each_cases_accident_year(client, recorded):
    client.force_login(recorded.people[Role.CITY_OFFICIAL])
    headers, rows = _sheet(client.get(reverse("injuries:cases") + "?export=xlsx"))
    year = headers.index("年度")
    by_case = {row[0]: row[year] for row in rows}
    assert by_case == {"RS-2024-00001": 2024, "RS-2024-00002": 2023}


def test_case_export_csv_has_the_year_too(client, recorded):
    client.force_login(recorded.people[Role.CITY_OFFICIAL])
    text = client.get(reverse("injuries:cases") + "?export=csv").content.decode("utf-8-sig")
    header, *lines = [line.split(",") for line in text.strip().splitlines()]
    year = header.index("年度")
    assert sorted(line[year] for line in lines) == ["2023", "2024"]


def test_rate_export_not_split_by_year_says_which_years_it_covers(client, recorded):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    url = reverse("injuries:rates")
    _headers, rows = _sheet(client.get(url + "?by=city&year=2024&export=xlsx"))
    assert rows and all(row[2] == 2024 for row in rows)
    _headers, rows = _sheet(client.get(url + "?by=city&year_from=2023&year_to=2024&export=xlsx"))
    assert rows and all(row[2] == "2023–2024" for row in rows)
    _headers, rows = _sheet(client.get(url + "?by=year&export=xlsx"))
    assert [row[2] for row in rows] == [2023, 2024]


def test_rate_export_by_size_or_key_industry_shows_labels_not_raw_codes(client, recorded):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    url = reverse("injuries:rates")
    _headers, rows = _sheet(client.get(url + "?by=size&year=2024&export=xlsx"))
    codes = {row[0] for row in rows}
    assert codes and not codes & {"micro", "small", "medium", "large"}
    assert codes <= {"微型", "小型", "中型", "大型"}, codes
    _headers, rows = _sheet(client.get(url + "?by=key_industry&year=2024&export=xlsx"))
    codes = {row[0] for row in rows}
    assert codes and not codes & {"1", "0", 1, 0}
    assert codes <= {"重点行业", "其他行业"}, codes
