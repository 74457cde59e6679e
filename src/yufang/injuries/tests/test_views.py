from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse

from yufang.accounts.models import Role
from yufang.injuries.models import InjuryCase
from yufang.injuries.services import case_create, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, id_number, insure

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(world):
    for e in (world.enterprise, world.other_enterprise, world.jinan_enterprise):
        insure(e, 2023, 100)
        insure(e, 2024, 100)
    rollup_rebuild()
    admin = world.people[Role.ADMIN]
    world.case = case_create(actor=admin, data=case_data(world.enterprise, 1))
    world.jinan_case = case_create(actor=admin, data=case_data(world.jinan_enterprise, 2))
    return world


def test_province_dashboard_shows_the_map_trend_breakdowns_and_priority(client, recorded):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    page = client.get(reverse("injuries:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    for testid in (
        "rate-map",
        "trend-chart",
        "industry-chart",
        "category-chart",
        "priority-table",
        "target-status",
    ):
        assert f'data-testid="{testid}"' in html, testid
    assert "shandong-cities" in html
    # Drill-down links: province -> city.
    assert "?city=370200&year=2024" in html


def test_drill_down_from_city_to_county_to_enterprise_to_cases(client, recorded):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    city = client.get(reverse("injuries:dashboard") + "?city=370200&year=2024").content.decode()
    assert "counties-370200" in city and "county=370211" in city
    county = client.get(reverse("injuries:dashboard") + "?county=370211&year=2024").content.decode()
    assert 'data-testid="enterprise-rates"' in county
    assert f"enterprise={recorded.enterprise.pk}" in county
    cases = client.get(
        reverse("injuries:cases") + f"?enterprise={recorded.enterprise.pk}&year=2024"
    )
    assert recorded.case.case_number in cases.content.decode()


def test_city_official_cannot_open_another_citys_dashboard_or_case(client, recorded):
    client.force_login(recorded.people[Role.CITY_OFFICIAL])
    assert client.get(reverse("injuries:dashboard") + "?city=370100").status_code == 404
    assert client.get(reverse("injuries:case", args=[recorded.jinan_case.pk])).status_code == 404
    listing = client.get(reverse("injuries:cases")).content.decode()
    assert recorded.case.case_number in listing
    assert recorded.jinan_case.case_number not in listing


def test_case_list_shows_the_id_number_masked_and_exports(client, recorded):
    client.force_login(recorded.people[Role.COUNTY_OFFICIAL])
    html = client.get(reverse("injuries:cases")).content.decode()
    assert id_number(1) not in html
    assert id_number(1)[:6] + "********" in html
    export = client.get(reverse("injuries:cases") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_official_creates_a_case_in_the_ui_and_sees_errors_named(client, recorded):
    client.force_login(recorded.people[Role.COUNTY_OFFICIAL])
    data = case_data(recorded.enterprise.credit_code, 5, case_number="UI-1")
    data["is_death"] = ""
    bad = client.submit(reverse("injuries:case_new"), {**data, "payout": "-3"})
    assert bad.status_code == 200
    assert 'data-testid="form-errors"' in bad.content.decode()
    assert not InjuryCase.objects.filter(case_number="UI-1").exists()
    good = client.submit(reverse("injuries:case_new"), data)
    case = InjuryCase.objects.get(case_number="UI-1")
    assert good.url == reverse("injuries:case", args=[case.pk])
    edit = client.submit(
        reverse("injuries:case_edit", args=[case.pk]),
        {**data, "id_number": "", "lost_workdays": "40"},
    )
    assert edit.status_code == 302
    case.refresh_from_db()
    assert case.lost_workdays == 40


def test_reveal_button_shows_the_full_number_to_an_official_only(client, recorded):
    url = reverse("injuries:case_reveal", args=[recorded.case.pk])
    client.force_login(recorded.people[Role.SAFETY_MANAGER])
    detail = client.get(reverse("injuries:case", args=[recorded.case.pk])).content.decode()
    assert 'data-testid="reveal"' not in detail
    assert client.post_direct(url).status_code == 403
    client.force_login(recorded.people[Role.COUNTY_OFFICIAL])
    detail_url = reverse("injuries:case", args=[recorded.case.pk])
    assert id_number(1) in client.submit(detail_url, action=url).content.decode()


def test_safety_manager_cannot_record_cases(client, recorded):
    client.force_login(recorded.people[Role.SAFETY_MANAGER])
    assert client.get(reverse("injuries:case_new")).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "injuries:rates",
        "injuries:targets",
        "injuries:priority",
        "injuries:headcounts",
    ],
)
def test_analytics_pages_render_and_export(client, recorded, url):
    client.force_login(recorded.people[Role.CITY_OFFICIAL])
    assert client.get(reverse(url)).status_code == 200
    export = client.get(reverse(url) + "?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_priority_page_says_which_window_and_data_it_ranks(client, recorded):
    from openpyxl import load_workbook

    client.force_login(recorded.people[Role.CITY_OFFICIAL])
    page = client.get(reverse("injuries:priority") + "?year=2024").content.decode()
    assert 'data-testid="priority-ranking"' in page and "2022–2024" in page
    assert recorded.enterprise.name in page
    export = client.get(reverse("injuries:priority") + "?year=2024&export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    assert sheet.cell(2, 1).value == 1 and sheet.cell(2, 2).value == recorded.enterprise.name


def test_rates_page_groups_by_every_dimension(client, recorded):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    for by in (
        "year",
        "city",
        "county",
        "grid",
        "industry",
        "risk_class",
        "key_industry",
        "size",
        "enterprise",
        "category",
    ):
        page = client.get(reverse("injuries:rates") + f"?by={by}&industry_level=2&per_year=1")
        assert page.status_code == 200, by
    page = client.get(reverse("injuries:rates") + "?by=city&year=2024").content.decode()
    assert "青岛市" in page and "济南市" in page


def test_rates_by_enterprise_or_grid_ask_a_province_official_for_a_city(client, recorded):
    url = reverse("injuries:rates")
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    for by in ("enterprise", "grid"):
        page = client.get(url + f"?by={by}").content.decode()
        assert 'data-testid="rates-need-region"' in page, by
    in_city = client.get(url + "?by=enterprise&city=370200").content.decode()
    assert 'data-testid="rates-need-region"' not in in_city
    assert recorded.enterprise.name in in_city
    client.force_login(recorded.people[Role.CITY_OFFICIAL])
    assert recorded.enterprise.name in client.get(url + "?by=enterprise").content.decode()


def test_headcount_form_sets_exposure_and_refuses_zero_with_cases(client, recorded):
    client.force_login(recorded.people[Role.COUNTY_OFFICIAL])
    url = reverse("injuries:headcounts")
    code = recorded.enterprise.credit_code
    ok = client.submit(
        url,
        {"enterprise": code, "year": "2024", "insured_headcount": "150", "hours_worked": "300000"},
    )
    assert ok.status_code == 302
    refused = client.submit(url, {"enterprise": code, "year": "2024", "insured_headcount": "0"})
    assert "insured_headcount" in refused.content.decode()


def test_dashboard_figures_lead_to_the_cases_behind_them(client, recorded):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    html = client.get(reverse("injuries:dashboard") + "?year=2024").content.decode()
    assert reverse("injuries:cases") + "?year=2024&counted=1" in html
    cases = client.get(reverse("injuries:cases") + "?year=2024&counted=1").content.decode()
    assert recorded.case.case_number in cases and recorded.jinan_case.case_number in cases


def test_officials_get_a_to_do_for_cases_without_a_headcount(client, recorded):
    from django.utils import timezone

    from yufang.enterprises.models import InsuredHeadcount
    from yufang.enterprises.services import registry_change
    from yufang.injuries.selectors import injury_todos

    official = recorded.people[Role.COUNTY_OFFICIAL]
    assert injury_todos(official) == []
    last_year = timezone.localdate().year - 1
    insure(recorded.enterprise, last_year, 100)
    case = case_create(
        actor=official,
        data=case_data(
            recorded.enterprise,
            9,
            accident_date=f"{last_year}-02-01",
            recognition_date=f"{last_year}-03-01",
        ),
    )
    # Removed as the registry changes headcounts: its watchers keep the rollup exact.
    with registry_change([recorded.enterprise.pk]):
        InsuredHeadcount.objects.filter(enterprise=recorded.enterprise, year=last_year).delete()
    todos = injury_todos(official)
    assert len(todos) == 1 and "missing_headcount=1" in todos[0].url
    client.force_login(official)
    listing = client.get(todos[0].url).content.decode()
    assert case.case_number in listing
    # A case of a year with a headcount is not listed.
    assert recorded.case.case_number not in listing
    assert injury_todos(recorded.people[Role.SAFETY_MANAGER]) == []


def test_dashboard_speaks_chinese_by_default_and_english_on_request(client, recorded):
    client.force_login(recorded.people[Role.PROVINCE_OFFICIAL])
    chinese = client.get(reverse("injuries:dashboard")).content.decode()
    assert "工伤发生率（‰）" in chinese and "重点预防名单" in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(reverse("injuries:dashboard")).content.decode()
    assert "Injury rate (‰)" in english and "Prevention priority" in english
