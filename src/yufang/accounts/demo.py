"""One demo account per role, named after it, with the password `yufang-demo`.

Created only by `yufang seed-demo`, never by migrations or in production.
"""

from __future__ import annotations

from typing import Any

from yufang.accounts.models import Role, User
from yufang.enterprises.demo import pick_demo_enterprise
from yufang.organisations.models import Department, Institution
from yufang.regions.demo import DEMO_COUNTY
from yufang.regions.models import Grid, Region
from yufang.support.demo import DEMO_PASSWORD, DemoContext

ORDER = 90


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, role, what it is bound to), for `make demo` to print."""
    return [
        (
            u.username,
            u.get_role_display(),
            str(u.region or u.grid or u.enterprise or u.institution or u.department or ""),
        )
        for u in User.objects.filter(username__in=[a[0] for a in ACCOUNTS])
        .select_related("region", "grid", "enterprise", "institution", "department")
        .order_by("id")
    ]


ACCOUNTS = [
    ("province", Role.PROVINCE_OFFICIAL, "省人社厅 王处长"),
    ("city", Role.CITY_OFFICIAL, "青岛市人社局 李科长"),
    ("county", Role.COUNTY_OFFICIAL, "黄岛区人社局 张主任"),
    ("gridworker", Role.GRID_WORKER, "网格员 刘芳"),
    ("enterprise", Role.SAFETY_MANAGER, "安全主管 陈刚"),
    ("institution", Role.INSTITUTION_STAFF, "培训中心 赵老师"),
    ("liaison", Role.DEPARTMENT_LIAISON, "应急管理局 孙联络员"),
    ("worker", Role.WORKER, "职工 周强"),
    ("auditor", Role.AUDITOR, "审计 吴审计"),
    ("admin", Role.ADMIN, "系统管理员"),
]


def seed(ctx: DemoContext) -> None:
    province = Region.objects.get(level=Region.Level.PROVINCE)
    qingdao = Region.objects.get(code="370200")
    county = Region.objects.get(code=DEMO_COUNTY)
    # The enterprise account's firm is picked by the enterprises demo; the grid worker
    # walks its grid, so the hazard and training demos build on the pair.
    enterprise = ctx.shared.get("demo_enterprise") or pick_demo_enterprise()
    grid = (
        enterprise.grid
        if enterprise
        else Grid.objects.filter(county=county).order_by("code").first()
    )
    scopes: dict[str, dict[str, Any]] = {
        "province": {"region": province},
        "city": {"region": qingdao},
        "county": {"region": county},
        "gridworker": {"grid": grid},
        "enterprise": {"enterprise": enterprise},
        "institution": {
            "institution": Institution.objects.filter(city=qingdao).order_by("id").first()
        },
        "liaison": {
            "department": Department.objects.get(region=qingdao, code=Department.Code.EMERGENCY)
        },
        "worker": {"enterprise": enterprise},
        "auditor": {},
        "admin": {},
    }
    for index, (username, role, full_name) in enumerate(ACCOUNTS):
        user = User(
            username=username,
            role=role,
            full_name=full_name,
            phone=f"1380000{index:04d}",
            **scopes[username],
        )
        user.set_password(DEMO_PASSWORD)
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save()
    ctx.shared["demo_enterprise"] = enterprise
    ctx.shared["demo_grid"] = grid
