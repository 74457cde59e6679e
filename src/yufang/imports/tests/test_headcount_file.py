"""Yearly insured headcounts from the bureau's insurance system, as an import kind."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.enterprises.models import InsuredHeadcount
from yufang.imports.models import ImportJob
from yufang.imports.services import import_job_confirm, import_job_create, import_options
from yufang.injuries.services import case_create
from yufang.injuries.tests.helpers import case_data, insure

pytestmark = pytest.mark.django_db

HEADER = "单位统一社会信用代码,年度,参保人数,总工时\n"


def upload(user, body: str, **options):
    return import_job_create(
        actor=user,
        kind="insured_headcounts",
        upload=SimpleUploadedFile("insured.csv", body.encode()),
        options=import_options(**options),
    )


def confirm(user, job, capture):
    with capture(execute=True):
        import_job_confirm(actor=user, job=job)
    job.refresh_from_db()
    return job


def test_headcounts_are_previewed_then_written_whole(world, django_capture_on_commit_callbacks):
    official = world.people[Role.CITY_OFFICIAL]
    e, other = world.enterprise, world.other_enterprise
    job = upload(
        official, HEADER + f"{e.credit_code},2023,120,240000\n{other.credit_code},2023,8,\n"
    )
    assert job.status == ImportJob.Status.PREVIEW, job.errors
    assert not InsuredHeadcount.objects.exists()
    assert job.result["preview"][0]["action"] == "create"
    job = confirm(official, job, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.result["created"] == 2
    assert set(InsuredHeadcount.objects.values_list("enterprise", "year", "insured_headcount")) == {
        (e.pk, 2023, 120),
        (other.pk, 2023, 8),
    }
    # The same audit entries as a headcount typed in: one per headcount, by the official.
    entries = AuditEntry.objects.filter(model__icontains="insuredheadcount", actor=official)
    assert entries.count() == 2


def test_no_zero_headcount_in_a_year_with_cases(world):
    official = world.people[Role.CITY_OFFICIAL]
    insure(world.enterprise, 2024, 100)
    case_create(actor=official, data=case_data(world.enterprise))
    job = upload(
        official,
        HEADER
        + f"{world.enterprise.credit_code},2024,0,\n{world.other_enterprise.credit_code},2024,0,\n",
        update_existing=True,
    )
    assert job.status == ImportJob.Status.INVALID
    assert job.errors == [
        {
            "row": 2,
            "field": "insured_headcount",
            "message": "2024 has injury cases, so the insured headcount cannot be 0.",
        }
    ]


def test_a_recorded_year_is_changed_only_when_asked(world, django_capture_on_commit_callbacks):
    official = world.people[Role.CITY_OFFICIAL]
    insure(world.enterprise, 2023, 50)
    body = HEADER + f"{world.enterprise.credit_code},2023,60,\n"
    refused = upload(official, body)
    assert refused.status == ImportJob.Status.INVALID
    assert "already has a headcount" in refused.errors[0]["message"]
    job = upload(official, body, update_existing=True)
    assert job.result["preview"][0]["previous"] == 50
    job = confirm(official, job, django_capture_on_commit_callbacks)
    assert job.result["updated"] == 1
    assert InsuredHeadcount.objects.get().insured_headcount == 60


def test_every_bad_row_is_named(world):
    official = world.people[Role.CITY_OFFICIAL]
    code = world.enterprise.credit_code
    body = (
        HEADER
        + f"{code},2023,12,\n"
        + f"{code},2023,13,\n"
        + "91370200MA3C00000X,2023,5,\n"
        + f"{world.jinan_enterprise.credit_code},2023,5,\n"
        + f"{code},1999,-1,abc\n"
    )
    job = upload(official, body)
    assert job.status == ImportJob.Status.INVALID
    assert {(e["row"], e["field"]) for e in job.errors} == {
        (3, "year"),
        (4, "credit_code"),
        (5, "credit_code"),
        (6, "year"),
        (6, "insured_headcount"),
        (6, "hours_worked"),
    }
    assert not InsuredHeadcount.objects.exists()


def test_the_imports_page_offers_headcounts_in_chinese(client, world):
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    page = client.get("/imports/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "导入: 参保人数" in page
    assert 'href="/imports/new/insured_headcounts/"' in page
    form = client.get("/imports/new/insured_headcounts/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = form.content.decode()
    assert "更新已有的参保人数（同一企业、同一年度）" in text
    assert "有工伤案件的年度不能为 0" in text
