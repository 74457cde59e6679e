"""Contract: a bureau's system imports files over the API with a bearer token."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.enterprises.models import Enterprise
from yufang.imports.models import ImportJob
from yufang.tests.factories import valid_credit_code

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "统一社会信用代码,单位名称,所在区县代码,所属行业代码,参保人数,年度\n"


def csv(*lines: str) -> bytes:
    return (HEADER + "".join(lines)).encode()


def line(n: int, county: str = "370211") -> str:
    return f"{valid_credit_code(3000 + n)},青岛接口{n}有限公司,{county},8010,40,2024\n"


def send(api, body: bytes, kind: str = "enterprises", **form):
    return api.post(
        "/imports/jobs",
        data={"kind": kind, **form},
        files={"file": ("nightly.csv", body, "text/csv")},
    )


def test_a_file_is_uploaded_checked_and_confirmed(api_client, world):
    official = world.people[Role.CITY_OFFICIAL]
    api = api_client(official)
    sent = send(api, csv(line(1), line(2)))
    assert sent.status_code == 201, sent.text
    job = sent.json()
    assert (job["status"], job["total_rows"], job["valid_rows"]) == ("preview", 2, 2)
    assert {"header": "所在区县代码", "column": "county"} in job["headers"]
    preview = api.get(f"/imports/jobs/{job['id']}/preview").json()
    assert preview["count"] == 2
    assert preview["items"][0]["name"] == "青岛接口1有限公司"
    # The API speaks the platform's language (zh-hans).
    assert preview["items"][0]["size"] == "小型（由参保人数推定）"
    assert not Enterprise.objects.filter(name__startswith="青岛接口").exists()

    done = api.post(f"/imports/jobs/{job['id']}/confirm")
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "done"
    assert done.json()["counts"] == {"created": 2, "updated": 0}
    assert Enterprise.objects.filter(name__startswith="青岛接口").count() == 2
    # The same audit as the pages: each enterprise created by the official, for the import.
    assert AuditEntry.objects.filter(actor=official, reason="import").count() >= 2
    listed = api.get("/imports/jobs").json()
    assert [j["id"] for j in listed["items"]] == [job["id"]]


def test_a_file_that_is_not_a_spreadsheet_is_a_422_naming_the_file(api_client, world):
    api = api_client(world.people[Role.CITY_OFFICIAL])
    refused = send(api, b"\x00\x01\x02\x03")
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["loc"] == ["body", "file"]
    assert not ImportJob.objects.exists()


def test_an_unknown_kind_and_a_bad_year_are_422s_naming_them(api_client, world):
    api = api_client(world.people[Role.CITY_OFFICIAL])
    assert send(api, csv(line(1)), kind="planets").json()["detail"][0]["loc"] == ["body", "kind"]
    bad_year = send(api, csv(line(1)), headcount_year="1850")
    assert bad_year.status_code == 422
    assert bad_year.json()["detail"][0]["loc"][-1] == "headcount_year"
    recent = send(api, csv(line(1)), headcount_year="1999")
    assert recent.status_code == 422
    assert recent.json()["detail"][0]["loc"] == ["body", "headcount_year"]


def test_bad_rows_make_a_job_whose_errors_name_row_and_field(api_client, world):
    api = api_client(world.people[Role.CITY_OFFICIAL])
    sent = send(api, csv(line(1), line(2, county="379999"), line(3, county="370102")))
    job = sent.json()
    assert sent.status_code == 201
    assert job["status"] == "invalid"
    errors = api.get(f"/imports/jobs/{job['id']}/errors").json()["items"]
    assert [(e["row"], e["field"]) for e in errors] == [(3, "county"), (4, "county")]
    assert "379999" in errors[0]["message"]
    refused = api.post(f"/imports/jobs/{job['id']}/confirm")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == "只有没有错误的文件才能导入。"


def test_only_the_valid_rows_when_asked(api_client, world):
    api = api_client(world.people[Role.CITY_OFFICIAL])
    job = send(api, csv(line(1), line(2, county="379999")), skip_invalid_rows="true").json()
    assert (job["status"], job["valid_rows"], job["error_count"]) == ("preview", 1, 1)
    done = api.post(f"/imports/jobs/{job['id']}/confirm").json()
    assert done["counts"]["created"] == 1


def test_a_cancelled_job_cannot_be_confirmed(api_client, world):
    api = api_client(world.people[Role.CITY_OFFICIAL])
    job = send(api, csv(line(1))).json()
    cancelled = api.post(f"/imports/jobs/{job['id']}/cancel")
    assert cancelled.status_code == 200, cancelled.text
    assert cancelled.json()["status"] == "cancelled"
    refused = api.post(f"/imports/jobs/{job['id']}/confirm")
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == "该导入已取消。"
    assert not Enterprise.objects.filter(name__startswith="青岛接口").exists()


def test_another_users_job_is_404(api_client, world):
    mine = send(api_client(world.people[Role.CITY_OFFICIAL]), csv(line(1))).json()
    other = api_client(world.jinan_city_official)
    for method, path in (
        ("get", f"/imports/jobs/{mine['id']}"),
        ("get", f"/imports/jobs/{mine['id']}/errors"),
        ("get", f"/imports/jobs/{mine['id']}/preview"),
        ("post", f"/imports/jobs/{mine['id']}/confirm"),
        ("post", f"/imports/jobs/{mine['id']}/cancel"),
    ):
        assert getattr(other, method)(path).status_code == 404, path
    assert other.get("/imports/jobs").json()["items"] == []
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEW


def test_a_role_that_may_not_import_the_kind_is_refused(api_client, world):
    worker = api_client(world.people[Role.WORKER])
    assert send(worker, csv(line(1))).status_code == 403
    assert worker.get("/imports/kinds").json() == []


def test_kinds_list_their_columns_and_a_template_per_kind(api_client, world):
    api = api_client(world.people[Role.CITY_OFFICIAL])
    kinds = {k["kind"]: k for k in api.get("/imports/kinds").json()}
    assert {"enterprises", "injury_cases", "insured_headcounts"} <= set(kinds)
    size = next(c for c in kinds["enterprises"]["columns"] if c["name"] == "size")
    assert size["required"] is False and "微型" in size["accepted"]
    template = api.get("/imports/kinds/injury_cases/template")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content), read_only=True)
    first, notes = book.worksheets
    assert next(first.iter_rows(values_only=True))[:2] == ("认定书编号", "统一社会信用代码")
    rows = {r[0]: r for r in notes.iter_rows(min_row=2, values_only=True)}
    assert "机械伤害" in rows["事故类别"][3]


def test_a_systems_own_layout_is_mapped_and_checked_again(api_client, world):
    api = api_client(world.people[Role.CITY_OFFICIAL])
    body = f"USCC号,单位全称,区,门类\n{valid_credit_code(3100)},青岛映射接口有限公司,370211,8010\n"
    job = send(api, body.encode()).json()
    assert job["status"] == "invalid"
    mapping = {"credit_code": "USCC号", "name": "单位全称", "county": "区", "industry": "门类"}
    wrong = api.put(
        f"/imports/jobs/{job['id']}/mapping", json={"mapping": {**mapping, "grid": "网格"}}
    )
    assert wrong.status_code == 422
    assert wrong.json()["detail"][0]["loc"] == ["body", "grid"]
    remapped = api.put(f"/imports/jobs/{job['id']}/mapping", json={"mapping": mapping})
    assert remapped.status_code == 200, remapped.text
    assert remapped.json()["status"] == "preview"
    assert {"header": "区", "column": "county"} in remapped.json()["headers"]


def test_the_kinds_state_their_limits_and_a_file_over_one_is_a_422(api_client, world):
    api = api_client(world.people[Role.CITY_OFFICIAL])
    kinds = {k["kind"]: k for k in api.get("/imports/kinds").json()}
    assert kinds["enterprises"]["limits"]["rows"] == 100_000
    assert kinds["enterprises"]["limits"]["columns"] == 100
    assert kinds["enterprises"]["limits"]["cell_chars"] == 1000
    assert kinds["injury_cases"]["limits"]["rows"] >= 200_000
    wide = (",".join(f"c{i}" for i in range(50_000)) + "\n").encode()
    refused = send(api, wide)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "file"]
    assert "100" in refused.json()["detail"][0]["msg"]
    assert not ImportJob.objects.exists()


def test_an_id_beyond_64_bits_is_a_422_not_a_server_error(api_client, world):
    api = api_client(world.people[Role.CITY_OFFICIAL])
    assert api.get(f"/imports/jobs/{2**70}").status_code == 422
    assert api.get("/imports/jobs", params={"page": 10**19}).status_code == 422
