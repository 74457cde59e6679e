from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yufang.accounts.models import Role
from yufang.imports.models import ColumnMapping, ImportJob
from yufang.imports.services import import_job_create, import_job_remap
from yufang.injuries.models import InjuryCase
from yufang.injuries.services import case_create
from yufang.injuries.tests.helpers import case_data, id_number, insure
from yufang.lib.spreadsheets import write_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "认定书编号",
    "统一社会信用代码",
    "姓名",
    "身份证号",
    "事故时间",
    "认定时间",
    "认定结论",
    "事故类别",
    "受伤部位",
    "基金支付",
]


def line(n, enterprise, **over):
    values = {
        "case": f"QD-{n}",
        "code": enterprise.credit_code,
        "name": f"王{n}",
        "id": id_number(n),
        "accident": "2024-02-03",
        "recognition": "2024-04-01",
        "kind": "工伤",
        "category": "机械伤害",
        "part": "手",
        "payout": "5000",
    }
    values.update(over)
    return list(values.values())


@pytest.fixture
def insured(world):
    insure(world.enterprise, 2024, 100)
    insure(world.other_enterprise, 2024, 0)
    return world


def upload(user, rows, header=HEADER):
    return import_job_create(
        actor=user,
        kind="injury_cases",
        upload=SimpleUploadedFile("cases.xlsx", write_xlsx(header, rows)),
    )


def test_the_bureaus_chinese_headers_map_without_asking(insured):
    job = upload(insured.people[Role.COUNTY_OFFICIAL], [line(1, insured.enterprise)])
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    assert job.column_mapping["accident_category"] == "事故类别"
    assert job.result["preview"][0]["case_number"] == "QD-1"


def test_every_bad_row_is_named_with_its_field_and_nothing_is_imported(insured):
    official = insured.people[Role.COUNTY_OFFICIAL]
    case_create(actor=official, data=case_data(insured.enterprise, 99, case_number="QD-OLD"))
    rows = [
        line(1, insured.enterprise),
        line(2, insured.enterprise, accident="2024-05-01", recognition="2024-04-01"),
        line(3, insured.enterprise, accident="2030-01-01", recognition="2030-02-01"),
        line(4, insured.enterprise, accident="2023-01-01", recognition="2023-02-01"),
        line(5, insured.enterprise, category="被狗咬"),
        line(6, insured.enterprise, case="QD-OLD"),
        line(7, insured.enterprise, payout="-5"),
        line(8, insured.other_enterprise),
        line(9, insured.enterprise, case="QD-1"),
    ]
    job = upload(official, rows)
    assert job.status == ImportJob.Status.INVALID
    errors = {(e["row"], e["field"]) for e in job.errors}
    assert {
        (3, "accident_date"),
        (4, "accident_date"),
        (5, "enterprise"),
        (6, "accident_category"),
        (7, "case_number"),
        (8, "payout"),
        (9, "enterprise"),
        (10, "case_number"),
    } <= errors
    assert InjuryCase.objects.count() == 1  # only the one recorded before


def test_a_saved_mapping_serves_another_layout(insured):
    official = insured.people[Role.COUNTY_OFFICIAL]
    header = ["No", "USCC", "Name", "ID", "Date", "Recognised", "Type", "Cat", "Part", "Paid"]
    job = upload(
        official,
        [line(1, insured.enterprise, category="3", kind="work_injury", part="hand")],
        header,
    )
    assert job.status == ImportJob.Status.INVALID
    mapping = dict(
        zip(
            [
                "case_number",
                "enterprise",
                "person_name",
                "id_number",
                "accident_date",
                "recognition_date",
                "kind",
                "accident_category",
                "body_part",
                "payout",
            ],
            header,
            strict=True,
        )
    )
    job = import_job_remap(actor=official, job=job, mapping=mapping, save_as="某区人社局")
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    assert ColumnMapping.objects.get(kind="injury_cases", name="某区人社局").mapping == mapping
