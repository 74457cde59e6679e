"""Who sees which personal fields of an injury case: the table in docs/injuries.md, checked
against the API, the case list, the case page and the export."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from yufang.accounts.models import Role
from yufang.injuries.selectors import CASE_EXPORT_COLUMNS
from yufang.injuries.services import case_create, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, id_number, insure
from yufang.lib.identifiers import mask_id_number
from yufang.lib.protected import id_number_digest
from yufang.training.models import Trainee

pytestmark = pytest.mark.django_db

# docs/injuries.md, "Personal data": per role, whether it sees the worker's case, and how the
# name and the ID number show. "full" / "masked" / None (not shown at all).
SEEN = {
    Role.PROVINCE_OFFICIAL: ("full", "masked"),
    Role.CITY_OFFICIAL: ("full", "masked"),
    Role.COUNTY_OFFICIAL: ("full", "masked"),
    Role.ADMIN: ("full", "masked"),
    Role.AUDITOR: ("full", "masked"),
    Role.GRID_WORKER: ("full", "masked"),
    Role.SAFETY_MANAGER: ("full", "masked"),
    Role.WORKER: ("full", "masked"),
    Role.DEPARTMENT_LIAISON: ("masked", None),
    Role.INSTITUTION_STAFF: None,
}


@pytest.fixture
def cases(world):
    """Two cases at the worker's enterprise: the worker's own and a colleague's."""
    insure(world.enterprise, 2024, 100)
    rollup_rebuild()
    admin = world.people[Role.ADMIN]
    world.own = case_create(
        actor=admin,
        data=case_data(world.enterprise, 1, person_name="王小明", disability_grade="7"),
    )
    world.colleague = case_create(
        actor=admin,
        data=case_data(
            world.enterprise,
            2,
            person_name="李大同",
            kind="occupational_disease",
            occupational_disease="矽肺",
            payout="88000.00",
        ),
    )
    Trainee.objects.create(
        name="王小明",
        id_digest=id_number_digest(id_number(1)),
        id_masked=mask_id_number(id_number(1)),
        enterprise=world.enterprise,
        user=world.people[Role.WORKER],
    )
    return world


def _expect_shown(text: str, seen: tuple[str, str | None]) -> None:
    name, id_shown = seen
    if name == "full":
        assert "王小明" in text
    else:
        assert "王小明" not in text and "王**" in text
    if id_shown == "masked":
        assert mask_id_number(id_number(1)) in text
    else:
        assert mask_id_number(id_number(1)) not in text
    assert id_number(1) not in text


@pytest.mark.parametrize("role", list(SEEN))
def test_case_list_and_page_show_personal_fields_as_the_table_says(client, cases, role):
    client.force_login(cases.people[role])
    listed = client.get(reverse("injuries:cases")).content.decode()
    detail = client.get(reverse("injuries:case", args=[cases.own.pk]))
    seen = SEEN[role]
    if seen is None:
        assert cases.own.case_number not in listed
        assert detail.status_code == 404
        return
    assert cases.own.case_number in listed
    _expect_shown(listed, seen)
    assert detail.status_code == 200
    _expect_shown(detail.content.decode(), seen)


@pytest.mark.parametrize("role", list(SEEN))
def test_case_api_shows_personal_fields_as_the_table_says(api_client, cases, role):
    api = api_client(cases.people[role])
    items = api.get("/injuries/cases").json()["items"]
    own = next((c for c in items if c["id"] == cases.own.pk), None)
    seen = SEEN[role]
    if seen is None:
        assert own is None
        assert api.get(f"/injuries/cases/{cases.own.pk}").status_code == 404
        return
    assert own is not None
    one = api.get(f"/injuries/cases/{cases.own.pk}").json()
    for body in (own, one):
        assert body["person_name"] == ("王小明" if seen[0] == "full" else "王**")
        assert body["id_number_masked"] == (
            mask_id_number(id_number(1)) if seen[1] == "masked" else None
        )
        assert body["disability_grade"] == 7


def test_a_worker_sees_only_their_own_case_not_a_colleagues(client, api_client, cases):
    worker = cases.people[Role.WORKER]
    client.force_login(worker)
    listed = client.get(reverse("injuries:cases")).content.decode()
    assert cases.own.case_number in listed
    for secret in (cases.colleague.case_number, "李大同", "矽肺", "88000"):
        assert secret not in listed, secret
    assert client.get(reverse("injuries:case", args=[cases.colleague.pk])).status_code == 404
    exported = client.get(reverse("injuries:cases") + "?export=csv").content.decode("utf-8-sig")
    assert cases.own.case_number in exported and "李大同" not in exported
    api = api_client(worker)
    assert [c["case_number"] for c in api.get("/injuries/cases").json()["items"]] == [
        cases.own.case_number
    ]
    assert api.get(f"/injuries/cases/{cases.colleague.pk}").status_code == 404


def test_a_worker_without_a_known_id_number_sees_no_case(client, api_client, cases):
    Trainee.objects.filter(user=cases.people[Role.WORKER]).update(user=None)
    worker = cases.people[Role.WORKER]
    client.force_login(worker)
    listed = client.get(reverse("injuries:cases")).content.decode()
    assert cases.own.case_number not in listed and cases.colleague.case_number not in listed
    assert api_client(worker).get("/injuries/cases").json()["items"] == []


def test_a_liaison_cannot_find_a_person_by_searching_their_name(client, cases):
    client.force_login(cases.people[Role.DEPARTMENT_LIAISON])
    found = client.get(reverse("injuries:cases") + "?q=王小明").content.decode()
    assert cases.own.case_number not in found
    client.force_login(cases.people[Role.CITY_OFFICIAL])
    found = client.get(reverse("injuries:cases") + "?q=王小明").content.decode()
    assert cases.own.case_number in found


def test_a_liaisons_export_masks_the_name_and_has_no_id_number_column(client, cases):
    client.force_login(cases.people[Role.DEPARTMENT_LIAISON])
    export = client.get(reverse("injuries:cases") + "?export=xlsx")
    sheet = load_workbook(BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    text = repr(rows)
    assert len(rows[0]) == len(CASE_EXPORT_COLUMNS) - 1
    assert "王**" in text and "王小明" not in text and mask_id_number(id_number(1)) not in text


@pytest.mark.parametrize("role", [Role.CITY_OFFICIAL, Role.DEPARTMENT_LIAISON])
def test_the_case_list_asks_as_many_queries_for_many_cases_as_for_few(client, cases, role):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(cases.people[role])
    url = reverse("injuries:cases")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    admin = cases.people[Role.ADMIN]
    for n in range(3, 13):
        case_create(actor=admin, data=case_data(cases.enterprise, n))
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert "RS-2024-00012" in page and "RS-2024-00003" in page
    assert len(many) == len(few)
