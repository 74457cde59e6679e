"""Demo joint meeting: Qingdao's, with its member departments (emergency, health, finance,
housing, transport, industry, the trade union, HRSS convening), the demo `liaison` (emergency
management) on the roster, two meetings (one closed with minutes, one open), resolutions and
tasks (some overdue, some done with evidence, some coming due), this year's work plan linked
to the platform's records, last year's exchanged figures and a draft yearly report. Runs after
the accounts, hazards and training demos, which it links to."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from yufang.accounts.models import Role, User
from yufang.council import services
from yufang.council.models import CouncilTask, ExchangeFigure, ExchangeKind
from yufang.council.sources import source_of
from yufang.organisations.models import Department
from yufang.regions.models import Region
from yufang.support.demo import DemoContext

ORDER = 97

# The departments of Qingdao's joint meeting; the organisations demo makes the first five in
# every city, the others only the joint meeting needs.
MEMBERS = [
    (
        Department.Code.HRSS,
        "青岛市人力资源和社会保障局",
        "召集单位：统筹工伤预防工作，组织数据交换",
    ),
    (Department.Code.EMERGENCY, "青岛市应急管理局", "隐患排查治理、重大隐患督办、生产安全事故数据"),
    (Department.Code.HEALTH, "青岛市卫生健康委员会", "职业病危害监测、职业病报告数据"),
    (Department.Code.FINANCE, "青岛市财政局", "工伤预防费预算和使用监督"),
    (Department.Code.HOUSING, "青岛市住房和城乡建设局", "建筑施工领域工伤预防"),
    (Department.Code.TRANSPORT, "青岛市交通运输局", "交通运输领域工伤预防"),
    (Department.Code.INDUSTRY, "青岛市工业和信息化局", "机械制造、冶金建材领域工伤预防"),
    (Department.Code.UNION, "青岛市总工会", "职工宣传教育和群众监督"),
]


def _png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 110, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _task(
    city: Any,
    resolution: Any,
    department: Department,
    title: str,
    deadline: dt.date,
    today: dt.date,
) -> CouncilTask:
    """A task as the meeting assigned it; a deadline already past is set after (the service
    refuses a past deadline, as it should for a new task)."""
    task = services.task_create(
        actor=city,
        resolution=resolution,
        department=department,
        title=title,
        deadline=max(deadline, today),
    )
    if deadline < today:
        CouncilTask.objects.filter(pk=task.pk).update(deadline=deadline)
        task.refresh_from_db()
    return task


def seed(ctx: DemoContext) -> None:
    today = ctx.today
    qingdao = Region.objects.get(code="370200")
    city = User.objects.get(username="city")
    liaison = User.objects.get(username="liaison")
    departments: dict[str, Department] = {}
    for code, name, _remit in MEMBERS:
        departments[code] = Department.objects.get_or_create(
            region=qingdao, code=code, defaults={"name": name}
        )[0]
    jm = services.joint_meeting_create(
        actor=city,
        region=qingdao,
        name="青岛市工伤预防工作联席会议",
        convener="青岛市人力资源和社会保障局 分管副局长",
    )
    memberships = {
        code: services.membership_add(
            actor=city, joint_meeting=jm, department=departments[code], remit=remit
        )
        for code, _name, remit in MEMBERS
    }
    services.liaison_add(
        actor=city, membership=memberships[Department.Code.EMERGENCY], user=liaison, position="科长"
    )
    for other in User.objects.filter(
        role=Role.DEPARTMENT_LIAISON, department__in=departments.values()
    ).exclude(pk=liaison.pk):
        services.liaison_add(
            actor=city,
            membership=next(
                m for m in memberships.values() if m.department_id == other.department_id
            ),
            user=other,
        )

    # --- the first meeting, three months ago: closed, with its follow-up under way
    first = services.meeting_create(
        actor=city,
        joint_meeting=jm,
        title=f"{today.year}年第一次全体会议",
        held_on=today - dt.timedelta(days=95),
        place="青岛市人力资源和社会保障局 3 楼会议室",
        agenda="一、通报上半年工伤事故和职业病情况\n二、部署有限空间和粉尘涉爆企业专项整治\n"
        "三、研究部门数据共享办法",
    )
    for code, _name, _remit in MEMBERS:
        services.attendance_record(
            actor=city,
            meeting=first,
            department=departments[code],
            status="deputy" if code == Department.Code.TRANSPORT else "present",
            attendee="分管负责同志",
        )
    services.attachment_add(actor=city, meeting=first, upload=_png("会议议程.png"))
    r1 = services.resolution_add(
        actor=city, meeting=first, text="开展有限空间和粉尘涉爆企业专项整治，年底前完成全覆盖排查。"
    )
    r2 = services.resolution_add(
        actor=city, meeting=first, text="建立工伤认定、职业病报告和生产安全事故数据季度共享机制。"
    )
    r3 = services.resolution_add(
        actor=city, meeting=first, text="建筑施工和交通运输领域各开展一期工伤预防专题培训。"
    )
    done = _task(
        city,
        r1,
        departments["emergency"],
        "完成黄岛区有限空间企业排查并报送清单",
        today - dt.timedelta(days=40),
        today,
    )
    services.progress_report(
        actor=liaison, task=done, note="已排查有限空间企业 86 家，发现隐患 23 项。"
    )
    services.progress_report(
        actor=liaison,
        task=done,
        note="排查清单已报送市人社局，隐患已全部交办整改。",
        evidence=_png("排查清单.png"),
        completes=True,
    )
    overdue = _task(
        city,
        r1,
        departments["emergency"],
        "督办粉尘涉爆企业重大隐患整改销号",
        today - dt.timedelta(days=10),
        today,
    )
    services.progress_report(
        actor=liaison, task=overdue, note="12 项重大隐患中已销号 8 项，其余 4 项正在整改。"
    )
    _task(
        city,
        r2,
        departments["health"],
        "提供上一年度职业病报告数据（按区市）",
        today - dt.timedelta(days=20),
        today,
    )
    _task(
        city,
        r2,
        departments["emergency"],
        "提供上一年度生产安全事故数据（按区市）",
        today + dt.timedelta(days=5),
        today,
    )
    _task(
        city,
        r3,
        departments["housing"],
        "举办建筑施工企业工伤预防专题培训班",
        today + dt.timedelta(days=25),
        today,
    )
    _task(
        city,
        r3,
        departments["transport"],
        "举办道路运输企业驾驶员安全培训",
        today - dt.timedelta(days=3),
        today,
    )
    services.meeting_update(
        actor=city,
        meeting=first,
        minutes="会议由市人社局分管副局长主持，8 个成员单位参加。会议通报了上半年全市工伤事故和"
        "职业病情况，议定三项事项（见议定事项），明确责任单位和完成时限，由市人社局督办。",
    )
    services.meeting_close(actor=city, meeting=first)

    # --- the second meeting, last week: open, its record still being written
    second = services.meeting_create(
        actor=city,
        joint_meeting=jm,
        title=f"{today.year}年第二次全体会议",
        held_on=today - dt.timedelta(days=6),
        place="青岛市应急管理局 会议中心",
        agenda="一、听取第一次会议议定事项落实情况\n二、审议下一年度工伤预防工作计划（草案）",
    )
    r4 = services.resolution_add(
        actor=city, meeting=second, text="各成员单位于年底前报送本部门年度工伤预防工作总结。"
    )
    for code in (Department.Code.EMERGENCY, Department.Code.HEALTH, Department.Code.FINANCE):
        _task(
            city,
            r4,
            departments[code],
            "报送本部门年度工伤预防工作总结",
            today + dt.timedelta(days=14),
            today,
        )

    # --- this year's work plan, linked to what the platform tracks
    plan = services.work_plan_create(actor=city, region=qingdao, year=today.year)
    items: list[tuple[str, str, str, str]] = [
        ("落实联席会议议定事项", "council_tasks", "", Department.Code.HRSS),
        ("全年排查隐患按期销号", "hazards", "all", Department.Code.EMERGENCY),
        ("重大隐患动态清零", "hazards", "major", Department.Code.EMERGENCY),
    ]
    campaigns = source_of("training_campaign")
    if campaigns is not None:
        options = campaigns.options(city, qingdao, today.year)
        if options:
            items.append(
                (
                    "“百企万人”培训覆盖重点企业",
                    "training_campaign",
                    options[0][0],
                    Department.Code.HRSS,
                )
            )
    for title, source, reference, lead in items:
        services.work_plan_item_add(
            actor=city,
            plan=plan,
            title=title,
            source=source,
            reference=reference,
            department=departments[lead],
        )

    # --- last year's exchanged figures (the health and emergency departments' files)
    counties = list(
        Region.objects.filter(city=qingdao, level=Region.Level.COUNTY, is_abolished=False)
    )
    ExchangeFigure.objects.bulk_create(
        [
            ExchangeFigure(
                region=county,
                year=today.year - 1,
                kind=kind,
                source=source,
                cases=ctx.rng.randint(low, high),
                deaths=ctx.rng.randint(0, 2) if kind == ExchangeKind.ACCIDENT else 0,
                imported_by=city,
            )
            for county in counties
            for kind, source, low, high in (
                (ExchangeKind.OCCUPATIONAL_DISEASE, "health", 0, 12),
                (ExchangeKind.ACCIDENT, "emergency", 1, 9),
            )
        ]
    )

    # --- the yearly report to the province, in draft
    report = services.yearly_report_create(actor=city, region=qingdao, year=today.year)
    services.yearly_report_update(
        actor=city,
        report=report,
        summary="全市坚持“要我预防”向“我要预防、我会预防”转变，依托实训基地开展体验式培训，"
        "推进重点行业企业和关键人员培训全覆盖。",
        joint_work="市工伤预防工作联席会议召开全体会议 2 次，议定事项 4 项，交办督办任务 9 项。",
        problems="部分成员单位数据报送不及时；粉尘涉爆企业重大隐患整改进度偏慢。",
        next_year="完善部门数据季度共享机制，推动培训向小微企业延伸。",
    )
    ctx.log.write(
        f"council: Qingdao's joint meeting with {len(MEMBERS)} member departments, 2 meetings"
    )
