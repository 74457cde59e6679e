"""Demo grid work in 黄岛区 (the demo county): grid workers on its grids (the `gridworker`
account on two), the county's duty lists, a month of screening history with two workers
behind, a confined-space campaign running, and this period's tasks, so that the grid
worker opens on today's tasks and the county official sees lagging grids."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from yufang.accounts.models import Role, User
from yufang.enterprises.models import Enterprise
from yufang.grid.models import (
    CampaignTarget,
    DutyItem,
    DutyList,
    GridAssignment,
    GridPlacement,
    GridRole,
    PlacementMethod,
    Screening,
    ScreeningFinding,
    ScreeningPlan,
    ScreeningTask,
    TaskStatus,
)
from yufang.grid.services import routine_plan, tasks_generate
from yufang.regions.demo import DEMO_COUNTY
from yufang.regions.models import Grid, Region
from yufang.support.demo import DEMO_PASSWORD, DemoContext

ORDER = 96  # after the accounts (90): the demo grid worker exists

WORKER_NAMES = ["王磊", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵敏", "黄勇", "周婷", "吴刚"]
# Workers who fell behind last month: most of their tasks were not done.
BEHIND = {"gridworker3", "gridworker6"}
DUTY_ITEMS = {
    GridRole.FULL_TIME: [
        ("安全出口、疏散通道是否畅通", True),
        ("消防器材是否完好有效", True),
        ("有限空间是否设置警示标志并落实审批", True),
        ("电气线路是否私拉乱接", True),
        ("员工是否佩戴劳动防护用品", True),
        ("企业是否参加工伤保险并开展培训", False),
        ("宣传工伤预防政策，发放宣传资料", False),
    ],
    GridRole.PART_TIME: [
        ("安全出口、疏散通道是否畅通", True),
        ("消防器材是否完好有效", True),
        ("发现隐患及时上报网格长", False),
    ],
}


def _at(day: dt.date, ctx: DemoContext) -> dt.datetime:
    hour = ctx.rng.randint(8, 17)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, ctx.rng.randint(0, 59))))


def _near(value: Decimal | None, ctx: DemoContext, spread: float = 0.0004) -> Decimal | None:
    if value is None:
        return None
    return (value + Decimal(str(round(ctx.rng.uniform(-spread, spread), 6)))).quantize(
        Decimal("0.000001")
    )


def seed_workers(ctx: DemoContext, grids: list[Grid]) -> dict[int, list[User]]:
    demo_worker = User.objects.filter(username="gridworker").first()
    county_official = User.objects.filter(username="county").first()
    start = ctx.today - dt.timedelta(days=120)
    by_grid: dict[int, list[User]] = {g.pk: [] for g in grids}
    assignments = []
    made = 0
    for index, grid in enumerate(grids):
        people: list[User] = []
        if demo_worker is not None and (grid.pk == demo_worker.grid_id or index == 0):
            people.append(demo_worker)
        while len(people) < 2:
            made += 1
            user = User(
                username=f"gridworker{made + 1}",
                role=Role.GRID_WORKER,
                full_name=f"网格员 {WORKER_NAMES[(made - 1) % len(WORKER_NAMES)]}",
                phone=f"1390000{made:04d}",
                grid=grid,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            people.append(user)
        for n, person in enumerate(people):
            assignments.append(
                GridAssignment(
                    grid=grid,
                    worker=person,
                    grid_role=GridRole.FULL_TIME if n == 0 else GridRole.PART_TIME,
                    started_on=start,
                    created_by=county_official,
                )
            )
        by_grid[grid.pk] = people
    GridAssignment.objects.bulk_create(assignments, ignore_conflicts=True)
    return by_grid


def seed_duty_lists(ctx: DemoContext, county: Region) -> None:
    official = User.objects.filter(username="county").first()
    for role, items in DUTY_ITEMS.items():
        duty = DutyList.objects.create(
            county=county,
            grid_role=role,
            valid_from=ctx.today.replace(month=1, day=1),
            created_by=official,
        )
        DutyItem.objects.bulk_create(
            DutyItem(duty_list=duty, position=i + 1, text=t, in_checklist=asked)
            for i, (t, asked) in enumerate(items)
        )


def seed_history(ctx: DemoContext, grids: list[Grid], by_grid: dict[int, list[User]]) -> int:
    """Last month's routine tasks, mostly screened on time; the BEHIND workers' mostly not."""
    plan = routine_plan()
    this_month = ctx.today.replace(day=1)
    start = (this_month - dt.timedelta(days=1)).replace(day=1)
    end = this_month - dt.timedelta(days=1)
    enterprises = list(
        Enterprise.objects.filter(grid__in=grids).select_related("grid").order_by("pk")
    )
    GridPlacement.objects.bulk_create(
        [
            GridPlacement(
                enterprise=e,
                grid_id=int(e.grid_id or 0),
                method=PlacementMethod.IMPORT if i % 5 else PlacementMethod.AUTOMATIC,
                placed_at=timezone.now() - dt.timedelta(days=200),
            )
            for i, e in enumerate(enterprises)
        ],
        ignore_conflicts=True,
    )
    stamp = timezone.make_aware(dt.datetime.combine(start, dt.time(1, 20)))
    screenings = 0
    for i, enterprise in enumerate(enterprises):
        grid_id = int(enterprise.grid_id or 0)
        people = by_grid.get(grid_id) or []
        worker = people[i % len(people)] if people else None
        task = ScreeningTask.objects.create(
            enterprise=enterprise,
            grid_id=grid_id,
            worker=worker,
            plan=plan,
            period_start=start,
            period_end=end,
            due_on=end,
            status=TaskStatus.OPEN,
            created_at=stamp,
        )
        if worker is None:
            continue
        behind = worker.username in BEHIND
        if ctx.rng.random() < (0.25 if behind else 0.92):
            day = start + dt.timedelta(days=ctx.rng.randint(0, (end - start).days))
            far = ctx.rng.random() < 0.05
            when = _at(day, ctx)
            screening = Screening.objects.create(
                task=task,
                enterprise=enterprise,
                grid_id=grid_id,
                worker=worker,
                done_at=when,
                latitude=_near(enterprise.latitude, ctx, 0.02 if far else 0.0004),
                longitude=_near(enterprise.longitude, ctx, 0.02 if far else 0.0004),
                accuracy_m=ctx.rng.randint(5, 40),
                distance_m=ctx.rng.randint(1200, 2500) if far else ctx.rng.randint(5, 80),
                far_from_enterprise=far,
                answers=[
                    {"item": t, "answer": "no" if ctx.rng.random() < 0.1 else "yes"}
                    for t, asked in DUTY_ITEMS[GridRole.FULL_TIME]
                    if asked
                ],
                note="",
                idempotency_key=f"demo-{task.pk}",
            )
            ScreeningTask.objects.filter(pk=task.pk).update(status=TaskStatus.DONE, closed_at=when)
            screenings += 1
            _link_hazard(screening)
    return screenings


def _link_hazard(screening: Screening) -> None:
    """Counts a hazard of the screened enterprise, reported that month, as found there."""
    from yufang.hazards.selectors import hazards_reported_since

    found = (
        hazards_reported_since(
            screening.enterprise_id, screening.done_at.date() - dt.timedelta(days=30)
        )
        .exclude(pk__in=ScreeningFinding.objects.values("hazard_id"))
        .first()
    )
    if found is not None:
        ScreeningFinding.objects.create(screening=screening, hazard=found)


def seed(ctx: DemoContext) -> None:
    from yufang.grid.services.coverage_counts import coverage_counts_rebuild

    county = Region.objects.get(code=DEMO_COUNTY)
    grids = list(Grid.objects.filter(county=county).order_by("code"))
    if not grids:
        return
    by_grid = seed_workers(ctx, grids)
    seed_duty_lists(ctx, county)
    done = seed_history(ctx, grids, by_grid)
    official = User.objects.filter(username="county").first()
    ScreeningPlan.objects.create(
        kind="campaign",
        name="有限空间作业专项排查",
        region=county,
        target=CampaignTarget.INDUSTRIES,
        industry_codes=["C13", "C14", "C17", "C22", "C26"],
        starts_on=ctx.today - dt.timedelta(days=3),
        ends_on=ctx.today + dt.timedelta(days=10),
        note="两周专项行动：污水井、发酵罐、储罐等有限空间",
        created_by=official,
    )
    result = tasks_generate(on=ctx.today, region=county)
    # The history above was written straight into the tables, past the services that keep
    # the coverage counts.
    coverage_counts_rebuild()
    ctx.shared["grid_workers"] = by_grid
    ctx.log.write(
        f"grid: {len(grids)} grids in 黄岛区, {done} screenings last month, "
        f"{result.created} tasks this period"
    )
