"""Files that cannot tie up the server: each kind's limits of rows, columns and characters
are checked while the file is counted, before any heavy work; a file is read and checked
once, in the background when it is large, and its page reads what was stored."""

from __future__ import annotations

import io
import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import Workbook

from yufang.accounts.models import Role
from yufang.imports import services
from yufang.imports.models import ImportJob
from yufang.imports.services import (
    CHECK_IN_REQUEST_ROWS,
    ImportRefused,
    import_job_cancel,
    import_job_check,
    import_job_create,
    import_options,
)
from yufang.lib import spreadsheets
from yufang.support.import_kinds import importer_for, limits_for, max_bytes_for
from yufang.tests.factories import persona, region, valid_credit_code

pytestmark = pytest.mark.django_db

HEADER = "统一社会信用代码,单位名称,所在区县代码,所属行业代码\n"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def official(db):
    return persona(Role.CITY_OFFICIAL, region=region("370200"))


def upload(official, data: bytes, kind: str = "enterprises", name: str = "bureau.csv"):
    return import_job_create(
        actor=official,
        kind=kind,
        upload=SimpleUploadedFile(name, data),
        options=import_options(),
    )


def enterprise_lines(count: int, county: str = "370211") -> str:
    return "".join(
        f"{valid_credit_code(10_000 + n)},青岛限额{n}有限公司,{county},8010\n" for n in range(count)
    )


def test_a_file_of_50000_columns_is_refused_fast_naming_the_limit(official):
    data = (",".join(f"列{i}" for i in range(50_000)) + "\n" + "1," * 49_999 + "1\n").encode()
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as refused:
        upload(official, data)
    assert time.perf_counter() - started < 2
    assert "最多允许 100 列" in refused.value.message
    assert not ImportJob.objects.exists()


def test_a_file_of_a_million_columns_is_refused(official):
    data = ("a," * 999_999 + "a\n").encode()
    with pytest.raises(ImportRefused) as refused:
        upload(official, data)
    assert "100 列" in refused.value.message
    assert not ImportJob.objects.exists()


def test_a_row_wider_than_the_limit_is_refused_naming_the_row(official):
    data = (HEADER + enterprise_lines(2) + "x," * 150 + "x\n").encode()
    with pytest.raises(ImportRefused) as refused:
        upload(official, data)
    assert refused.value.message == "第 4 行有 151 列，最多允许 100 列。"


def test_a_cell_over_1000_characters_is_refused_naming_row_and_column(official):
    long_name = "长" * 1001
    data = (HEADER + f"{valid_credit_code(1)},{long_name},370211,8010\n").encode()
    with pytest.raises(ImportRefused) as refused:
        upload(official, data)
    assert refused.value.message == (
        "第 2 行“单位名称”列：单元格有 1001 个字符，最多允许 1000 个字符。"
    )
    assert not ImportJob.objects.exists()


def test_rows_past_the_kinds_limit_are_refused_naming_the_limit(official):
    trainees = importer_for("training_trainees")
    limit = limits_for(trainees).rows
    header = "统一社会信用代码,姓名,身份证号\n"
    body = "".join(f"{valid_credit_code(1)},学员{n},\n" for n in range(limit + 1))
    with pytest.raises(ImportRefused) as refused:
        upload(official, (header + body).encode(), kind="training_trainees")
    assert f"此类导入最多允许 {limit} 行" in refused.value.message
    assert f"第 {limit + 2} 行已超出上限" in refused.value.message


def _xlsx(rows: int, header: list[str]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    sheet.append(header)
    for n in range(rows):
        sheet.append([n])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_past_the_row_limit_is_refused_while_it_is_read(official):
    trainees = importer_for("training_trainees")
    data = _xlsx(50_000, ["统一社会信用代码", "姓名", "身份证号"])
    assert len(data) < 500_000
    with pytest.raises(ImportRefused) as refused:
        upload(official, data, kind="training_trainees", name="roster.xlsx")
    assert f"最多允许 {limits_for(trainees).rows} 行" in refused.value.message


def test_a_case_file_may_hold_200000_rows_of_a_year():
    cases = importer_for("injury_cases")
    assert limits_for(cases).rows >= 200_000
    # Some 120 bytes a row in CSV.
    assert max_bytes_for(cases) >= 200_000 * 130
    assert limits_for(importer_for("enterprises")).columns == 100
    assert limits_for(importer_for("enterprises")).cell == 1000


def test_a_large_xlsx_is_read_once_in_the_background_and_its_page_reads_the_stored_result(
    official, client, django_capture_on_commit_callbacks
):
    data = _xlsx(50_000, ["统一社会信用代码", "单位名称", "所在区县代码", "所属行业代码"])
    assert len(data) < 500_000
    with django_capture_on_commit_callbacks(execute=True):
        job = upload(official, data, name="big.xlsx")
    job.refresh_from_db()
    assert job.total_rows == 50_000
    assert job.status == ImportJob.Status.INVALID
    assert job.headers == ["统一社会信用代码", "单位名称", "所在区县代码", "所属行业代码"]
    assert job.result["error_count"] > len(job.errors) == services.MAX_STORED_ERRORS

    client.force_login(official)
    parse = mock.Mock(side_effect=AssertionError("the page read the file again"))
    with (
        mock.patch.object(services, "read_table", parse),
        mock.patch.object(services, "table_shape", parse),
        mock.patch.object(spreadsheets, "load_workbook", parse),
    ):
        started = time.perf_counter()
        page = client.get(f"/imports/{job.pk}/")
        second = client.get(f"/imports/{job.pk}/?page=3")
        elapsed = time.perf_counter() - started
    assert page.status_code == 200 and second.status_code == 200
    assert not parse.called
    assert elapsed < 3
    text = page.content.decode()
    assert f"共 {job.result['error_count']} 个错误，这里列出前 1000 个。" in text
    # The mapping form offers the stored headers.
    assert '<option value="所属行业代码"' in text


def test_a_large_file_shows_checking_until_the_background_check_is_done(official, client):
    data = (HEADER + enterprise_lines(CHECK_IN_REQUEST_ROWS + 1)).encode()
    job = upload(official, data)
    assert job.status == ImportJob.Status.CHECKING
    client.force_login(official)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert f"正在后台检查 {CHECK_IN_REQUEST_ROWS + 1} 行" in page

    import_job_check(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW, job.errors[:3]
    assert job.result["valid_rows"] == CHECK_IN_REQUEST_ROWS + 1
    progress = client.get(f"/imports/{job.pk}/progress/?checking=1")
    assert progress["HX-Refresh"] == "true"


def test_a_check_does_not_undo_a_cancel(official):
    data = (HEADER + enterprise_lines(CHECK_IN_REQUEST_ROWS + 1)).encode()
    job = upload(official, data)
    import_job_cancel(actor=official, job=job)
    import_job_check(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED


def test_the_import_page_states_the_limits(official, client):
    client.force_login(official)
    page = client.get("/imports/new/enterprises/").content.decode()
    assert "每个文件最多 100000 行数据、100 列，每个单元格最多 1000 个字符" in page


def test_a_job_id_beyond_64_bits_on_the_pages_is_a_404(official, client):
    client.force_login(official)
    assert client.get(f"/imports/{2**70}/").status_code == 404
    assert client.get(f"/imports/{2**70}/progress/").status_code == 404


def test_the_trainee_page_lists_the_posts_the_key_role_column_accepts(official, client):
    client.force_login(official)
    page = client.get("/imports/new/training_trainees/").content.decode()
    row = next(r for r in page.split("<tr>") if r.startswith('<td class="text-nowrap">岗位'))
    for word in ("分管安全负责人", "专职安全员", "班组长", "其他任何岗位"):
        assert word in row
    assert "其他员工" in row


def test_numbers_beyond_their_bounds_in_the_upload_form_are_refused_not_a_server_error(
    official, client
):
    client.force_login(official)
    page = "/imports/new/enterprises/"
    data = (HEADER + enterprise_lines(1)).encode()
    answer = client.submit(
        page,
        {
            "file": SimpleUploadedFile("a.csv", data),
            "mapping": "9" * 30,
            "headcount_year": "9" * 5000,
        },
    )
    assert answer.status_code == 200
    assert "不是有效年度：99999999999999999999" in answer.content.decode()
    assert not ImportJob.objects.exists()


def test_a_background_check_reports_the_rows_read(official, client):
    from django.core.cache import cache

    lines = 10_001
    data = (HEADER + enterprise_lines(lines)).encode()
    job = upload(official, data)
    seen: list[int] = []
    real_set = cache.set

    def spy(key, value, *args, **kwargs):
        if key == f"import-progress:{job.pk}":
            seen.append(value)
        return real_set(key, value, *args, **kwargs)

    with mock.patch.object(services.cache, "set", spy):
        import_job_check(job.pk)
    assert seen == [10_000, lines]
    cache.set(f"import-progress:{job.pk}", 10_000, 60)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING)
    client.force_login(official)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert f"10000 / {lines}" in page
