"""A case file needs only what the analytics need; the rest takes defaults shown first."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from yufang.accounts.models import Role
from yufang.imports.models import ImportJob
from yufang.imports.services import import_job_confirm, import_job_create
from yufang.injuries.models import InjuryCase
from yufang.injuries.services import case_reveal_id_number
from yufang.injuries.tests.helpers import id_number, insure
from yufang.lib.spreadsheets import write_xlsx

pytestmark = pytest.mark.django_db

SLIM = ["认定书编号", "统一社会信用代码", "事故时间", "认定时间"]


@pytest.fixture
def official(world):
    insure(world.enterprise, 2024, 100)
    return world.people[Role.CITY_OFFICIAL]


def upload(user, header, rows):
    return import_job_create(
        actor=user,
        kind="injury_cases",
        upload=SimpleUploadedFile("cases.xlsx", write_xlsx(header, rows)),
    )


def test_a_file_with_only_the_analytics_columns_is_imported(
    world, official, django_capture_on_commit_callbacks
):
    code = world.enterprise.credit_code
    job = upload(
        official,
        SLIM,
        [["QD-1", code, "2024-02-03", "2024-04-01"], ["QD-2", code, "2024-03-03", "2024-05-01"]],
    )
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    first = job.result["preview"][0]
    assert first["kind"] == "work injury (default)"
    assert first["accident_category"] == "other injury (default)"
    assert first["body_part"] == "other (default)"
    assert first["person_name"] == "not given"
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=official, job=job)
    case = InjuryCase.objects.get(case_number="QD-1")
    assert (case.kind, case.accident_category, case.body_part) == ("work_injury", "20", "other")
    # No ID number, no digest: cases without one are not one person.
    assert (case.person_name, case.id_number_digest, case.id_number_masked) == ("", "", "")
    # A reveal shows nothing rather than failing.
    assert case_reveal_id_number(actor=official, case=case) == ""


def test_a_given_value_is_not_marked_as_default(world, official):
    job = upload(
        official,
        [*SLIM, "事故类别", "身份证号"],
        [
            [
                "QD-1",
                world.enterprise.credit_code,
                "2024-02-03",
                "2024-04-01",
                "机械伤害",
                id_number(1),
            ]
        ],
    )
    first = job.result["preview"][0]
    assert first["accident_category"] == "machinery injury"
    assert first["kind"] == "work injury (default)"


def test_the_analytics_columns_are_still_required(world, official):
    job = upload(
        official, ["认定书编号", "统一社会信用代码"], [["QD-1", world.enterprise.credit_code]]
    )
    assert job.status == ImportJob.Status.INVALID
    assert {e["field"] for e in job.errors} == {"accident_date", "recognition_date"}


def test_a_bad_value_in_an_optional_column_is_still_an_error(world, official):
    job = upload(
        official,
        [*SLIM, "受伤部位", "身份证号"],
        [["QD-1", world.enterprise.credit_code, "2024-02-03", "2024-04-01", "尾巴", "123"]],
    )
    assert {(e["row"], e["field"]) for e in job.errors} == {(2, "body_part"), (2, "id_number")}


def test_the_case_form_still_requires_name_and_id_number(world, official):
    from django.utils import timezone

    from yufang.injuries.services import case_clean

    cleaned = case_clean(
        {
            "case_number": "F-1",
            "enterprise": world.enterprise.credit_code,
            "accident_date": "2024-02-03",
            "recognition_date": "2024-04-01",
        },
        user=official,
        today=timezone.localdate(),
    )
    assert {"person_name", "id_number", "kind", "accident_category", "body_part"} <= set(
        cleaned.errors
    )


def test_the_import_page_lists_accepted_values_and_offers_a_template(client, official):
    client.force_login(official)
    page = client.get("/imports/new/injury_cases/").content.decode()
    assert "机械伤害" in page and "视同工伤" in page and "手指" in page
    assert "/imports/template/injury_cases.xlsx" in page
    response = client.get("/imports/template/injury_cases.xlsx")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    data, notes = book.worksheets
    header = next(data.iter_rows(values_only=True))
    assert header[:4] == ("认定书编号", "统一社会信用代码", "姓名", "身份证号")
    rows = {r[0]: r for r in notes.iter_rows(min_row=2, values_only=True)}
    assert rows["受伤部位"][2] == "否"  # not required
    assert "其他" in rows["受伤部位"][4]  # the default when blank


def test_the_headcount_template_lists_its_columns(client, official):
    client.force_login(official)
    response = client.get("/imports/template/insured_headcounts.xlsx")
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert next(book.worksheets[0].iter_rows(values_only=True)) == (
        "统一社会信用代码",
        "年度",
        "参保人数",
        "工时",
    )


def test_a_bad_id_number_says_what_is_wrong_in_words(world, official):
    good = id_number(1)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    bad_date = good[:10] + "1340" + good[14:]
    row = ["QD-{}", world.enterprise.credit_code, "2024-02-03", "2024-04-01"]
    numbers = ["123", wrong_check, bad_date, "37021119800101AB12"]
    with translation.override("zh-hans"):
        job = upload(
            official,
            [*SLIM, "身份证号"],
            [[row[0].format(n), *row[1:], number] for n, number in enumerate(numbers)],
        )
        messages = {e["row"]: e["message"] for e in job.errors if e["field"] == "id_number"}
    assert messages == {
        2: "不是有效的居民身份证号（位数不对）。",
        3: "不是有效的居民身份证号（校验码不符）。",
        4: "不是有效的居民身份证号（出生日期无效）。",
        5: "不是有效的居民身份证号（只能是数字，末位可为 X）。",
    }
