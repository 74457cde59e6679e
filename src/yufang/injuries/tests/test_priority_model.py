"""The priority ranking on a small province whose right order is known, and the numbers the
page and the API show to say why an enterprise ranks where it does."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yufang.accounts.models import Role
from yufang.injuries.selectors import priority_list
from yufang.injuries.services import priority_rebuild, rollup_rebuild
from yufang.injuries.tests.helpers import insure
from yufang.injuries.tests.test_analytics import add_cases
from yufang.lib import rates
from yufang.tests.factories import EnterpriseFactory, industry, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(world):
    """Four industry divisions of Qingdao's 黄岛区, one year of data (2024):

    - coal mining (06): eight mines of 500 insured with 10 cases each (20 ‰, alike: the
      division's rate is known well) and 小矿, 15 insured and no case;
    - chemicals (26): eight plants of 500 with 2 cases each and 化工大厂, 2,000 insured with
      30 cases (15 ‰ against its division's 4 ‰ or so);
    - software (65): five firms of 500, no case;
    - apparel (18): only 孤例甲, 15 insured with 2 cases, and 孤例乙, 15 insured, none.
    """
    admin = world.people[Role.ADMIN]
    county = region("370211")
    made: dict[str, object] = {}
    n = 0

    def firm(name: str, code: str, headcount: int, cases: int) -> None:
        nonlocal n
        e = EnterpriseFactory(name=name, industry=industry(code), county=county)
        insure(e, 2024, headcount)
        if cases:
            add_cases(admin, e, 2024, cases, n)
            n += cases
        made[name] = e

    for i in range(8):
        firm(f"煤矿{i}", "0610", 500, 10)
    firm("小矿", "0610", 15, 0)
    for i in range(8):
        firm(f"化工{i}", "2614", 500, 2)
    firm("化工大厂", "2614", 2000, 30)
    for i in range(5):
        firm(f"软件{i}", "6511", 500, 0)
    firm("孤例甲", "1811", 15, 2)
    firm("孤例乙", "1811", 15, 0)
    rollup_rebuild()
    priority_rebuild([2024])
    world.firms = made
    return world


def _names(rows):
    return [r.name for r in rows]


def test_the_ranking_follows_the_industry_priors_and_each_firms_own_cases(province):
    rows = priority_list(province.people[Role.PROVINCE_OFFICIAL], year=2024)
    names = _names(rows)
    groups = [
        # Two injuries among 15 insured (133 ‰): evidence of its own, which weighs a third
        # against a division of two small firms.
        {"孤例甲"},
        # Coal mining's rate (20 ‰) is known from 4,000 person-years: its mines alike, and
        # 小矿, without a case in 15 person-years, right after them: nothing shows it is
        # safer than its industry.
        {f"煤矿{i}" for i in range(8)},
        {"小矿"},
        # 30 cases in 2,000 person-years, far above its division's 7.7 ‰.
        {"化工大厂"},
        # The lone apparel firm without a case. Its division's raw rate (2 in 30
        # person-years, 67 ‰) is shrunk toward the province's before it serves as the
        # prior: taken as known, it put this firm second, above every mine.
        {"孤例乙"},
        {f"化工{i}" for i in range(8)},
        {f"软件{i}" for i in range(5)},
    ]
    at = 0
    for group in groups:
        assert set(names[at : at + len(group)]) == group, (at, names)
        at += len(group)
    assert at == len(names)
    by_name = {r.name: r for r in rows}
    assert by_name["孤例乙"].industry_rate < 30


def test_by_excess_cases_the_firm_above_its_industry_comes_first(province):
    rows = priority_list(province.people[Role.PROVINCE_OFFICIAL], year=2024, order="excess")
    assert rows[0].name == "化工大厂"
    small_mine = next(r for r in rows if r.name == "小矿")
    assert small_mine.excess_cases < 0


def test_a_zero_case_firm_high_on_the_list_carries_why(province):
    row = next(
        r
        for r in priority_list(province.people[Role.PROVINCE_OFFICIAL], year=2024)
        if r.name == "小矿"
    )
    assert row.cases == 0 and row.person_years == 15
    assert row.industry_rate == pytest.approx(20.0, rel=0.03)
    assert row.expected_cases == pytest.approx(row.industry_rate * 15 / 1000)
    assert row.own_weight is not None and row.own_weight < 0.01
    assert row.rests_on_industry
    assert row.smoothed_low < row.smoothed_rate < row.smoothed_high
    big = next(
        r
        for r in priority_list(province.people[Role.PROVINCE_OFFICIAL], year=2024)
        if r.name == "化工大厂"
    )
    assert big.own_weight > 0.5 and not big.rests_on_industry


def test_the_priority_page_and_api_show_expected_observed_interval_and_prior(
    client, api_client, province
):
    official = province.people[Role.CITY_OFFICIAL]
    small_mine = province.firms["小矿"]
    client.force_login(official)
    html = client.get(reverse("injuries:priority") + "?year=2024").content.decode()
    row = html[html.index(f'data-enterprise="{small_mine.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "没有案件" in row or "无案件" in row  # the why, in Chinese
    for testid in ("priority-cases", "priority-expected", "priority-prior", "priority-weight"):
        assert f'data-testid="{testid}"' in row
    expected = f"{20.0 * 15 / 1000:.2f}"
    assert ">0<" in row and ">0%<" in row
    assert any(f">{e}<" in row for e in ("0.29", "0.30")), expected
    dashboard = client.get(reverse("injuries:dashboard") + "?year=2024").content.decode()
    assert 'data-testid="priority-why"' in dashboard
    body = api_client(official).get("/injuries/priority?year=2024&limit=50").json()
    got = next(r for r in body["rows"] if r["enterprise_id"] == small_mine.pk)
    assert got["cases"] == 0 and got["expected_cases"] == pytest.approx(0.3, rel=0.03)
    assert got["industry_rate"] == pytest.approx(20.0, rel=0.03)
    assert got["smoothed_low"] < got["smoothed_rate"] < got["smoothed_high"]
    assert got["own_weight"] < 0.01


def test_eb_interval_is_the_posterior_gammas():
    prior = rates.GammaPrior(4.0, 1000.0)
    low, high = rates.eb_interval(2, 500, prior)
    assert low == pytest.approx(rates.gamma_quantile(0.025, 6.0) / 1500)
    assert high == pytest.approx(rates.gamma_quantile(0.975, 6.0) / 1500)
    strong = rates.GammaPrior(4000.0, 1_000_000.0)
    low, high = rates.eb_interval(0, 15, strong)
    assert low == pytest.approx(rates.gamma_quantile(0.025, 4000.0) / 1_000_015, rel=1e-5)
    assert rates.eb_interval(0, 15, rates.GammaPrior(0.0, 100.0)) == (0.0, 0.0)


def test_the_priority_export_carries_the_interval_and_the_weight(client, province):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(province.people[Role.CITY_OFFICIAL])
    export = client.get(reverse("injuries:priority") + "?year=2024&export=xlsx")
    rows = [[c.value for c in r] for r in load_workbook(BytesIO(export.content)).active.rows]
    head, body = rows[0], rows[1:]
    small_mine = next(r for r in body if r[head.index("企业")] == "小矿")
    low, high = small_mine[head.index("95%置信区间下限")], small_mine[head.index("95%置信区间上限")]
    assert low < small_mine[head.index("平滑发生率（‰）")] < high
    assert small_mine[head.index("自身数据权重（%）")] < 1
    assert small_mine[head.index("案件数")] == 0
