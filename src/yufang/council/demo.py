from __future__ import annotations

from yufang.council.models import Department
from yufang.home.demo import DemoContext
from yufang.regions.models import Region

ORDER = 20
BUREAU_NAMES = {
    Department.Code.HRSS: "人力资源和社会保障局",
    Department.Code.EMERGENCY: "应急管理局",
    Department.Code.HEALTH: "卫生健康委员会",
    Department.Code.FINANCE: "财政局",
    Department.Code.UNION: "总工会",
}


def seed(ctx: DemoContext) -> None:
    regions = Region.objects.filter(level__lte=Region.Level.CITY).order_by("code")
    departments = []
    for region in regions:
        for code, suffix in BUREAU_NAMES.items():
            if region.level == Region.Level.PROVINCE:
                name = region.name + suffix.replace("局", "厅").replace("委员会", "委员会")
            else:
                name = region.name + suffix
            departments.append(Department(code=code, region=region, name=name))
    Department.objects.bulk_create(departments, ignore_conflicts=True)
