"""Which service institutions each role may pick (for an account, an assessment, a training
base), and which kinds of file each role may import. The world: the institution staff's
institution is in Qingdao, where the officials work; `jinan` is an institution of Jinan."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.accounts.scoping.imports import importable, may_import
from yufang.accounts.scoping.institutions import institutions_pickable, may_pick_institution
from yufang.hazards import services as hazards
from yufang.hazards.models import Assessment
from yufang.imports.models import ImportJob
from yufang.support.import_kinds import importer_for, importers
from yufang.tests.factories import InstitutionFactory, region
from yufang.training.models import TrainingBase

R = Role
REFUSED = "请选择服务本地区的服务机构。"

# The institutions each role may pick, by name in the test's world.
PICKS = {
    R.PROVINCE_OFFICIAL: {"own", "qingdao", "jinan"},
    R.ADMIN: {"own", "qingdao", "jinan"},
    R.CITY_OFFICIAL: {"own", "qingdao"},
    R.COUNTY_OFFICIAL: {"own", "qingdao"},
    R.INSTITUTION_STAFF: {"own"},
    R.GRID_WORKER: set(),
    R.SAFETY_MANAGER: set(),
    R.DEPARTMENT_LIAISON: set(),
    R.WORKER: set(),
    R.AUDITOR: set(),
}


@pytest.fixture
def institutions(world: Any) -> dict[str, Any]:
    return {
        "own": world.people[R.INSTITUTION_STAFF].institution,
        "qingdao": InstitutionFactory(name="青岛第二培训中心", city=region("370200")),
        "jinan": InstitutionFactory(name="济南安全培训中心", city=region("370100")),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(PICKS))
def test_which_institutions_each_role_may_pick(
    role: str, world: Any, institutions: dict[str, Any]
) -> None:
    user = world.people[role]
    names = {k for k, i in institutions.items() if institutions_pickable(user).filter(pk=i.pk)}
    assert names == PICKS[role]
    assert may_pick_institution(user, institutions["jinan"].pk) == ("jinan" in PICKS[role])
    assert not may_pick_institution(user, None)


@pytest.mark.django_db
def test_a_jinan_official_picks_jinans_institutions_only(
    world: Any, institutions: dict[str, Any]
) -> None:
    assert list(institutions_pickable(world.jinan_city_official)) == [institutions["jinan"]]


# The kinds of file each role may import (the importers' declared roles).
IMPORTS = {
    R.PROVINCE_OFFICIAL: {"enterprises", "injury_cases", "insured_headcounts", "training_trainees"},
    R.CITY_OFFICIAL: {"enterprises", "injury_cases", "insured_headcounts", "training_trainees"},
    R.GRID_WORKER: {"enterprises"},
    R.SAFETY_MANAGER: {"training_trainees"},
    R.INSTITUTION_STAFF: set(),
    R.WORKER: set(),
    R.AUDITOR: set(),
    R.DEPARTMENT_LIAISON: set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(IMPORTS))
def test_which_kinds_each_role_may_import(role: str, world: Any) -> None:
    user = world.people[role]
    # The backbone's and the older modules' kinds (the newer modules test their own).
    known = {"enterprises", "injury_cases", "insured_headcounts", "training_trainees"}
    kinds = {i.kind for i in importable(user, importers())} & known
    assert kinds == IMPORTS[role]
    assert may_import(user, importer_for("enterprises").roles) == ("enterprises" in kinds)


# --- the forms and the API use the rule ----------------------------------------------------------


@pytest.mark.django_db
def test_the_assessment_form_offers_the_citys_institutions_and_refuses_another(
    client: Any, world: Any, institutions: dict[str, Any]
) -> None:
    hazards.checklists_import()
    client.force_login(world.people[R.CITY_OFFICIAL])
    page = client.get("/hazards/assessments/new/").content.decode()
    assert "青岛第二培训中心" in page and "济南安全培训中心" not in page
    planned = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    form = {
        "enterprise": world.enterprise.pk,
        "checklist": "T01",
        "method": "site_survey",
        "planned_on": planned,
    }
    refused = client.submit(
        "/hazards/assessments/new/", {**form, "institution": institutions["jinan"].pk}
    )
    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    assert not Assessment.objects.exists()
    made = client.submit(
        "/hazards/assessments/new/", {**form, "institution": institutions["qingdao"].pk}
    )
    assert made.status_code == 302
    assert Assessment.objects.get().institution == institutions["qingdao"]


@pytest.mark.django_db
def test_the_base_form_offers_the_citys_institutions_and_refuses_another(
    client: Any, world: Any, institutions: dict[str, Any]
) -> None:
    client.force_login(world.people[R.CITY_OFFICIAL])
    page = client.get("/training/bases/").content.decode()
    assert "青岛第二培训中心" in page and "济南安全培训中心" not in page
    form = {"name": "黄岛消防体验基地", "city": "370200", "address": "某路1号"}
    refused = client.submit("/training/bases/", {**form, "institution": institutions["jinan"].pk})
    assert refused.status_code == 200
    assert REFUSED in refused.content.decode()
    assert not TrainingBase.objects.filter(name="黄岛消防体验基地").exists()
    made = client.submit("/training/bases/", {**form, "institution": institutions["qingdao"].pk})
    assert made.status_code == 302
    assert TrainingBase.objects.get(name="黄岛消防体验基地").institution == institutions["qingdao"]


@pytest.mark.django_db
def test_the_account_form_offers_the_province_every_institution(
    client: Any, world: Any, institutions: dict[str, Any]
) -> None:
    client.force_login(world.people[R.PROVINCE_OFFICIAL])
    page = client.get("/accounts/users/new/").content.decode()
    assert "青岛第二培训中心" in page and "济南安全培训中心" in page
    refused = client.submit(
        "/accounts/users/new/",
        {"username": "staff9", "password": "Xk9!long-enough-pw", "role": "institution"},
    )
    assert REFUSED in refused.content.decode()


@pytest.mark.django_db
def test_the_city_officials_account_form_lists_no_other_citys_institution(
    client: Any, world: Any, institutions: dict[str, Any]
) -> None:
    client.force_login(world.people[R.CITY_OFFICIAL])
    page = client.get("/accounts/users/new/").content.decode()
    assert "济南安全培训中心" not in page


@pytest.mark.django_db(transaction=True)
def test_the_api_refuses_another_citys_institution_naming_the_field(
    reference_data: None, world: Any, api_client: Any
) -> None:
    hazards.checklists_import()
    jinan = InstitutionFactory(name="济南安全培训中心", city=region("370100"))
    qingdao = InstitutionFactory(name="青岛第二培训中心", city=region("370200"))
    city = api_client(world.people[R.CITY_OFFICIAL])
    new = {"enterprise_id": world.enterprise.pk, "checklist_key": "T16", "method": "site_survey"}
    refused = city.post("/hazards/assessments", json={**new, "institution_id": jinan.pk})
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"][0]["msg"] == REFUSED
    assert refused.json()["detail"][0]["loc"][-1] == "institution"
    assert not Assessment.objects.exists()
    made = city.post("/hazards/assessments", json={**new, "institution_id": qingdao.pk})
    assert made.status_code == 201, made.text
    assert made.json()["institution_id"] == qingdao.pk

    base = {"name": "黄岛基地", "city": "370200", "address": "某路1号"}
    refused = city.post("/training/bases", json={**base, "institution_id": jinan.pk})
    assert refused.status_code == 422, refused.text
    assert REFUSED in str(refused.json())
    made = city.post("/training/bases", json={**base, "institution_id": qingdao.pk})
    assert made.status_code == 201, made.text


@pytest.mark.django_db(transaction=True)
def test_an_upload_is_refused_by_role_before_its_file_is_read(
    reference_data: None, world: Any, api_client: Any
) -> None:
    body = "统一社会信用代码,单位名称\n".encode()

    def send(user: Any, kind: str) -> Any:
        return api_client(user).post(
            "/imports/jobs", data={"kind": kind}, files={"file": ("a.csv", body, "text/csv")}
        )

    # A role that imports nothing: 403 whatever the kind, even one that does not exist.
    assert send(world.people[R.WORKER], "enterprises").status_code == 403
    assert send(world.people[R.AUDITOR], "no_such_kind").status_code == 403
    # A role that imports something: another kind is 403, an unknown one names the field.
    manager = world.people[R.SAFETY_MANAGER]
    assert send(manager, "enterprises").status_code == 403
    unknown = send(manager, "no_such_kind")
    assert unknown.status_code == 422 and "kind" in unknown.text
    assert not ImportJob.objects.exists()
    assert send(world.people[R.GRID_WORKER], "enterprises").status_code == 201


@pytest.mark.django_db
def test_the_upload_page_is_refused_to_a_role_that_may_not_import_its_kind(
    client: Any, world: Any
) -> None:
    client.force_login(world.people[R.WORKER])
    assert client.get("/imports/new/enterprises/").status_code == 403
    assert "/imports/new/" not in client.get("/imports/").content.decode()
    client.force_login(world.people[R.GRID_WORKER])
    page = client.get("/imports/new/enterprises/")
    assert page.status_code == 200
