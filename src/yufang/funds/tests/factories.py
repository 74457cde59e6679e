"""Fee records made through the services, as a user would make them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from yufang.funds import services
from yufang.funds.models import Budget, Contract, Project, Use
from yufang.organisations.models import Institution
from yufang.tests.factories import region

YEAR = 2026


def fee_budget(
    actor: Any,
    *,
    code: str = "370200",
    year: int = YEAR,
    income: str = "100000000.00",
    publicity: str = "900000.00",
    training: str = "2000000.00",
) -> Budget:
    return services.budget_set(
        actor=actor,
        pooling_region=region(code),
        year=year,
        contribution_income=income,
        publicity=publicity,
        training=training,
        note="年度预算",
    )


def fee_project(
    actor: Any,
    *,
    code: str = "370200",
    title: str = "实训基地体验式培训",
    use: str = Use.TRAINING,
    start: dt.date = dt.date(YEAR, 1, 1),
    end: dt.date = dt.date(YEAR, 12, 31),
    amount: str = "600000.00",
    person_times: int = 3,
    approve: bool = True,
) -> Project:
    years = []
    for y in range(start.year, end.year + 1):
        years.append({"year": y, "amount": amount, "target_person_times": person_times})
    project = services.project_propose(
        actor=actor,
        pooling_region=region(code),
        title=title,
        purpose="重点行业一线员工体验式培训",
        use=use,
        proposer="青岛市人社局",
        cost_basis="每人次200元",
        starts_on=start,
        ends_on=end,
        years=years,
        target_industries="建筑施工、机械制造",
    )
    if approve:
        project = services.project_review(actor=actor, project=project, approve=True, note="同意")
    return project


def fee_contract(
    actor: Any, project: Project, institution: Institution, *, price: str = "600000.00"
) -> Contract:
    services.procurement_record(
        actor=actor,
        project=project,
        method="open_tender",
        held_on=project.starts_on,
        bidders="甲、乙、丙",
        bidder_count=3,
        winner=institution,
        price=price,
    )
    half = (Decimal(price) / 2).quantize(Decimal("0.01"))
    return services.contract_create(
        actor=actor,
        project=project,
        number=f"HT-{project.pk}",
        signed_on=project.starts_on,
        milestones=[
            {
                "title": "上半年培训",
                "deliverables": "培训记录",
                "due_on": project.starts_on + dt.timedelta(days=180),
                "amount": str(half),
            },
            {
                "title": "全年培训",
                "deliverables": "总结报告",
                "due_on": project.ends_on,
                "amount": str(Decimal(price) - half),
            },
        ],
    )


def png(name: str = "acceptance.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
