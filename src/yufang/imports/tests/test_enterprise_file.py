"""A bureau's enterprise file: no size column, its own header words, headcounts with a year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from yufang.accounts.models import Role
from yufang.enterprises.importers import size_from_headcount
from yufang.enterprises.models import Enterprise, InsuredHeadcount
from yufang.imports.models import ImportJob
from yufang.imports.services import (
    ImportRefused,
    import_job_confirm,
    import_job_create,
    import_options,
)
from yufang.tests.factories import persona, region, valid_credit_code

pytestmark = pytest.mark.django_db

BUREAU_HEADER = "统一社会信用代码,单位名称,所在区县代码,所属行业代码,参保人数,年度\n"


@pytest.fixture
def official(db):
    return persona(Role.CITY_OFFICIAL, region=region("370200"))


def upload(official, body: str, **options):
    return import_job_create(
        actor=official,
        kind="enterprises",
        upload=SimpleUploadedFile("bureau.csv", body.encode()),
        options=import_options(**options),
    )


def line(n: int, industry: str, people: str, year: str = "2024") -> str:
    return f"{valid_credit_code(2000 + n)},青岛局{n}有限公司,370211,{industry},{people},{year}\n"


def test_a_file_without_a_size_column_is_imported(official, django_capture_on_commit_callbacks):
    job = upload(official, BUREAU_HEADER + line(1, "1311", "50") + line(2, "1311", "8"))
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=official, job=job)
    sizes = dict(Enterprise.objects.values_list("name", "size"))
    # Industry counts revenue too: 50 people say nothing, 8 people make it micro.
    assert sizes == {"青岛局1有限公司": "", "青岛局2有限公司": "micro"}


def test_the_preview_marks_a_derived_size_and_names_the_matched_columns(official):
    job = upload(official, BUREAU_HEADER + line(1, "8010", "150") + line(2, "1311", "50"))
    first, second = job.result["preview"]
    assert first["size"] == "medium (derived from the insured headcount)"
    assert second["size"] == "not known"
    matched = {m["header"]: m["column"] for m in job.result["headers"]}
    assert matched["所在区县代码"] == "county"
    assert matched["所属行业代码"] == "industry"
    assert matched["年度"] == "headcount_year"


def test_a_size_given_in_the_file_is_kept(official):
    body = "统一社会信用代码,企业名称,县区代码,行业代码,规模\n"
    body += f"{valid_credit_code(9)},青岛规模有限公司,370211,8010,大型\n"
    job = upload(official, body)
    assert job.result["preview"][0]["size"] == "large"


@pytest.mark.parametrize(
    ("industry", "people", "size"),
    [
        ("8010", 5, "micro"),
        ("8010", 10, "small"),
        ("8010", 100, "medium"),
        ("8010", 300, "large"),
        ("1311", 19, "micro"),
        ("1311", 20, None),
        ("1311", 5000, None),
        ("4790", 3, None),  # construction counts no people
        ("7020", 99, "micro"),  # property management: micro below 100
    ],
)
def test_the_national_size_rule_by_people(industry, people, size):
    assert size_from_headcount(industry, people, dt.date(2024, 1, 1)) == size


def test_a_headcount_without_a_year_is_refused_not_stored_for_this_year(official):
    body = "统一社会信用代码,企业名称,县区代码,行业代码,参保人数\n"
    body += f"{valid_credit_code(1)},青岛无年度有限公司,370211,8010,40\n"
    job = upload(official, body)
    assert job.status == ImportJob.Status.INVALID
    assert job.errors[0]["field"] == "headcount_year"
    assert "year" in job.errors[0]["message"]


def test_a_blank_year_cell_is_refused(official):
    job = upload(official, BUREAU_HEADER + line(1, "8010", "40", year=""))
    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [
        {
            "row": 2,
            "field": "headcount_year",
            "message": "The insured headcount has no year: fill in the year or choose it in "
            "the import form.",
        }
    ]


def test_the_year_chosen_in_the_form_is_used(official, django_capture_on_commit_callbacks):
    body = "统一社会信用代码,企业名称,县区代码,行业代码,参保人数\n"
    body += f"{valid_credit_code(1)},青岛有年度有限公司,370211,8010,40\n"
    job = upload(official, body, headcount_year="2023")
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=official, job=job)
    assert list(InsuredHeadcount.objects.values_list("year", "insured_headcount")) == [(2023, 40)]


def test_a_year_in_the_future_is_refused_in_the_form():
    with pytest.raises(ImportRefused) as caught:
        import_options(headcount_year=str(timezone.localdate().year + 2))
    assert "headcount_year" in caught.value.errors


def test_the_preview_page_names_the_matched_columns_and_can_cancel(client, official):
    client.force_login(official)
    opened = client.submit(
        "/imports/new/enterprises/",
        {
            "file": SimpleUploadedFile("b.csv", (BUREAU_HEADER + line(1, "8010", "40")).encode()),
            "headcount_year": "",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    job = ImportJob.objects.get()
    assert opened.status_code == 302
    page = client.get(f"/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<td>所在区县代码</td><td>区县代码</td>" in page
    assert "小型（由参保人数推定）" in page
    cancelled = client.post(f"/imports/{job.pk}/cancel/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert cancelled.status_code == 302
    page = client.get(f"/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "该导入已取消：没有导入任何数据，文件已删除。" in page
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CANCELLED and not job.file
    assert not Enterprise.objects.exists()


def test_the_errors_name_their_column_in_words(client, official):
    client.force_login(official)
    client.submit(
        "/imports/new/enterprises/",
        {
            "file": SimpleUploadedFile(
                "b.csv", (BUREAU_HEADER + line(1, "8010", "40", year="")).encode()
            )
        },
    )
    job = ImportJob.objects.get()
    page = client.get(f"/imports/{job.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<td>2</td><td>参保年度</td><td>参保人数没有年度" in page
    assert "<code>headcount_year</code>" not in page


def test_a_job_cancelled_after_its_confirmation_does_not_run(official):
    from yufang.imports.services import import_job_cancel, import_job_run

    job = upload(official, BUREAU_HEADER + line(1, "8010", "40"))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    import_job_cancel(actor=official, job=job)
    assert import_job_run(job.pk).status == ImportJob.Status.CANCELLED
    assert not Enterprise.objects.exists()


def test_an_update_without_a_size_keeps_the_registered_size(
    official, django_capture_on_commit_callbacks
):
    from yufang.tests.factories import EnterpriseFactory

    e = EnterpriseFactory(county=region("370211"), size="medium", industry__code="1311")
    body = "统一社会信用代码,企业名称,县区代码,行业代码\n"
    body += f"{e.credit_code},青岛改名有限公司,370211,1311\n"
    job = upload(official, body, update_existing=True)
    assert job.result["preview"][0]["size"] == "unchanged"
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=official, job=job)
    e.refresh_from_db()
    assert (e.name, e.size) == ("青岛改名有限公司", "medium")


def test_a_grid_workers_file_names_the_headcounts_it_may_not_set(world):
    grid_worker = world.people[Role.GRID_WORKER]
    grid = world.grid
    body = "统一社会信用代码,企业名称,县区代码,乡镇街道代码,网格编码,行业代码,参保人数,年度\n"
    body += (
        f"{valid_credit_code(8801)},青岛网格有限公司,370211,{grid.township.code},{grid.code},"
        "8010,40,2024\n"
    )
    body += (
        f"{valid_credit_code(8802)},青岛网格二有限公司,370211,{grid.township.code},{grid.code},"
        "8010,,\n"
    )
    job = upload(grid_worker, body)
    assert job.status == ImportJob.Status.INVALID
    assert [(e["row"], e["field"]) for e in job.errors] == [
        (2, "headcount_year"),
        (2, "insured_headcount"),
    ]
    assert "HRSS bureau keeps it" in job.errors[1]["message"]


def test_an_update_keeps_what_the_file_has_no_column_for(world, django_capture_on_commit_callbacks):
    official = world.people[Role.CITY_OFFICIAL]
    e = world.enterprise
    type(e).objects.filter(pk=e.pk).update(
        address="黄岛区某路1号",
        contact_person="王安全",
        risk_class=8,
        risk_class_is_override=True,
        risk_class_override_reason="现场核查",
    )
    grid_id = e.grid_id
    body = "统一社会信用代码,企业名称,县区代码,行业代码,规模\n"
    body += f"{e.credit_code},青岛更名有限公司,370211,{e.industry.code},小型\n"
    job = upload(official, body, update_existing=True)
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=official, job=job)
    e.refresh_from_db()
    assert e.name == "青岛更名有限公司"
    assert (e.address, e.contact_person, e.grid_id) == ("黄岛区某路1号", "王安全", grid_id)
    assert (e.risk_class, e.risk_class_is_override) == (8, True)


def test_a_blank_size_reads_size_unknown_on_the_pages_and_in_the_export_and_imports_back(
    world, client
):
    from yufang.lib.spreadsheets import read_table

    official = world.people[Role.CITY_OFFICIAL]
    Enterprise.objects.filter(pk=world.enterprise.pk).update(size="")
    client.force_login(official)
    detail = client.get(f"/enterprises/{world.enterprise.pk}/").content.decode()
    assert "规模未知" in detail
    listing = client.get("/enterprises/", {"q": world.enterprise.name}).content.decode()
    assert "规模未知" in listing
    exported = read_table(client.get("/enterprises/", {"export": "csv"}).content)
    sizes = {cells.get("规模", cells.get("企业规模")) for _n, cells in exported.rows}
    assert "规模未知" in sizes
    assert not {"", "micro", "small"} & sizes
    # The export goes back in: "size unknown" is a blank size, kept.
    row = next(
        cells
        for _n, cells in exported.rows
        if cells["统一社会信用代码"] == world.enterprise.credit_code
    )
    body = ",".join(exported.headers) + "\n" + ",".join(row[h] for h in exported.headers) + "\n"
    with translation.override("zh-hans"):
        job = upload(official, body, update_existing=True)
    assert job.status == ImportJob.Status.PREVIEW, job.errors


def test_the_rates_by_size_name_a_blank_size_size_unknown(world, client):
    from yufang.injuries.services import case_create, rollup_rebuild
    from yufang.injuries.tests.helpers import case_data, insure

    Enterprise.objects.filter(pk=world.enterprise.pk).update(size="")
    world.enterprise.refresh_from_db()
    insure(world.enterprise, 2024, 100)
    rollup_rebuild()
    case_create(actor=world.people[Role.ADMIN], data=case_data(world.enterprise, 1))
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    page = client.get("/injuries/rates/", {"by": "size", "year": "2024"}).content.decode()
    assert "规模未知" in page
