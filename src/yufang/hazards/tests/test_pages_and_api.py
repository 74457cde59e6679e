from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from yufang.accounts.models import Role
from yufang.hazards import services
from yufang.hazards.models import Hazard, HazardLevel, HazardStatus
from yufang.hazards.tasks import escalate_hazards
from yufang.hazards.tests.conftest import png
from yufang.support.todos import todos_for
from yufang.support.topics import Topic
from yufang.tests.factories import InstitutionFactory, persona

pytestmark = pytest.mark.django_db


def as_(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report(world: Any, **kw: Any) -> Hazard:
    return services.hazard_report(
        actor=world.people[Role.COUNTY_OFFICIAL],
        enterprise=kw.pop("enterprise", world.enterprise),
        topic=Topic.CONFINED_SPACE,
        level=kw.pop("level", HazardLevel.ORDINARY),
        description="有限空间未设置警示标志",
    )


# --- scoping ------------------------------------------------------------------------------------


def test_official_of_another_city_gets_404_for_a_hazard(world: Any) -> None:
    hazard = report(world)
    assert as_(world.jinan_city_official).get(f"/hazards/{hazard.pk}/").status_code == 404
    assert as_(world.people[Role.CITY_OFFICIAL]).get(f"/hazards/{hazard.pk}/").status_code == 200


def test_enterprise_sees_only_its_own_hazards(world: Any) -> None:
    mine = report(world)
    other = report(world, enterprise=world.other_enterprise)
    client = as_(world.people[Role.SAFETY_MANAGER])
    body = client.get("/hazards/list/").content.decode()
    assert f"/hazards/{mine.pk}/" in body and f"/hazards/{other.pk}/" not in body
    assert client.get(f"/hazards/{other.pk}/").status_code == 404


def test_institution_staff_see_only_what_their_institution_is_assigned(
    world: Any, checklists: int
) -> None:
    staff = world.people[Role.INSTITUTION_STAFF]
    stranger = persona(Role.INSTITUTION_STAFF, institution=InstitutionFactory())
    assessment = services.assessment_create(
        actor=world.people[Role.CITY_OFFICIAL],
        enterprise=world.enterprise,
        checklist_key="T01",
        method="site_survey",
        planned_on=timezone.localdate() + dt.timedelta(days=3),
        institution_id=staff.institution_id,
    )
    assert as_(staff).get(f"/hazards/assessments/{assessment.pk}/").status_code == 200
    assert as_(stranger).get(f"/hazards/assessments/{assessment.pk}/").status_code == 404
    unassigned = report(world)
    assert as_(staff).get(f"/hazards/{unassigned.pk}/").status_code == 404


# --- pages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/hazards/list/",
        "/hazards/queue/",
        "/hazards/board/",
        "/hazards/map/",
        "/hazards/escalations/",
        "/hazards/assessments/",
        "/hazards/checklists/",
        "/hazards/statistics/",
        "/notifications/",
    ],
)
def test_pages_render_for_a_city_official(world: Any, checklists: int, url: str) -> None:
    report(world, level=HazardLevel.MAJOR)
    escalate_hazards()
    assert as_(world.people[Role.CITY_OFFICIAL]).get(url).status_code == 200


def test_index_sends_each_role_to_its_work(world: Any) -> None:
    assert as_(world.people[Role.CITY_OFFICIAL]).get("/hazards/").url == "/hazards/board/"
    assert as_(world.people[Role.SAFETY_MANAGER]).get("/hazards/").url == "/hazards/list/"
    assert as_(world.people[Role.INSTITUTION_STAFF]).get("/hazards/").url == "/hazards/queue/"


def test_board_counts_open_overdue_and_links_to_records(world: Any) -> None:
    report(world, level=HazardLevel.MAJOR)
    late = report(world)
    Hazard.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    response = as_(world.people[Role.CITY_OFFICIAL]).get("/hazards/board/")
    f = response.context["f"]
    assert f["open_total"] == 2 and f["by_level"]["major"] == 1 and f["overdue"] == 1
    assert f["overdue_rate"] == 0.5
    assert "/hazards/list/?status=reported" in response.content.decode()


def test_board_is_for_officials(world: Any) -> None:
    assert as_(world.people[Role.SAFETY_MANAGER]).get("/hazards/board/").status_code == 403


def test_hazard_list_exports_excel(world: Any) -> None:
    report(world)
    response = as_(world.people[Role.COUNTY_OFFICIAL]).get("/hazards/list/?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and rows[1][1] == world.enterprise.name


def test_phone_form_fills_and_completes_an_assessment(world: Any, checklists: int) -> None:
    worker = world.people[Role.GRID_WORKER]
    client = as_(worker)
    response = client.post(
        "/hazards/assessments/new/",
        {
            "enterprise_search": world.enterprise.credit_code,
            "checklist": "T09",
            "method": "site_patrol",
        },
    )
    assert "method" in response.context["errors"]  # grid workers run routine screenings only
    response = client.post(
        "/hazards/assessments/new/",
        {
            "enterprise_search": world.enterprise.credit_code,
            "checklist": "T09",
            "method": "routine_screening",
        },
    )
    fill_url = response.url
    page = client.get(fill_url)
    items = [row[0] for row in page.context["rows"]]
    data = {f"item_{i.pk}": "pass" for i in items}
    data[f"item_{items[0].pk}"] = "fail"
    data[f"note_{items[0].pk}"] = "未检测氧含量"
    data["lec_l"], data["lec_e"], data["lec_c"] = "3", "6", "7"
    data["action"] = "complete"
    response = client.post(fill_url, data)
    assert response.status_code == 302
    hazard = Hazard.objects.get(enterprise=world.enterprise)
    assert hazard.topic == Topic.CONFINED_SPACE and "未检测氧含量" in hazard.description
    report_page = client.get(response.url)
    # D = 3 × 6 × 7 = 126 is yellow; a major finding makes the assessment red.
    expected = "red" if hazard.level == HazardLevel.MAJOR else "yellow"
    assert report_page.context["r"]["score"].colour == expected


def test_enterprise_rectifies_through_the_pages(world: Any) -> None:
    hazard = report(world)
    services.hazard_assign(actor=world.people[Role.COUNTY_OFFICIAL], hazard=hazard)
    client = as_(world.people[Role.SAFETY_MANAGER])
    url = f"/hazards/{hazard.pk}/"
    client.post(url, {"action": "start"})
    response = client.post(url, {"action": "submit", "note": "已设置"})
    assert "evidence" in response.context["errors"]
    client.post(url, {"action": "photo", "kind": "evidence", "photo": png()})
    client.post(url, {"action": "submit", "note": "已设置"})
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED
    queue = as_(world.people[Role.COUNTY_OFFICIAL]).get("/hazards/queue/")
    assert hazard in list(queue.context["to_verify"])


def test_checklist_edit_page_makes_a_new_version(world: Any, checklists: int) -> None:
    from yufang.hazards.models import Checklist

    checklist = Checklist.objects.get(key="T15")
    items = list(checklist.items.all())
    client = as_(world.people[Role.CITY_OFFICIAL])
    response = client.post(
        f"/hazards/checklists/{checklist.pk}/edit/",
        {
            "effective_from": timezone.localdate().isoformat(),
            "change_note": "删除一项",
            "text": [i.text for i in items[1:]] + [""],
            "legal_basis": [i.legal_basis for i in items[1:]] + [""],
            "is_confirmed": [str(n) for n in range(len(items) - 1)],
        },
    )
    new = Checklist.objects.get(key="T15", version=2)
    assert response.url == f"/hazards/checklists/{new.pk}/"
    assert new.items.count() == len(items) - 1
    assert (
        as_(world.people[Role.COUNTY_OFFICIAL])
        .get(f"/hazards/checklists/{checklist.pk}/edit/")
        .status_code
        == 403
    )


def test_unconfirmed_items_are_marked(world: Any, checklists: int) -> None:
    from yufang.hazards.models import ChecklistItem

    item = ChecklistItem.objects.filter(is_confirmed=False).first()
    assert item is not None
    body = (
        as_(world.people[Role.COUNTY_OFFICIAL])
        .get(f"/hazards/checklists/{item.checklist_id}/")
        .content.decode()
    )
    assert 'data-testid="unconfirmed"' in body


def test_todos_for_each_role(world: Any) -> None:
    late = report(world, level=HazardLevel.MAJOR)
    services.hazard_assign(actor=world.people[Role.COUNTY_OFFICIAL], hazard=late)
    Hazard.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    escalate_hazards()
    manager_todos = todos_for(world.people[Role.SAFETY_MANAGER])
    assert any(t.level == "danger" and "overdue=1" in t.url for t in manager_todos)
    county_todos = todos_for(world.people[Role.COUNTY_OFFICIAL])
    assert any("/hazards/escalations/" in t.url for t in county_todos)


def test_statistics_page_generates_and_exports(world: Any) -> None:
    report(world)
    client = as_(world.people[Role.CITY_OFFICIAL])
    year = timezone.localdate().year
    response = client.post("/hazards/statistics/", {"kind": "year", "year": str(year)})
    assert response.status_code == 302
    export = client.get(response.url + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][3] == world.enterprise.name and rows[1][5] == 1
    bad = client.post(
        "/hazards/statistics/", {"kind": "quarter", "year": str(year), "quarter": "7"}
    )
    assert "quarter" in bad.context["errors"]


def test_notice_pdf_page_and_scope(world: Any) -> None:
    hazard = report(world)
    client = as_(world.people[Role.COUNTY_OFFICIAL])
    response = client.post(f"/hazards/{hazard.pk}/", {"action": "notice"})
    pdf = client.get(response.url)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert as_(world.jinan_city_official).get(response.url).status_code == 404


# --- API ------------------------------------------------------------------------------------------


def test_api_runs_the_loop_and_refuses_bad_moves(world: Any) -> None:
    county = as_(world.people[Role.COUNTY_OFFICIAL])
    manager = as_(world.people[Role.SAFETY_MANAGER])
    created = county.post(
        "/api/v1/hazards/hazards",
        {
            "enterprise_id": world.enterprise.pk,
            "topic": "fire",
            "level": "ordinary",
            "description": "灭火器过期",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    hid = created.json()["id"]
    url = f"/api/v1/hazards/hazards/{hid}/transitions"
    bad = county.post(url, {"to": "closed"}, content_type="application/json")
    assert bad.status_code == 422
    assert manager.post(url, {"to": "assigned"}, content_type="application/json").status_code == 403
    assigned = county.post(url, {"to": "assigned"}, content_type="application/json")
    assert assigned.json()["status"] == "assigned"
    manager.post(url, {"to": "rectifying"}, content_type="application/json")
    no_evidence = manager.post(
        url, {"to": "submitted", "note": "换新"}, content_type="application/json"
    )
    assert no_evidence.status_code == 422
    assert any(d["loc"] == ["body", "evidence"] for d in no_evidence.json()["detail"])
    photo = manager.post(
        f"/api/v1/hazards/hazards/{hid}/photos", {"photo": png(), "kind": "evidence"}
    )
    assert photo.status_code == 201
    manager.post(url, {"to": "submitted", "note": "换新"}, content_type="application/json")
    rejected = county.post(
        url, {"to": "rectifying", "reason": "数量不足"}, content_type="application/json"
    )
    assert rejected.json()["status"] == "rectifying"
    detail = manager.get(f"/api/v1/hazards/hazards/{hid}").json()
    assert [e["to_status"] for e in detail["history"]][-1] == "rectifying"
    assert detail["allowed_next"] == ["submitted"]
    assert as_(world.jinan_city_official).get(f"/api/v1/hazards/hazards/{hid}").status_code == 404


def test_api_assessment_measurements_and_checklists(world: Any, checklists: int) -> None:
    client = as_(world.people[Role.COUNTY_OFFICIAL])
    lists = client.get("/api/v1/hazards/checklists").json()
    assert len(lists) == 16
    assert (
        sum(len(client.get(f"/api/v1/hazards/checklists/{c['id']}").json()["items"]) for c in lists)
        == 211
    )
    a = client.post(
        "/api/v1/hazards/assessments",
        {
            "enterprise_id": world.enterprise.pk,
            "checklist_key": "T16",
            "method": "environmental_monitoring",
        },
        content_type="application/json",
    ).json()
    m = client.post(
        f"/api/v1/hazards/assessments/{a['id']}/measurements",
        {"agent": "toluene", "sample_type": "stel_15min", "value": "120", "unit": "mg/m³"},
        content_type="application/json",
    )
    assert m.status_code == 201 and m.json()["exceeded"] is True
    negative = client.post(
        f"/api/v1/hazards/assessments/{a['id']}/measurements",
        {"agent": "toluene", "sample_type": "stel_15min", "value": "-1", "unit": "mg/m³"},
        content_type="application/json",
    )
    assert negative.status_code == 422
    report = client.post(
        f"/api/v1/hazards/assessments/{a['id']}/answers",
        {"lec_l": "6", "lec_e": "6", "lec_c": "15", "ls_l": 4, "ls_s": 5},
        content_type="application/json",
    ).json()
    assert report["score"]["lec_d"] == "540.0" or float(report["score"]["lec_d"]) == 540
    assert report["score"]["colour"] == "red"
    not_image = client.post(
        f"/api/v1/hazards/assessments/{a['id']}/photos",
        {"photo": io.BytesIO(b"GIF89a?not")},
    )
    assert not_image.status_code in (422, 400)


def test_api_open_topics_escalations_and_notices(world: Any) -> None:
    hazard = report(world, level=HazardLevel.MAJOR)
    escalate_hazards()
    county = as_(world.people[Role.COUNTY_OFFICIAL])
    topics = county.get(f"/api/v1/hazards/open-topics?enterprise={world.enterprise.pk}").json()
    assert topics == [
        {
            "enterprise_id": world.enterprise.pk,
            "risk_colour": None,
            "open_topics": ["confined_space"],
        }
    ]
    [escalation] = county.get("/api/v1/hazards/escalations").json()["items"]
    answered = county.post(
        f"/api/v1/hazards/escalations/{escalation['id']}/answer",
        {"answer": "已约谈企业负责人"},
        content_type="application/json",
    )
    assert answered.json()["answered_at"] is not None
    notice = county.post(
        "/api/v1/hazards/notices",
        {"enterprise_id": world.enterprise.pk},
        content_type="application/json",
    )
    assert notice.status_code == 201 and notice.json()["number"].startswith("ZG")
    assert county.get(notice.json()["verify_url"]).status_code == 200
    board = county.get("/api/v1/hazards/board").json()
    assert board["by_level"]["major"] == 1
    stats = county.post(
        "/api/v1/hazards/statistics",
        {"kind": "year", "year": timezone.localdate().year},
        content_type="application/json",
    )
    assert stats.status_code == 201
    rows = county.get(
        f"/api/v1/hazards/statistics?kind=year&period_start={stats.json()['period_start']}"
    ).json()["items"]
    assert rows[0]["found_major"] == 1
    assert hazard.pk


def test_enterprise_list_shows_its_risk_colour_with_the_rule(world: Any, checklists: int) -> None:
    official = world.people[Role.COUNTY_OFFICIAL]
    a = services.assessment_create(
        actor=official, enterprise=world.enterprise, checklist_key="T15", method="site_patrol"
    )
    answers = {i.pk: ("pass", "") for i in a.checklist.items.all()}
    services.assessment_record(actor=official, assessment=a, answers=answers, ls=("2", "2"))
    services.assessment_complete(actor=official, assessment=a)
    response = as_(world.people[Role.SAFETY_MANAGER]).get("/hazards/list/")
    assert response.context["focus_colour"] == "yellow"  # R = 4
    assert 'data-testid="enterprise-colour"' in response.content.decode()
