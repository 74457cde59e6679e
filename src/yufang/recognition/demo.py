"""Demo accident reports and recognition applications at every step, for the `enterprise`
account (its firm in 黄岛区, Qingdao) and for the `county` and `city` officials' boards.

Records are made through the services, as people would; the demo then moves their dates back
(the services stamp today) so that each journey has something due, overdue and decided.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yufang.accounts.models import Role, User
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.enterprises.services import headcount_set
from yufang.lib.identifiers import id_number_check_character
from yufang.recognition import services
from yufang.recognition.models import AccidentReport, RecognitionApplication, Suspension
from yufang.support.demo import DemoContext

ORDER = 92  # after the accounts (90): the demo people act
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WORKERS = ["李明", "王强", "张伟", "刘洋", "陈磊", "赵军", "孙浩", "周涛"]
ACCIDENTS = [
    ("冲压车间", "冲床误动作，操作工右手被压伤", "右手食指、中指骨折", "03", "hand"),
    ("仓库", "叉车倒车时撞伤理货员左腿", "左胫骨骨折", "02", "lower_limb"),
    ("二号厂房", "检修时从 3 米高平台坠落", "腰椎压缩性骨折", "09", "trunk"),
    ("配电室", "带电作业触电", "双手电击伤", "05", "upper_limb"),
    ("焊接工位", "焊渣飞溅灼伤眼部", "右眼角膜灼伤", "07", "eye"),
]


def _id_number(n: int) -> str:
    body = f"37021119{80 + n % 15:02d}0101{n % 1000:03d}"
    return body + id_number_check_character(body)


def _files(kinds: tuple[str, ...]) -> list[tuple[str, Any]]:
    return [(k, SimpleUploadedFile(f"{k}.pdf", PDF, content_type="application/pdf")) for k in kinds]


def _apply(
    manager: User, enterprise: Enterprise, n: int, *, kinds: tuple[str, ...], report: Any = None
) -> RecognitionApplication:
    place, what, injury, category, part = ACCIDENTS[n % len(ACCIDENTS)]
    return services.application_submit(
        actor=manager,
        enterprise=enterprise,
        accident_report=report,
        applicant_kind="employer",
        applicant_name=manager.full_name or "安全主管",
        worker_name=WORKERS[n % len(WORKERS)],
        worker_id_number=_id_number(n),
        accident_date=timezone.localdate(),
        accident_place=place,
        description=what,
        injury=injury,
        kind="work_injury",
        accident_category=category,
        body_part=part,
        materials=_files(kinds),
    )


def _back(application: RecognitionApplication, days: int, **fields: str) -> None:
    """Moves an application's dates `days` into the past (the services stamp today)."""
    shift = dt.timedelta(days=days)
    changes = {name: getattr(application, name) - shift for name in fields.values()}
    changes["accident_date"] = application.accident_date - shift - dt.timedelta(days=2)
    changes["received_on"] = application.received_on - shift
    RecognitionApplication.objects.filter(pk=application.pk).update(**changes)


ALL = ("application_form", "employment_proof", "diagnosis")


def seed(ctx: DemoContext) -> None:
    manager = User.objects.filter(username="enterprise").first()
    county = User.objects.filter(username="county").first()
    city = User.objects.filter(username="city").first()
    if manager is None or county is None or city is None or manager.enterprise is None:
        ctx.log.write("recognition: demo accounts missing, skipped\n")
        return
    enterprise = manager.enterprise
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        # A recognised injury becomes a case, which needs the year's insured headcount.
        if not InsuredHeadcount.objects.filter(enterprise=enterprise, year=year).exists():
            headcount_set(actor=county, enterprise=enterprise, year=year, insured_headcount=180)
    now = timezone.now()

    # An accident an hour ago, reported in time: the application is still to be made.
    services.report_create(
        actor=manager,
        enterprise=enterprise,
        occurred_at=now - dt.timedelta(minutes=40),
        place="二号厂房",
        description="检修时从 3 米高平台坠落，一人重伤",
        serious_injuries=1,
        direct_loss="32000",
        measures="已送医，现场已封闭",
    )
    # An accident 26 days ago, reported late: the limit to apply is near.
    late = services.report_create(
        actor=manager,
        enterprise=enterprise,
        occurred_at=now - dt.timedelta(hours=5),
        place="仓库",
        description="叉车倒车撞伤理货员",
        minor_injuries=1,
        late_reason="夜班负责人未及时上报",
        now=now,
    )
    AccidentReport.objects.filter(pk=late.pk).update(
        occurred_at=late.occurred_at - dt.timedelta(days=26),
        reported_at=late.reported_at - dt.timedelta(days=26),
    )

    # Submitted 12 days ago, materials incomplete: the bureau's check is due in 3 days.
    a = _apply(manager, enterprise, 0, kinds=("application_form",))
    _back(a, 12)
    # The bureau asked for what is missing: the enterprise has to answer.
    b = _apply(manager, enterprise, 1, kinds=("application_form", "diagnosis"))
    services.application_request_materials(
        actor=county, application=b, materials=["employment_proof"], note="请补交劳动合同复印件"
    )
    _back(b, 5, m="materials_requested_on")
    # Accepted 57 days ago: the decision is due in 3 days.
    c = _apply(manager, enterprise, 2, kinds=ALL)
    services.application_accept(actor=county, application=c)
    _back(c, 57, a="accepted_on")
    # Accepted 70 days ago: the decision is overdue (flagged on the board).
    d = _apply(manager, enterprise, 3, kinds=ALL)
    services.application_accept(actor=county, application=d)
    _back(d, 70, a="accepted_on")
    # Suspended while the traffic police decide who was responsible.
    e = _apply(manager, enterprise, 4, kinds=ALL)
    services.application_accept(actor=county, application=e)
    services.application_suspend(actor=county, application=e, reason="等待交警部门事故责任认定")
    _back(e, 20, a="accepted_on")
    Suspension.objects.filter(application=e).update(started_on=today - dt.timedelta(days=8))
    # Decided: recognised, with its letter and its injury case.
    g = _apply(manager, enterprise, 5, kinds=ALL)
    services.application_accept(actor=county, application=g, is_clear_case=True)
    services.application_decide(
        actor=county,
        application=g,
        recognised=True,
        reason="在工作时间和工作场所内，因工作原因受到事故伤害",
    )

    # The city's board: another Qingdao county's enterprise, checked by the city bureau.
    other = (
        Enterprise.objects.filter(city=enterprise.city)
        .exclude(county=enterprise.county)
        .order_by("id")
        .first()
    )
    if other is not None:
        other_manager = User.objects.filter(role=Role.SAFETY_MANAGER, enterprise=other).first()
        h = _apply(city if other_manager is None else other_manager, other, 6, kinds=ALL)
        _back(h, 16)
    ctx.log.write("recognition: accident reports and applications at every step\n")
