"""Demo assessments and hazards: experts' and officials' visits over the last year across the
demo enterprises (most in Qingdao, where the demo accounts are), the hazards they found at
every stage of the loop, some overdue, some escalated, most closed; and the last periods'
statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from yufang import policy
from yufang.enterprises.models import Enterprise
from yufang.hazards import scoring
from yufang.hazards.models import (
    Answer,
    AnswerResult,
    Assessment,
    AssessmentMethod,
    AssessmentStatus,
    Checklist,
    Escalation,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardStatus,
    Measurement,
    PeriodKind,
    SampleType,
)
from yufang.hazards.services import (
    checklists_import,
    escalations_run,
    exceedance_description,
    statistics_generate,
)
from yufang.organisations.models import Institution
from yufang.regions.demo import DEMO_COUNTY
from yufang.support.demo import DemoContext
from yufang.support.topics import Topic

ORDER = 60
S = HazardStatus

# Checklist keys likely at an enterprise, by the first two digits of its industry code.
CHECKLISTS_BY_DIVISION = {
    "25": ["T10", "T09"],
    "26": ["T10", "T09", "T07"],
    "28": ["T10"],
    "30": ["T04", "T16"],
    "31": ["T02", "T16"],
    "32": ["T03"],
    "33": ["T05", "T15"],
    "34": ["T05", "T15"],
    "35": ["T05", "T16"],
    "36": ["T05"],
    "13": ["T08", "T06"],
    "14": ["T08"],
    "17": ["T06", "T07"],
    "47": ["T11", "T12"],
    "48": ["T11", "T12"],
    "49": ["T12"],
    "50": ["T11"],
    "54": ["T14"],
}
AD_HOC = [
    (Topic.FIRE, "疏散通道堆放杂物，安全出口被占用"),
    (Topic.ELECTRICAL, "配电箱未上锁，电缆私拉乱接"),
    (Topic.GENERAL_MANAGEMENT, "未见安全警示标志"),
    (Topic.CONFINED_SPACE, "污水井作业未执行先通风、再检测、后作业"),
    (Topic.OCCUPATIONAL_HEALTH, "噪声岗位员工未佩戴护耳器"),
    (Topic.WORK_AT_HEIGHT, "高处作业未系安全带"),
]
AGENTS = [
    ("noise", "dB(A)", 78, 95),
    ("benzene", "mg/m³", 1, 9),
    ("toluene", "mg/m³", 10, 70),
    ("carbon_monoxide", "mg/m³", 2, 28),
    ("other_dust_total", "mg/m³", 1, 12),
    ("welding_fume_total", "mg/m³", 1, 6),
]


def demo_enterprise(ctx: DemoContext) -> Enterprise | None:
    """The enterprise the demo `enterprise` account is bound to. accounts/demo.py (ORDER 90)
    picks it later by this same rule: a medium key-industry firm in a grid of the demo
    county."""
    if ctx.shared.get("demo_enterprise") is not None:
        return ctx.shared["demo_enterprise"]  # type: ignore[no-any-return]
    in_grid = Enterprise.objects.filter(county__code=DEMO_COUNTY, grid__isnull=False)
    return (
        in_grid.filter(is_key_industry=True, size="medium").order_by("id").first()
        or in_grid.order_by("id").first()
    )


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def _pick_enterprises(ctx: DemoContext, anchor: Enterprise | None) -> list[Enterprise]:
    rng = ctx.rng
    county = list(
        Enterprise.objects.filter(county__code=DEMO_COUNTY)
        .order_by("id")
        .values_list("id", flat=True)
    )
    qingdao = list(
        Enterprise.objects.filter(city__code="370200")
        .exclude(county__code=DEMO_COUNTY)
        .order_by("id")
        .values_list("id", flat=True)
    )
    province = list(
        Enterprise.objects.filter(is_key_industry=True)
        .exclude(city__code="370200")
        .order_by("id")
        .values_list("id", flat=True)
    )
    ids = set(rng.sample(county, min(45, len(county))))
    ids |= set(rng.sample(qingdao, min(60, len(qingdao))))
    ids |= set(rng.sample(province, min(90, len(province))))
    if anchor is not None:
        ids.add(anchor.pk)
    return list(Enterprise.objects.filter(pk__in=ids).select_related("industry").order_by("id"))


def _status_for(ctx: DemoContext, reported: dt.date, deadline: dt.date) -> str:
    """Older hazards are mostly closed; recent ones at every stage; some left overdue."""
    age = (ctx.today - reported).days
    roll = ctx.rng.random()
    if age > 150:
        return S.CLOSED if roll < 0.85 else (S.RECTIFYING if roll < 0.95 else S.ASSIGNED)
    if age > 45:
        for status, cut in ((S.CLOSED, 0.55), (S.VERIFIED, 0.62), (S.SUBMITTED, 0.72)):
            if roll < cut:
                return status
        return S.RECTIFYING if roll < 0.88 else S.ASSIGNED
    for status, cut in ((S.REPORTED, 0.25), (S.ASSIGNED, 0.5), (S.RECTIFYING, 0.75)):
        if roll < cut:
            return status
    return S.SUBMITTED if roll < 0.9 else S.CLOSED


PATH = [S.REPORTED, S.ASSIGNED, S.RECTIFYING, S.SUBMITTED, S.VERIFIED, S.CLOSED]


def _events(ctx: DemoContext, hazard: Hazard) -> list[HazardEvent]:
    steps = PATH[: PATH.index(S(hazard.status)) + 1]
    at = hazard.reported_at
    end = min(_at(ctx.today, 9), max(at, _at(hazard.deadline, 16)))
    span = max((end - at).total_seconds(), 3600.0)
    events = []
    previous = ""
    for index, step in enumerate(steps):
        when = at + dt.timedelta(seconds=span * index / max(len(steps), 1))
        events.append(
            HazardEvent(
                hazard=hazard,
                from_status=previous,
                to_status=step,
                at=when,
                reason={S.SUBMITTED: "已按要求整改，附整改照片", S.VERIFIED: "现场复查合格"}.get(
                    step, ""
                ),
            )
        )
        if step == S.SUBMITTED:
            hazard.submitted_at = when
        elif step == S.VERIFIED:
            hazard.verified_at = when
        elif step == S.CLOSED:
            hazard.closed_at = when
        previous = step
    return events


def _plan(ctx: DemoContext, hazard: Hazard) -> None:
    if hazard.level != HazardLevel.MAJOR or hazard.status in (S.REPORTED, S.ASSIGNED):
        return
    hazard.plan_measures = "停用相关设备，加装监测报警与联锁装置，完成后试运行"
    hazard.plan_responsible = ctx.rng.choice(["王建国", "李明", "张伟", "刘洋"])
    hazard.plan_funds = Decimal(ctx.rng.randrange(5, 200) * 1000)
    hazard.plan_deadline = hazard.deadline
    hazard.plan_emergency = "编制专项应急预案，现场配备应急器材并组织演练"


def seed(ctx: DemoContext) -> None:
    rng = ctx.rng
    checklists_import()
    checklists = {c.key: c for c in Checklist.objects.filter(version=1).prefetch_related("items")}
    days = policy.value("hazard_rectification_days", ctx.today)
    anchor = demo_enterprise(ctx)
    enterprises = _pick_enterprises(ctx, anchor)
    institutions = list(Institution.objects.order_by("id")[:6])
    lec = scoring.lec_scales(ctx.today)

    assessments: list[Assessment] = []
    for enterprise in enterprises:
        keys = CHECKLISTS_BY_DIVISION.get(enterprise.industry.code[:2], ["T01", "T13", "T15"])
        for _visit in range(rng.choice([1, 1, 2])):
            key = rng.choice(keys)
            visited = ctx.today - dt.timedelta(days=rng.randint(3, 330))
            method = (
                AssessmentMethod.ENVIRONMENTAL_MONITORING
                if key == "T16"
                else rng.choice([AssessmentMethod.SITE_PATROL, AssessmentMethod.SITE_SURVEY])
            )
            institution = rng.choice(institutions) if institutions and rng.random() < 0.5 else None
            assessments.append(
                Assessment(
                    enterprise=enterprise,
                    checklist=checklists[key],
                    method=method,
                    status=AssessmentStatus.COMPLETED,
                    is_planned=rng.random() < 0.6,
                    planned_on=visited if rng.random() < 0.6 else None,
                    visited_on=visited,
                    institution=institution,
                    lec_l=rng.choice(sorted(lec["l"])[2:]),
                    lec_e=rng.choice(sorted(lec["e"])[1:]),
                    lec_c=rng.choice(sorted(lec["c"])[:4]),
                    ls_l=rng.randint(1, 5),
                    ls_s=rng.randint(1, 5),
                    completed_at=_at(visited, 16),
                    notes="专家现场巡查" if institution else "",
                )
            )
    # A few planned visits still ahead, for the work queues.
    for enterprise in rng.sample(enterprises, min(12, len(enterprises))):
        day = ctx.today + dt.timedelta(days=rng.randint(2, 40))
        assessments.append(
            Assessment(
                enterprise=enterprise,
                checklist=checklists["T01"],
                method=AssessmentMethod.SITE_SURVEY,
                status=AssessmentStatus.PLANNED,
                is_planned=True,
                planned_on=day,
                institution=rng.choice(institutions) if institutions else None,
            )
        )
    Assessment.objects.bulk_create(assessments, batch_size=500)

    answers: list[Answer] = []
    hazards: list[Hazard] = []
    measurements: list[Measurement] = []
    for a in assessments:
        if a.status != AssessmentStatus.COMPLETED:
            continue
        assert a.visited_on is not None  # noqa: S101 - set above for completed visits
        for item in a.checklist.items.all():
            roll = rng.random()
            result = (
                AnswerResult.FAIL
                if roll < (0.06 if item.is_major else 0.14)
                else AnswerResult.NOT_APPLICABLE
                if roll > 0.95
                else AnswerResult.PASS
            )
            answers.append(Answer(assessment=a, item=item, result=result))
            if result == AnswerResult.FAIL:
                level = HazardLevel.MAJOR if item.is_major else HazardLevel.ORDINARY
                hazards.append(
                    Hazard(
                        enterprise=a.enterprise,
                        assessment=a,
                        checklist_item=item,
                        institution=a.institution,
                        topic=a.checklist.topic,
                        level=level,
                        description=item.text,
                        location=rng.choice(["一号车间", "仓库", "配电室", "厂区东侧", ""]),
                        deadline=a.visited_on + dt.timedelta(days=int(days[level])),
                        reported_at=_at(a.visited_on, 15),
                    )
                )
        if a.method == AssessmentMethod.ENVIRONMENTAL_MONITORING:
            for agent, unit, low, high in rng.sample(AGENTS, 3):
                m = Measurement(
                    assessment=a,
                    agent=agent,
                    sample_type=SampleType.TWA_8H,
                    value=Decimal(str(round(rng.uniform(low, high), 1))),
                    unit=unit,
                    sampled_on=a.visited_on,
                    location=rng.choice(["冲压岗位", "喷漆房", "打磨工位", "配料间"]),
                    recorded_by_id=None,
                )
                measurements.append(m)
                # Above its limit it is a finding, as completing the assessment makes it.
                over = scoring.exceedance(
                    agent=m.agent, sample_type=m.sample_type, value=m.value, sampled_on=m.sampled_on
                )
                if over.exceeded:
                    hazards.append(
                        Hazard(
                            enterprise=a.enterprise,
                            assessment=a,
                            institution=a.institution,
                            topic=Topic.OCCUPATIONAL_HEALTH,
                            level=HazardLevel.ORDINARY,
                            description=exceedance_description(m, over),
                            location=m.location,
                            deadline=a.visited_on
                            + dt.timedelta(days=int(days[HazardLevel.ORDINARY])),
                            reported_at=_at(a.visited_on, 15),
                        )
                    )
    # Grid workers' routine reports, without a checklist.
    grid_enterprises = [e for e in enterprises if e.grid_id]
    for enterprise in rng.sample(grid_enterprises, min(60, len(grid_enterprises))):
        topic, text = rng.choice(AD_HOC)
        reported = ctx.today - dt.timedelta(days=rng.randint(1, 200))
        hazards.append(
            Hazard(
                enterprise=enterprise,
                topic=topic,
                level=HazardLevel.ORDINARY,
                description=text,
                location="",
                deadline=reported + dt.timedelta(days=int(days[HazardLevel.ORDINARY])),
                reported_at=_at(reported, 11),
            )
        )
    if anchor is not None:
        _anchor_hazards(ctx, anchor, hazards, days)

    for h in hazards:
        if getattr(h, "status_fixed", False):
            continue
        h.status = _status_for(ctx, timezone.localdate(h.reported_at), h.deadline)
    events: list[HazardEvent] = []
    for h in hazards:
        _plan(ctx, h)
        events.extend(_events(ctx, h))
    Answer.objects.bulk_create(answers, batch_size=2000)
    Measurement.objects.bulk_create(measurements, batch_size=1000)
    Hazard.objects.bulk_create(hazards, batch_size=1000)
    for e in events:
        e.hazard_id = e.hazard.pk
    HazardEvent.objects.bulk_create(events, batch_size=2000)

    # Escalation as the hourly task would have done it: five days ago, then now. Some
    # county escalations were answered in between; the rest rose to the city.
    now = timezone.now()
    first = escalations_run(now=now - dt.timedelta(days=5))
    answered = [
        e
        for e in first
        if rng.random() < 0.4 and e.hazard.enterprise_id != getattr(anchor, "pk", None)
    ]
    Escalation.objects.filter(pk__in=[e.pk for e in answered]).update(
        answered_at=now - dt.timedelta(days=4), answer="已电话督办企业负责人，限期整改"
    )
    escalations_run(now=now)

    last_quarter_end = ctx.today.replace(day=1) - dt.timedelta(days=1)
    while last_quarter_end.month % 3:
        last_quarter_end = last_quarter_end.replace(day=1) - dt.timedelta(days=1)
    statistics_generate(
        kind=PeriodKind.QUARTER,
        year=last_quarter_end.year,
        quarter=last_quarter_end.month // 3,
    )
    statistics_generate(kind=PeriodKind.YEAR, year=ctx.today.year - 1)
    ctx.log.write(
        f"hazards: {len(assessments)} assessments, {len(hazards)} hazards, "
        f"{Escalation.objects.count()} escalations"
    )


def _anchor_hazards(
    ctx: DemoContext, enterprise: Enterprise, hazards: list[Hazard], days: dict[str, Any]
) -> None:
    """The demo enterprise account always has work: one overdue, one being rectified, one
    major hazard just found, and one closed."""
    today = ctx.today
    specs = [
        (Topic.FIRE, HazardLevel.ORDINARY, "安全出口锁闭，疏散指示标志损坏", 45, S.ASSIGNED),
        (Topic.ELECTRICAL, HazardLevel.ORDINARY, "配电柜前堆放可燃物", 12, S.RECTIFYING),
        (
            Topic.CONFINED_SPACE,
            HazardLevel.MAJOR,
            "有限空间作业未进行气体检测即进入",
            6,
            S.REPORTED,
        ),
        (Topic.GENERAL_MANAGEMENT, HazardLevel.ORDINARY, "新员工未经安全培训上岗", 120, S.CLOSED),
    ]
    for topic, level, text, ago, status in specs:
        reported = today - dt.timedelta(days=ago)
        hazard = Hazard(
            enterprise=enterprise,
            topic=topic,
            level=level,
            description=text,
            location="生产车间",
            deadline=reported + dt.timedelta(days=int(days[level])),
            reported_at=_at(reported, 10),
            status=status,
        )
        hazard.status_fixed = True  # type: ignore[attr-defined]
        hazards.append(hazard)
