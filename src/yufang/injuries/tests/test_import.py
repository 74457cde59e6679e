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
    # The lookup reads no names; the preview asks for its rows' own.
    assert job.result["preview"][0]["enterprise"] == insured.enterprise.name


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


def _run(official, job, django_capture_on_commit_callbacks):
    from yufang.imports.services import import_job_confirm

    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(actor=official, job=job)
    job.refresh_from_db()
    return job


def test_an_import_is_audited_once_and_each_case_names_it(
    insured, django_capture_on_commit_callbacks, client
):
    from yufang.audit.models import AuditEntry

    official = insured.people[Role.COUNTY_OFFICIAL]
    job = upload(official, [line(n, insured.enterprise) for n in (1, 2, 3)])
    job = _run(official, job, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, job.errors
    cases = InjuryCase.objects.order_by("case_number")
    assert [c.case_number for c in cases] == ["QD-1", "QD-2", "QD-3"]
    assert {(c.created_by, c.import_job) for c in cases} == {(official, job)}
    entry = AuditEntry.objects.get(model="injuries.InjuryCase", action="create")
    assert (entry.actor, entry.reason, entry.object_id) == (official, "import", f"import:{job.pk}")
    assert entry.changes == {"import_job": job.pk, "created": 3}
    client.force_login(official)
    page = client.get(f"/injuries/cases/{cases[0].pk}/").content.decode()
    assert f'href="/imports/{job.pk}/"' in page and "cases.xlsx" in page
    # Stored protected, shown masked, and readable by an official.
    from yufang.injuries.services import case_reveal_id_number

    case = cases[0]
    assert id_number(1) not in case.id_number_encrypted
    assert case.id_number_masked == id_number(1)[:6] + "********" + id_number(1)[-4:]
    assert case_reveal_id_number(actor=official, case=case) == id_number(1)


def test_rows_with_errors_are_left_out_when_the_user_chooses_so(
    insured, django_capture_on_commit_callbacks
):
    official = insured.people[Role.COUNTY_OFFICIAL]
    job = import_job_create(
        actor=official,
        kind="injury_cases",
        upload=SimpleUploadedFile(
            "cases.xlsx",
            write_xlsx(
                HEADER,
                [
                    line(1, insured.enterprise),
                    line(2, insured.enterprise, payout="-5"),
                    line(3, insured.other_enterprise),
                    line(4, insured.enterprise),
                ],
            ),
        ),
        options={"skip_invalid_rows": True},
    )
    assert job.status == ImportJob.Status.PREVIEW
    assert {(e["row"], e["field"]) for e in job.errors} == {(3, "payout"), (4, "enterprise")}
    job = _run(official, job, django_capture_on_commit_callbacks)
    assert job.status == ImportJob.Status.DONE, job.errors
    assert sorted(InjuryCase.objects.values_list("case_number", flat=True)) == ["QD-1", "QD-4"]
