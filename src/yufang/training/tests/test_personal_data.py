"""A trainee's name, ID number and mobile number, per role, on the API and the pages: the
table of docs/security.md, "Personal data"."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from yufang.accounts.models import Role
from yufang.training import services as svc
from yufang.training.models import Trainee
from yufang.training.tests.conftest import id_number, schedule

pytestmark = pytest.mark.django_db

PHONE = "13812345678"
MASKED_PHONE = "138****5678"
MASKED_ID = "370211********" + id_number(7)[-4:]


@dataclass(frozen=True)
class Shown:
    name: str
    id_number: str | None
    phone: str | None


FULL_MASKED = Shown("王大明", MASKED_ID, MASKED_PHONE)
FULL_PHONE = Shown("王大明", MASKED_ID, PHONE)
EXPECTED = {
    Role.PROVINCE_OFFICIAL: FULL_MASKED,
    Role.CITY_OFFICIAL: FULL_MASKED,
    Role.COUNTY_OFFICIAL: FULL_MASKED,
    Role.ADMIN: FULL_MASKED,
    Role.AUDITOR: FULL_MASKED,
    Role.GRID_WORKER: FULL_MASKED,
    Role.SAFETY_MANAGER: FULL_PHONE,
    Role.INSTITUTION_STAFF: FULL_PHONE,
    Role.DEPARTMENT_LIAISON: Shown("王**", None, None),
}


@pytest.fixture
def wang(world: Any, staff: Any, hall: Any) -> Trainee:
    """An employee of the world's enterprise, booked on a session of the institution."""
    admin = world.people[Role.ADMIN]
    person = svc.trainee_upsert(
        actor=admin,
        name="王大明",
        id_number=id_number(7),
        phone=PHONE,
        enterprise=world.enterprise,
    )
    svc.enrollment_book_group(
        actor=admin, session=schedule(staff, hall), enterprise=world.enterprise, trainees=[person]
    )
    return person


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_the_api_shows_a_trainee_as_the_role_may_see_them(
    client: Any, world: Any, wang: Trainee, role: str
) -> None:
    client.force_login(world.people[role])
    want = EXPECTED[role]
    one = client.get(f"/api/v1/training/trainees/{wang.pk}").json()
    assert (one["name"], one["id_number"], one["phone"]) == (
        want.name,
        want.id_number,
        want.phone,
    )
    rows = client.get("/api/v1/training/trainees").json()["items"]
    assert [(r["name"], r["phone"]) for r in rows if r["id"] == wang.pk] == [
        (want.name, want.phone)
    ]
    assert PHONE not in str(rows) or want.phone == PHONE


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_the_trainee_pages_show_a_trainee_as_the_role_may_see_them(
    client: Any, world: Any, wang: Trainee, role: str
) -> None:
    client.force_login(world.people[role])
    want = EXPECTED[role]
    page = client.get(reverse("training:trainee", args=[wang.pk])).content.decode()
    listing = client.get(reverse("training:trainees")).content.decode()
    for html in (page, listing):
        assert want.name in html
        if want.name != "王大明":
            assert "王大明" not in html
        if want.id_number is None:
            assert MASKED_ID not in html
            assert "身份证号" not in html
    assert (want.phone or "") in page
    if want.phone != PHONE:
        assert PHONE not in page
    assert id_number(7) not in page


def test_a_liaisons_search_does_not_match_names(client: Any, world: Any, wang: Trainee) -> None:
    """A search by name would tell whose masked row is whose."""
    client.force_login(world.people[Role.DEPARTMENT_LIAISON])
    found = client.get("/api/v1/training/trainees", {"q": "大明"}).json()["items"]
    none = client.get("/api/v1/training/trainees", {"q": "nobody"}).json()["items"]
    assert [r["id"] for r in found] == [r["id"] for r in none]


def test_enrollments_and_certificates_mask_the_name_for_a_liaison(
    client: Any, world: Any, wang: Trainee
) -> None:
    client.force_login(world.people[Role.DEPARTMENT_LIAISON])
    rows = client.get("/api/v1/training/enrollments").json()
    rows = rows["items"] if isinstance(rows, dict) else rows
    mine = [r for r in rows if r["trainee_id"] == wang.pk]
    assert mine and all((r["trainee_name"], r["trainee_id_number"]) == ("王**", None) for r in mine)
    page = client.get(reverse("training:my_enrollments")).content.decode()
    assert "王**" in page and "王大明" not in page


def test_a_worker_sees_their_own_record_in_full_and_no_one_elses(
    client: Any, world: Any, wang: Trainee
) -> None:
    worker = world.people[Role.WORKER]
    own = svc.trainee_upsert(
        actor=world.people[Role.ADMIN],
        name="李小红",
        id_number=id_number(8),
        phone="13900001111",
        enterprise=world.enterprise,
        user=worker,
    )
    client.force_login(worker)
    rows = client.get("/api/v1/training/trainees").json()["items"]
    assert [(r["name"], r["phone"]) for r in rows] == [("李小红", "13900001111")]
    assert client.get(f"/api/v1/training/trainees/{wang.pk}").status_code == 404
    assert client.get(reverse("training:trainee", args=[wang.pk])).status_code == 404
    assert "13900001111" in client.get(reverse("training:trainee", args=[own.pk])).content.decode()


def test_no_one_sees_a_whole_id_number(client: Any, world: Any, wang: Trainee) -> None:
    for role in (Role.ADMIN, Role.INSTITUTION_STAFF):
        client.force_login(world.people[role])
        page = client.get(reverse("training:trainee", args=[wang.pk])).content.decode()
        assert MASKED_ID in page and id_number(7) not in page


def test_a_liaison_reads_certificates_without_names_and_not_their_pdf(
    client: Any, world: Any, wang: Trainee
) -> None:
    certificate = svc.certificate_issue(
        actor=world.people[Role.ADMIN],
        trainee=wang,
        title="消防安全",
        issued_on=dt.date(2026, 1, 5),
    )
    client.force_login(world.people[Role.DEPARTMENT_LIAISON])
    page = client.get(reverse("training:certificates")).content.decode()
    assert "王**" in page and "王大明" not in page
    export = client.get(reverse("training:certificates"), {"export": "xlsx"})
    cells = [c for row in load_workbook(io.BytesIO(export.content)).active.values for c in row]
    assert "王**" in cells and "王大明" not in cells
    assert client.get(reverse("training:certificate_pdf", args=[certificate.pk])).status_code == 404
