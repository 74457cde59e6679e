from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yufang.accounts.models import Role
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.imports.models import ColumnMapping, ImportJob
from yufang.imports.services import (
    ImportRefused,
    import_job_confirm,
    import_job_create,
    import_job_remap,
)
from yufang.lib.spreadsheets import write_xlsx
from yufang.tests.factories import EnterpriseFactory, persona, region, valid_credit_code

pytestmark = pytest.mark.django_db

HEADER = "统一社会信用代码,企业名称,县区代码,乡镇街道代码,行业代码,规模,参保人数,参保年度\n"


def row(n: int, **over: str) -> str:
    values = {
        "code": valid_credit_code(1000 + n),
        "name": f"青岛测试{n}有限公司",
        "county": "370211",
        "township": "370211001",
        "industry": "4790",
        "size": "小型",
        "headcount": "50",
        "year": "2024",
    }
    values.update(over)
    return ",".join(values.values()) + "\n"


@pytest.fixture
def official(db):
    return persona(Role.CITY_OFFICIAL, region=region("370200"))


def upload(official, body: bytes, name: str = "enterprises.csv", **options):
    return import_job_create(
        actor=official, kind="enterprises", upload=SimpleUploadedFile(name, body), options=options
    )


def test_good_csv_is_previewed_then_imported_whole(official, django_capture_on_commit_callbacks):
    job = upload(official, (HEADER + row(1) + row(2) + row(3)).encode())
    assert job.status == ImportJob.Status.PREVIEW
    assert job.total_rows == 3
    assert not Enterprise.objects.exists()  # nothing before confirmation
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=official, job=job)  # eager Celery runs it on commit
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert job.result["created"] == 3
    assert Enterprise.objects.count() == 3
    assert InsuredHeadcount.objects.filter(year=2024, insured_headcount=50).count() == 3


def test_gbk_csv_from_excel_is_read(official):
    job = upload(official, (HEADER + row(1)).encode("gbk"))
    assert job.encoding == "gbk"
    assert job.status == ImportJob.Status.PREVIEW
    assert job.result["preview"][0]["name"] == "青岛测试1有限公司"


def test_xlsx_is_read(official):
    data = write_xlsx(
        ["credit_code", "name", "county", "industry", "size"],
        [[valid_credit_code(5), "青岛表格有限公司", "370211", "4790", "micro"]],
    )
    job = upload(official, data, name="x.xlsx")
    assert job.status == ImportJob.Status.PREVIEW


def test_bad_rows_are_named_and_nothing_is_imported(official):
    body = HEADER + row(1) + row(2, code="123", industry="XX") + "\n" + row(3, county="379999")
    job = upload(official, body.encode())
    assert job.status == ImportJob.Status.INVALID
    errors = {(e["row"], e["field"]) for e in job.errors}
    assert (3, "credit_code") in errors
    assert (3, "industry") in errors
    assert (5, "county") in errors  # the empty line 4 is skipped, row numbers stay true
    with pytest.raises(ImportRefused):
        import_job_confirm(actor=official, job=job)
    assert not Enterprise.objects.exists()


def test_duplicates_in_the_file_and_in_the_registry_are_refused(official):
    EnterpriseFactory(credit_code=valid_credit_code(1009))
    body = HEADER + row(1) + row(2, code=valid_credit_code(1001)) + row(9)
    job = upload(official, body.encode())
    messages = {(e["row"], e["message"]) for e in job.errors}
    assert any(r == 3 and "row 2" in m for r, m in messages)
    assert any(r == 4 and "Already registered" in m for r, m in messages)


def test_update_existing_when_the_user_chooses_it(official, django_capture_on_commit_callbacks):
    EnterpriseFactory(credit_code=valid_credit_code(1001), name="旧名称")
    job = upload(official, (HEADER + row(1)).encode(), update_existing=True)
    assert job.status == ImportJob.Status.PREVIEW
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=official, job=job)
    assert Enterprise.objects.get(credit_code=valid_credit_code(1001)).name == "青岛测试1有限公司"


def test_skipping_invalid_rows_when_the_user_chooses_it(
    official, django_capture_on_commit_callbacks
):
    body = HEADER + row(1) + row(2, industry="XX")
    job = upload(official, body.encode(), skip_invalid_rows=True)
    assert job.status == ImportJob.Status.PREVIEW
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=official, job=job)
    assert Enterprise.objects.count() == 1


def test_rows_outside_the_officials_city_are_refused(official):
    job = upload(official, (HEADER + row(1, county="370102", township="370102001")).encode())
    assert job.errors[0]["field"] == "county"


def test_a_file_that_is_not_a_spreadsheet_is_refused_whatever_its_name(official):
    with pytest.raises(ImportRefused, match="neither CSV nor XLSX"):
        upload(official, b"\x89PNG\r\n\x1a\n\x00\x00binary", name="enterprises.csv")
    assert not ImportJob.objects.exists()


def test_an_oversized_file_is_refused(official, settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(ImportRefused, match="at most"):
        upload(official, (HEADER + row(1) + row(2)).encode())


def test_missing_required_column_is_named(official):
    job = upload(official, "企业名称,县区代码\n甲,370211\n".encode())
    assert job.status == ImportJob.Status.INVALID
    assert {e["field"] for e in job.errors} >= {"credit_code", "industry"}


def test_column_mapping_can_be_changed_saved_and_reused(official):
    body = "USCC号,单位全称,区县,门类代码,规模\n" + ",".join(
        [valid_credit_code(3), "青岛映射有限公司", "370211", "4790", "微型"]
    )
    job = upload(official, body.encode())
    assert job.status == ImportJob.Status.INVALID
    mapping = {
        "credit_code": "USCC号",
        "name": "单位全称",
        "county": "区县",
        "industry": "门类代码",
        "size": "规模",
    }
    job = import_job_remap(actor=official, job=job, mapping=mapping, save_as="某区格式")
    assert job.status == ImportJob.Status.PREVIEW
    saved = ColumnMapping.objects.get(name="某区格式")
    again = import_job_create(
        actor=official,
        kind="enterprises",
        upload=SimpleUploadedFile("b.csv", body.encode()),
        mapping=saved,
    )
    assert again.status == ImportJob.Status.PREVIEW


def test_grid_worker_cannot_import_outside_the_grid(world):
    grid_worker = world.people[Role.GRID_WORKER]
    job = upload(grid_worker, (HEADER + row(1)).encode())
    assert job.status == ImportJob.Status.INVALID  # no grid column: outside the grid


def test_import_page_flow(client, official, django_capture_on_commit_callbacks):
    client.force_login(official)
    response = client.submit(
        "/imports/new/enterprises/",
        {"file": SimpleUploadedFile("a.csv", (HEADER + row(1)).encode())},
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    page = client.get(f"/imports/{job.pk}/")
    assert "青岛测试1有限公司" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/imports/{job.pk}/confirm/")  # the preview page holds its form
    assert Enterprise.objects.count() == 1
    assert client.get(f"/imports/{job.pk}/progress/").status_code == 200


def test_import_page_shows_the_refusal(client, official):
    client.force_login(official)
    response = client.submit(
        "/imports/new/enterprises/", {"file": SimpleUploadedFile("a.csv", b"\x00\x01\x02")}
    )
    assert response.status_code == 200
    assert "CSV" in response.content.decode()
