"""About 3,000 enterprises spread over Shandong the way its economy is: chemicals around
Dongying and Zibo, machinery in Qingdao and Weifang, coal in Jining and Zaozhuang,
construction everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TypeVar

from yufang import policy
from yufang.enterprises.models import Enterprise, EnterpriseSize, InsuredHeadcount
from yufang.industries.models import Industry
from yufang.industries.selectors import risk_class_from_map, risk_class_map
from yufang.organisations.demo import demo_credit_code
from yufang.regions.demo import DEMO_COUNTY
from yufang.regions.models import Grid, Region
from yufang.support.demo import DemoContext

ORDER = 40
T = TypeVar("T")
Sector = tuple[str, list[str], int, dict[str, int], str]
TOTAL = 3000

# Share of the province's demo enterprises in each city.
CITY_WEIGHTS = {
    "370100": 11,
    "370200": 14,
    "370300": 7,
    "370400": 4,
    "370500": 6,
    "370600": 9,
    "370700": 10,
    "370800": 7,
    "370900": 4,
    "371000": 4,
    "371100": 3,
    "371300": 9,
    "371400": 4,
    "371500": 4,
    "371600": 4,
    "371700": 5,
}
# Division groups (GB/T 4754-2017) with a base weight, and the cities where they cluster.
SECTORS: list[Sector] = [
    ("construction", ["47", "48", "49", "50"], 14, {}, "建设工程"),
    ("chemicals", ["25", "26", "28", "29"], 5, {"370500": 6, "370300": 5, "371600": 3}, "化工"),
    (
        "machinery",
        ["33", "34", "35", "36", "38", "40"],
        8,
        {"370200": 3, "370700": 3, "371400": 2},
        "机械",
    ),
    ("metallurgy", ["31", "32"], 2, {"371600": 5, "371100": 4, "371300": 2}, "金属材料"),
    ("building materials", ["30"], 3, {"370300": 3, "371300": 2}, "建材"),
    ("mining", ["06", "08", "10"], 2, {"370800": 6, "370400": 6, "370900": 3, "371700": 2}, "矿业"),
    ("food", ["13", "14", "15"], 6, {"370700": 2, "370600": 2, "371300": 2}, "食品"),
    ("textiles", ["17", "18"], 4, {"371600": 3, "370700": 2, "371500": 2}, "纺织"),
    ("electronics", ["39"], 3, {"370200": 3, "370600": 2}, "电子"),
    ("transport", ["54", "58", "59"], 5, {"371300": 4, "370200": 2}, "物流"),
    ("trade", ["51", "52"], 14, {}, "商贸"),
    ("hospitality", ["61", "62"], 8, {}, "餐饮服务"),
    ("services", ["70", "72", "78", "80"], 8, {}, "服务"),
    ("technology", ["64", "65"], 3, {"370100": 3, "370200": 2}, "科技"),
    ("health", ["84"], 2, {}, "医疗"),
    ("agriculture", ["01", "03", "04"], 3, {"370700": 2, "370600": 2, "371700": 2}, "农业发展"),
]
NAME_CORES = [
    "鑫源",
    "华通",
    "宏达",
    "瑞丰",
    "恒信",
    "金诚",
    "泰和",
    "海岳",
    "东方",
    "盛世",
    "远航",
    "永安",
    "德润",
    "中正",
    "新华",
    "开元",
    "和顺",
    "广源",
    "天成",
    "齐鲁",
    "鲁信",
    "万隆",
    "嘉禾",
    "龙泉",
    "银河",
    "昌盛",
    "聚丰",
    "九州",
    "润德",
    "明珠",
    "通达",
    "兴业",
    "振华",
    "博远",
    "裕丰",
    "汇通",
]
SIZES = [
    (EnterpriseSize.MICRO, 40, 3, 20),
    (EnterpriseSize.SMALL, 38, 20, 300),
    (EnterpriseSize.MEDIUM, 17, 300, 1000),
    (EnterpriseSize.LARGE, 5, 1000, 6000),
]


def _weighted(ctx: DemoContext, items: Sequence[tuple[T, float]]) -> T:
    total = sum(w for _i, w in items)
    pick = ctx.rng.uniform(0, total)
    for item, weight in items:
        pick -= weight
        if pick <= 0:
            return item
    return items[-1][0]


def seed(ctx: DemoContext) -> None:
    cities = {c.code: c for c in Region.objects.filter(level=Region.Level.CITY)}
    counties: dict[str, list[Region]] = {}
    for county in Region.objects.filter(level=Region.Level.COUNTY).order_by("code"):
        counties.setdefault(county.city.code if county.city else "", []).append(county)  # type: ignore[union-attr]
    townships: dict[int, list[Region]] = {}
    for t in Region.objects.filter(level=Region.Level.TOWNSHIP).order_by("code"):
        townships.setdefault(t.county_id, []).append(t)  # type: ignore[arg-type]
    grids: dict[int, list[Grid]] = {}
    for g in Grid.objects.order_by("code"):
        grids.setdefault(g.township_id, []).append(g)
    classes_by_division: dict[str, list[Industry]] = {}
    for industry in Industry.objects.filter(level=Industry.Level.CLASS).order_by("code"):
        classes_by_division.setdefault(industry.division_code, []).append(industry)
    risk = risk_class_map(ctx.today)
    key_divisions = set(policy.value("key_industry_divisions", ctx.today))
    demo_county = Region.objects.get(code=DEMO_COUNTY)
    grid_townships = [t for t in townships.get(demo_county.pk, []) if t.pk in grids]

    enterprises: list[Enterprise] = []
    used_names: set[str] = set()
    city_items = [(code, float(w)) for code, w in CITY_WEIGHTS.items()]
    for n in range(TOTAL):
        # The first 60 are in the demo county's grids, so the grid worker has a real beat.
        if n < 60 and grid_townships:
            city_code, county = DEMO_COUNTY[:4] + "00", demo_county
            township: Region | None = grid_townships[n % len(grid_townships)]
        else:
            city_code = _weighted(ctx, city_items)
            county = ctx.rng.choice(counties[city_code])
            options = townships.get(county.pk, [])
            with_grid = [t for t in options if t.pk in grids]
            township = (
                ctx.rng.choice(with_grid)
                if with_grid and ctx.rng.random() < 0.5
                else (ctx.rng.choice(options) if options else None)
            )
        sector = _weighted(ctx, [(s, float(s[2] * s[3].get(city_code, 1))) for s in SECTORS])
        _label, divisions, _w, _c, suffix = sector
        division = ctx.rng.choice([d for d in divisions if d in classes_by_division])
        industry = ctx.rng.choice(classes_by_division[division])
        size, _share, low, high = _weighted(ctx, [(s, float(s[1])) for s in SIZES])
        city_short = cities[city_code].name.rstrip("市")
        name = f"{city_short}{ctx.rng.choice(NAME_CORES)}{suffix}有限公司"
        if name in used_names:
            name = f"{city_short}{ctx.rng.choice(NAME_CORES)}{ctx.rng.choice(NAME_CORES)}{suffix}有限公司"
        if name in used_names:
            name = f"{name[:-4]}{n}号有限公司"
        used_names.add(name)
        grid = (
            ctx.rng.choice(grids[township.pk])
            if township is not None and township.pk in grids
            else None
        )
        lat = lng = None
        if grid is not None and grid.latitude is not None:
            lat = grid.latitude + Decimal(str(round(ctx.rng.uniform(-0.01, 0.01), 6)))
            lng = grid.longitude + Decimal(str(round(ctx.rng.uniform(-0.01, 0.01), 6)))  # type: ignore[operator]
        enterprise = Enterprise(
            credit_code=demo_credit_code(ctx, county.code),
            name=name,
            address=f"{cities[city_code].name}{county.name}{township.name if township else ''}{ctx.rng.randint(1, 300)}号",
            city=cities[city_code],
            county=county,
            township=township,
            grid=grid,
            industry=industry,
            risk_class=risk_class_from_map(industry.code, risk),
            size=size,
            latitude=lat,
            longitude=lng,
            is_key_industry=industry.division_code in key_divisions,
        )
        enterprise._demo_headcount = ctx.rng.randint(low, high)  # type: ignore[attr-defined]
        enterprises.append(enterprise)
    Enterprise.objects.bulk_create(enterprises, batch_size=1000)

    headcounts = []
    for enterprise in enterprises:
        base = enterprise._demo_headcount  # type: ignore[attr-defined]
        for year in range(ctx.years.start, ctx.today.year):
            drift = 1 + 0.03 * (year - ctx.years.start) + ctx.rng.uniform(-0.05, 0.05)
            headcounts.append(
                InsuredHeadcount(
                    enterprise=enterprise,
                    year=year,
                    insured_headcount=max(1, round(base * drift)),
                    hours_worked=Decimal(round(base * drift * ctx.rng.uniform(1900, 2300)))
                    if ctx.rng.random() < 0.3
                    else None,
                )
            )
    InsuredHeadcount.objects.bulk_create(headcounts, batch_size=2000)
    ctx.shared["enterprises"] = enterprises
    ctx.shared["demo_enterprise"] = pick_demo_enterprise()


def pick_demo_enterprise() -> Enterprise | None:
    """The enterprise of the demo `enterprise` and `worker` accounts: a medium key-industry
    firm inside a grid of the demo county, so hazards, training and injuries have a real
    firm to show. Later demo seeders find it in `ctx.shared["demo_enterprise"]`."""
    in_grid = Enterprise.objects.filter(county__code=DEMO_COUNTY, grid__isnull=False)
    return (
        in_grid.filter(is_key_industry=True, size=EnterpriseSize.MEDIUM).order_by("id").first()
        or in_grid.order_by("id").first()
    )
