"""The yearly data exchange (鲁人社规〔2018〕3号 Art. 4): per county of a region and year, the
injury recognitions (from the platform's injury cases), and the occupational-disease reports
and accidents the health and emergency-management departments supplied (imported figures)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from yufang.accounts.scoping.council import region_records_q
from yufang.council.models import ExchangeFigure, ExchangeKind
from yufang.regions.models import Region

EXCHANGE_HEADERS = ["区划代码", "区划", "年度", "类别", "起数", "死亡人数", "提供单位", "备注"]
KIND_ZH = {
    ExchangeKind.INJURY_RECOGNITION: "工伤认定",
    ExchangeKind.OCCUPATIONAL_DISEASE: "职业病报告",
    ExchangeKind.ACCIDENT: "生产安全事故",
}
SOURCE_ZH = {"hrss": "人力资源社会保障", "health": "卫生健康", "emergency": "应急管理"}


def figures_visible(user: Any) -> QuerySet[ExchangeFigure]:
    q = region_records_q(user)
    qs = ExchangeFigure.objects.select_related("region")
    return qs if q is None else qs.filter(q)


def exchange_regions(region: Region) -> QuerySet[Region]:
    """The rows of a region's exchange: a city's counties, a county itself, the province's
    cities."""
    if region.level == Region.Level.PROVINCE:
        return Region.objects.filter(level=Region.Level.CITY).order_by("code")
    if region.level == Region.Level.CITY:
        return Region.objects.filter(
            level=Region.Level.COUNTY, city=region, is_abolished=False
        ).order_by("code")
    return Region.objects.filter(pk=region.pk)


def recognitions_by_region(user: Any, region: Region, year: int) -> dict[int, tuple[int, int]]:
    """Injury recognitions of the year (by recognition date) per row region: (cases,
    deaths), through the injuries module's scoped cases."""
    from yufang.injuries.models import RATE_KINDS
    from yufang.injuries.selectors import cases_visible

    field = (
        "enterprise__city_id" if region.level == Region.Level.PROVINCE else "enterprise__county_id"
    )
    rows = (
        cases_visible(user)
        .filter(recognition_date__year=year, kind__in=RATE_KINDS)
        .values(field)
        .annotate(n=Count("id"), deaths=Count("id", filter=Q(is_death=True)))
        .order_by()
    )
    return {r[field]: (r["n"], r["deaths"]) for r in rows if r[field] is not None}


def exchange_rows(user: Any, region: Region, year: int) -> list[list[Any]]:
    """The exchange table of a region and year: computed recognitions, then the imported
    figures of each kind (a kind not yet supplied reads blank)."""
    recognitions = recognitions_by_region(user, region, year)
    imported = {
        (f.region_id, f.kind): f
        for f in figures_visible(user).filter(year=year, region__in=exchange_regions(region))
    }
    rows: list[list[Any]] = []
    for r in exchange_regions(region):
        cases, deaths = recognitions.get(r.pk, (0, 0))
        rows.append(
            [
                r.code,
                r.name,
                year,
                KIND_ZH[ExchangeKind.INJURY_RECOGNITION],
                cases,
                deaths,
                SOURCE_ZH["hrss"],
                _("from the platform's injury cases"),
            ]
        )
        for kind in (ExchangeKind.OCCUPATIONAL_DISEASE, ExchangeKind.ACCIDENT):
            f = imported.get((r.pk, kind))
            rows.append(
                [
                    r.code,
                    r.name,
                    year,
                    KIND_ZH[kind],
                    f.cases if f else "",
                    f.deaths if f else "",
                    SOURCE_ZH.get(f.source, f.source) if f else "",
                    f.note if f else "",
                ]
            )
    return rows
