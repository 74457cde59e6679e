"""Demo service institutions and member departments."""

from __future__ import annotations

from yufang.lib.identifiers import credit_code_check_character, organisation_code_check_character
from yufang.organisations.models import Department, Institution
from yufang.regions.models import Region
from yufang.support.demo import DemoContext

ORDER = 20


INSTITUTIONS = [
    ("370200", "青岛市工伤预防培训中心", Institution.Kind.TRAINING),
    ("370200", "青岛安康职业安全咨询有限公司", Institution.Kind.CONSULTING),
    ("371500", "聊城市安全生产专家服务中心", Institution.Kind.CONSULTING),
    ("370500", "东营市危险化学品安全培训学校", Institution.Kind.TRAINING),
    ("370100", "济南市工伤预防宣传服务中心", Institution.Kind.PUBLICITY),
    ("370700", "潍坊市职业健康体检中心", Institution.Kind.MEDICAL),
]


def demo_credit_code(ctx: DemoContext, region_code: str, kind: str = "91") -> str:
    """A fictitious code that passes both check characters."""
    org = "".join(ctx.rng.choice("0123456789") for _ in range(8))
    body = f"{kind}{region_code}{org}{organisation_code_check_character(org)}"
    return body + credit_code_check_character(body)


def seed_institutions(ctx: DemoContext) -> None:
    cities = {c.code: c for c in Region.objects.filter(level=Region.Level.CITY)}
    made = []
    for city_code, name, kind in INSTITUTIONS:
        made.append(
            Institution.objects.create(
                name=name,
                kind=kind,
                city=cities[city_code],
                credit_code=demo_credit_code(ctx, city_code, "52"),
                address=cities[city_code].name,
            )
        )
    ctx.shared["institutions"] = made


BUREAU_NAMES = {
    Department.Code.HRSS: "人力资源和社会保障局",
    Department.Code.EMERGENCY: "应急管理局",
    Department.Code.HEALTH: "卫生健康委员会",
    Department.Code.FINANCE: "财政局",
    Department.Code.UNION: "总工会",
}


def seed_departments(ctx: DemoContext) -> None:
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


def seed(ctx: DemoContext) -> None:
    seed_institutions(ctx)
    seed_departments(ctx)
