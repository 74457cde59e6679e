"""The annual work plan's completion computed from linked records, the shared data each
liaison reads, the yearly data exchange (export, all-or-nothing import naming rows) and the
yearly report (figures from the platform, editable text, Word and PDF)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from docx import Document  # type: ignore[import-untyped]
from openpyxl import load_workbook

from yufang.accounts.models import Role
from yufang.council import selectors, services
from yufang.council.models import ExchangeFigure, ReportStatus
from yufang.council.selectors.shared import shared_data
from yufang.council.services import CouncilInvalid
from yufang.council.tests.factories import council_for
from yufang.council.tests.test_meetings_and_tasks import png
from yufang.hazards import services as hazard_services
from yufang.support.topics import Topic
from yufang.tests.factories import region

pytestmark = pytest.mark.django_db


def test_plan_completion_follows_the_linked_tasks(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    liaison = world.people[Role.DEPARTMENT_LIAISON]
    c = council_for(city)
    year = timezone.localdate().year
    plan = services.work_plan_create(actor=city, region=region("370200"), year=year)
    with pytest.raises(CouncilInvalid) as refused:
        services.work_plan_item_add(actor=city, plan=plan, title="x", source="guess")
    assert "source" in refused.value.errors
    services.work_plan_item_add(
        actor=city,
        plan=plan,
        title="落实联席会议议定事项",
        source="council_tasks",
        reference=str(c.meeting.pk),
    )
    assert selectors.plan_progress(city, plan)["overall_percent"] == 0
    services.progress_report(
        actor=liaison, task=c.task, note="完成", evidence=png(), completes=True
    )
    assert selectors.plan_progress(city, plan)["overall_percent"] == 100
    with pytest.raises(PermissionDenied):
        services.work_plan_item_add(
            actor=world.jinan_city_official, plan=plan, title="x", source="council_tasks"
        )


def test_plan_hazards_item_counts_closed_hazards(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    plan = services.work_plan_create(
        actor=city, region=region("370200"), year=timezone.localdate().year
    )
    hazard_services.hazard_report(
        actor=world.people[Role.GRID_WORKER],
        enterprise=world.enterprise,
        topic=Topic.FIRE,
        level="ordinary",
        description="安全出口堵塞",
    )
    services.work_plan_item_add(
        actor=city, plan=plan, title="隐患销号", source="hazards", reference="all"
    )
    row = selectors.plan_progress(city, plan)["items"][0]
    assert row.progress == 0.0


def test_liaisons_read_the_shared_data_of_their_remit(world: Any) -> None:
    liaison = world.people[Role.DEPARTMENT_LIAISON]  # emergency management, Qingdao
    hazard_services.hazard_report(
        actor=world.people[Role.GRID_WORKER],
        enterprise=world.enterprise,
        topic=Topic.OCCUPATIONAL_HEALTH,
        level="major",
        description="粉尘浓度超标",
    )
    hazard_services.hazard_report(
        actor=world.jinan_city_official,
        enterprise=world.jinan_enterprise,
        topic=Topic.FIRE,
        level="major",
        description="济南的隐患",
    )
    data = shared_data(liaison, year=timezone.localdate().year)
    assert data["remit"] == ("hazards", "escalations")
    assert [h["description"] for h in data["hazards"]["flagged"]] == ["粉尘浓度超标"]
    assert "disease_hazards" not in data and "fee" not in data
    health = council_for(world.people[Role.CITY_OFFICIAL]).health_liaison
    health_data = shared_data(health, year=timezone.localdate().year)
    assert [h["description"] for h in health_data["disease_hazards"]] == ["粉尘浓度超标"]
    assert "hazards" not in health_data
    with pytest.raises(PermissionDenied):
        shared_data(world.people[Role.GRID_WORKER], year=2026)


def csv_file(rows: list[str]) -> bytes:
    return ("\n".join(["区划代码,年度,类别,起数,死亡人数,备注", *rows]) + "\n").encode()


def test_exchange_import_is_all_or_nothing_and_names_rows(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    qingdao = region("370200")
    bad = csv_file(
        [
            "370211,2025,职业病报告,12,0,",
            "370102,2025,职业病报告,3,0,",
            "370211,2025,生产安全事故,x,1,",
        ]
    )
    with pytest.raises(CouncilInvalid) as refused:
        services.exchange_import(actor=city, region=qingdao, data=bad)
    assert set(refused.value.errors) == {"row 3", "row 4"}
    assert "370102" in refused.value.errors["row 3"]
    assert not ExchangeFigure.objects.exists()
    good = csv_file(["370211,2025,职业病报告,12,0,尘肺病 9 例", "370211,2025,生产安全事故,5,2,"])
    assert services.exchange_import(actor=city, region=qingdao, data=good) == 2
    assert services.exchange_import(actor=city, region=qingdao, data=good) == 2
    assert ExchangeFigure.objects.count() == 2
    # The emergency liaison supplies accidents only.
    liaison = world.people[Role.DEPARTMENT_LIAISON]
    with pytest.raises(CouncilInvalid) as not_theirs:
        services.exchange_import(
            actor=liaison, region=qingdao, data=csv_file(["370211,2025,职业病报告,1,0,"])
        )
    assert "row 2" in not_theirs.value.errors
    with pytest.raises(PermissionDenied):
        services.exchange_import(actor=world.jinan_city_official, region=qingdao, data=good)


def test_exchange_export_holds_recognitions_and_imported_figures(client: Any, world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    services.exchange_import(
        actor=city, region=region("370200"), data=csv_file(["370211,2025,生产安全事故,5,2,"])
    )
    client.force_login(city)
    page = client.get("/council/exchange/?year=2025")
    assert "黄岛区" in page.content.decode()
    export = client.get("/council/exchange/?year=2025&export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "区划代码"
    accident = next(r for r in rows if r[0] == "370211" and r[3] == "生产安全事故")
    assert accident[4] == 5 and accident[5] == 2
    client.get("/council/exchange/?year=2025")
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = client.post(
        "/council/exchange/?year=2025",
        {"file": SimpleUploadedFile("x.csv", csv_file(["999999,2025,生产安全事故,1,0,"]))},
    )
    assert "第 2 行" in refused.content.decode()


def test_yearly_report_is_assembled_edited_submitted_and_exported(client: Any, world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    council_for(city)
    year = timezone.localdate().year
    report = services.yearly_report_create(actor=city, region=region("370200"), year=year)
    with pytest.raises(CouncilInvalid):
        services.yearly_report_submit(actor=city, report=report)
    services.yearly_report_update(actor=city, report=report, summary="全年开展培训 200 场。")
    client.force_login(city)
    page = client.get(f"/council/reports/{report.pk}/")
    body = page.content.decode()
    assert "全年开展培训 200 场。" in body and f"{year}-12-31" in body
    assert page.context["figures"]["tasks"]["total"] == 1
    docx = client.get(f"/council/reports/{report.pk}.docx")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "全年开展培训 200 场。" in text and "一、年度工作总结" in text
    pdf = client.get(f"/council/reports/{report.pk}.pdf")
    assert pdf.content.startswith(b"%PDF")
    services.yearly_report_submit(actor=city, report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    from yufang.notifications.models import Notification

    told = Notification.objects.filter(recipient=world.people[Role.PROVINCE_OFFICIAL])
    assert told.filter(title__contains=str(year)).exists()
    with pytest.raises(CouncilInvalid):
        services.yearly_report_update(actor=city, report=report, summary="改")
    client.force_login(world.jinan_city_official)
    assert client.get(f"/council/reports/{report.pk}/").status_code == 404


def test_yearly_report_due_date_is_a_dated_parameter() -> None:
    from yufang.council.selectors.reports import due_date

    assert due_date(2025) == dt.date(2025, 12, 31)


def test_every_plan_source_answers_for_every_reader(world: Any) -> None:
    from yufang.council.sources import sources

    c = council_for(world.people[Role.CITY_OFFICIAL])
    kinds = {s.kind for s in sources()}
    assert kinds == {
        "training_campaign",
        "hazards",
        "council_tasks",
        "fee_project",
        "screening_plan",
        "publicity_campaign",
    }
    qingdao = region("370200")
    year = timezone.localdate().year
    for role in (Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.DEPARTMENT_LIAISON, Role.AUDITOR):
        user = world.people[role]
        for source in sources():
            for reference, _label in source.options(user, qingdao, year):
                progress = source.progress(user, qingdao, year, reference)
                assert progress is None or 0.0 <= progress <= 1.0
    # The liaison reads the joint meeting's completion, not only its department's.
    tasks = next(s for s in sources() if s.kind == "council_tasks")
    assert tasks.progress(c.health_liaison, qingdao, year, str(c.meeting.pk)) == 0.0
