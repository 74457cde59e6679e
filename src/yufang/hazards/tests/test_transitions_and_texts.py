"""One way to move a hazard (`hazard_transition`, the pages' buttons and the API), a report
and its photo saved together or not at all, and free text held to its length everywhere."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yufang.accounts.models import Role
from yufang.hazards import services
from yufang.hazards.models import Hazard, HazardLevel, HazardStatus, Photo
from yufang.hazards.tests.conftest import png
from yufang.support.topics import Topic

pytestmark = pytest.mark.django_db

S = HazardStatus


def _report(world: Any, **kw: Any) -> Hazard:
    return services.hazard_report(
        actor=world.people[Role.COUNTY_OFFICIAL],
        enterprise=world.enterprise,
        topic=Topic.FIRE,
        level=kw.pop("level", HazardLevel.ORDINARY),
        description="灭火器过期",
    )


def test_hazard_transition_runs_the_whole_loop_by_target_status(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    manager = world.people[Role.SAFETY_MANAGER]
    hazard = _report(world)
    services.hazard_transition(actor=county, hazard=hazard, to=S.ASSIGNED)
    services.hazard_transition(actor=manager, hazard=hazard, to=S.RECTIFYING)
    services.photo_add(actor=manager, upload=png(), kind="evidence", hazard=hazard)
    services.hazard_transition(actor=manager, hazard=hazard, to=S.SUBMITTED, note="已更换")
    with pytest.raises(services.HazardInvalid) as refused:
        services.hazard_transition(actor=county, hazard=hazard, to=S.RECTIFYING)
    assert set(refused.value.errors) == {"reason"}
    services.hazard_transition(actor=county, hazard=hazard, to=S.RECTIFYING, reason="数量不足")
    assert hazard.events.last().reason == "数量不足"  # type: ignore[union-attr]
    services.hazard_transition(actor=manager, hazard=hazard, to=S.SUBMITTED, note="已补齐")
    services.hazard_transition(actor=county, hazard=hazard, to=S.VERIFIED)
    services.hazard_transition(actor=county, hazard=hazard, to=S.CLOSED)
    assert hazard.status == S.CLOSED
    assert [e.to_status for e in hazard.events.order_by("id")] == [
        S.REPORTED,
        S.ASSIGNED,
        S.RECTIFYING,
        S.SUBMITTED,
        S.RECTIFYING,
        S.SUBMITTED,
        S.VERIFIED,
        S.CLOSED,
    ]


def test_hazard_transition_refuses_an_unknown_status_and_a_move_off_the_table(
    world: Any,
) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    hazard = _report(world)
    with pytest.raises(services.HazardInvalid) as unknown:
        services.hazard_transition(actor=county, hazard=hazard, to="done")
    assert set(unknown.value.errors) == {"to"}
    with pytest.raises(services.HazardInvalid) as off_table:
        services.hazard_transition(actor=county, hazard=hazard, to=S.REPORTED)
    assert set(off_table.value.errors) == {"status"}
    with pytest.raises(PermissionDenied):
        services.hazard_transition(
            actor=world.people[Role.SAFETY_MANAGER], hazard=hazard, to=S.ASSIGNED
        )


def test_a_submission_by_a_role_that_may_not_submit_is_refused_before_its_fields(
    world: Any,
) -> None:
    """The move is checked against the table first (once): an inspector submitting without
    a note is told they may not, not that the note is missing."""
    county = world.people[Role.COUNTY_OFFICIAL]
    hazard = _report(world)
    services.hazard_assign(actor=county, hazard=hazard)
    services.hazard_start(actor=world.people[Role.SAFETY_MANAGER], hazard=hazard)
    with pytest.raises(PermissionDenied):
        services.hazard_transition(actor=county, hazard=hazard, to=S.SUBMITTED, note="")


def test_reporting_a_hazard_with_a_file_that_is_not_a_photo_leaves_no_hazard(
    world: Any, client: Any
) -> None:
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    response = client.submit(
        "/hazards/new/",
        {
            "enterprise": world.enterprise.pk,
            "topic": Topic.FIRE,
            "level": HazardLevel.ORDINARY,
            "description": "灭火器过期",
            "photo": SimpleUploadedFile("p.jpg", b"not an image", content_type="image/jpeg"),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "照片" in page and "JPEG" in page
    assert not Hazard.objects.exists() and not Photo.objects.exists()
    # Sent again with a real photo, it is registered once.
    again = client.submit(
        "/hazards/new/",
        {
            "enterprise": world.enterprise.pk,
            "topic": Topic.FIRE,
            "level": HazardLevel.ORDINARY,
            "description": "灭火器过期",
            "photo": png(),
        },
    )
    assert again.status_code == 302
    assert Hazard.objects.count() == 1 and Photo.objects.count() == 1


def test_the_report_form_refuses_a_description_beyond_its_length_naming_it(
    world: Any, client: Any
) -> None:
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    response = client.submit(
        "/hazards/new/",
        {
            "enterprise": world.enterprise.pk,
            "topic": Topic.FIRE,
            "level": HazardLevel.ORDINARY,
            "description": "有" * 2001,
        },
    )
    page = response.content.decode()
    assert "描述" in page and "内容超过 2000 个字符" in page
    assert not Hazard.objects.exists()


def test_texts_beyond_their_length_are_refused_by_every_hazard_write(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    manager = world.people[Role.SAFETY_MANAGER]
    hazard = _report(world, level=HazardLevel.MAJOR)
    long = "x" * 2001
    with pytest.raises(services.HazardInvalid) as reason:
        services.hazard_transition(actor=county, hazard=hazard, to=S.ASSIGNED, reason=long)
    assert set(reason.value.errors) == {"reason"}
    services.hazard_assign(actor=county, hazard=hazard)
    plan = {
        "measures": "更换",
        "responsible": "张" * 101,  # was cut to 100 characters without a word
        "funds": "100",
        "deadline": hazard.deadline,
        "emergency": "x" * 20001,
    }
    with pytest.raises(services.HazardInvalid) as planned:
        services.hazard_plan_set(actor=manager, hazard=hazard, **plan)
    assert set(planned.value.errors) == {"responsible", "emergency"}
    services.hazard_start(actor=manager, hazard=hazard)
    with pytest.raises(services.HazardInvalid) as note:
        services.hazard_submit(actor=manager, hazard=hazard, note=long)
    assert "note" in note.value.errors and "reason" not in note.value.errors
    hazard.refresh_from_db()
    assert hazard.status == S.RECTIFYING


def test_api_transition_names_a_reason_beyond_its_length(world: Any) -> None:
    county = Client()
    county.force_login(world.people[Role.COUNTY_OFFICIAL])
    hazard = _report(world)
    response = county.post(
        f"/api/v1/hazards/hazards/{hazard.pk}/transitions",
        {"to": S.ASSIGNED, "reason": "x" * 2001},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert {str(e["loc"][-1]) for e in response.json()["detail"]} == {"reason"}


def test_assessment_notes_and_sampling_points_beyond_their_length_are_refused_not_cut(
    world: Any, checklists: int
) -> None:
    from yufang.hazards.models import AnswerResult

    official = world.people[Role.COUNTY_OFFICIAL]
    assessment = services.assessment_create(
        actor=official, enterprise=world.enterprise, checklist_key="T13", method="site_patrol"
    )
    item = assessment.checklist.items.first()
    assert item is not None
    with pytest.raises(services.HazardInvalid) as noted:
        services.assessment_record(
            actor=official,
            assessment=assessment,
            answers={item.pk: (AnswerResult.FAIL, "锁" * 501)},
            notes="x" * 20001,
        )
    assert set(noted.value.errors) == {f"item_{item.pk}", "notes"}
    assert not assessment.answers.exists()
    with pytest.raises(services.HazardInvalid) as sampled:
        services.measurement_add(
            actor=official,
            assessment=assessment,
            agent="noise",
            sample_type="twa_8h",
            value="80",
            unit="dB(A)",
            location="车间" * 101,
        )
    assert set(sampled.value.errors) == {"location"}


def test_an_escalation_answer_beyond_its_length_is_refused(world: Any) -> None:
    from yufang.hazards.models import Escalation

    hazard = _report(world)
    escalation = Escalation.objects.create(
        hazard=hazard,
        level="county",
        round=1,
        region=world.enterprise.county,
        cause="overdue",
        escalated_at=hazard.reported_at,
    )
    with pytest.raises(services.HazardInvalid) as refused:
        services.escalation_answer(
            actor=world.people[Role.COUNTY_OFFICIAL], escalation=escalation, answer="x" * 2001
        )
    assert set(refused.value.errors) == {"answer"}


def _escalated(world: Any) -> Any:
    from yufang.hazards.models import Escalation

    hazard = _report(world)
    return Escalation.objects.create(
        hazard=hazard,
        level="county",
        round=1,
        region=world.enterprise.county,
        cause="overdue",
        escalated_at=hazard.reported_at,
    )


def test_the_answer_form_of_an_escalation_shows_to_whoever_the_service_lets_answer(
    world: Any, client: Any
) -> None:
    escalation = _escalated(world)
    page = f"/hazards/{escalation.hazard_id}/"
    answer = f"/hazards/escalations/{escalation.pk}/answer/"
    # An administrator may answer (the page used to offer the form to province officials only).
    client.force_login(world.people[Role.ADMIN])
    assert answer in client.get(page).content.decode()
    # An auditor reads escalations but does not answer them: no form on either page.
    client.force_login(world.people[Role.AUDITOR])
    assert answer not in client.get(page).content.decode()
    listed = client.get("/hazards/escalations/").content.decode()
    assert "escalation-answer" not in listed and 'name="answer"' not in listed
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    assert 'name="answer"' in client.get("/hazards/escalations/").content.decode()
    assert answer in client.get(page).content.decode()


def test_an_escalation_id_beyond_its_bounds_is_a_404_not_a_server_error(
    world: Any, client: Any
) -> None:
    _escalated(world)
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    response = client.submit("/hazards/escalations/", {"escalation": "9" * 30, "answer": "已约谈"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        (Role.SAFETY_MANAGER, [], ["/hazards/board/", "/hazards/escalations/"]),
        (Role.AUDITOR, ["/hazards/board/", "/hazards/escalations/"], ["/hazards/issuers/"]),
        (Role.CITY_OFFICIAL, ["/hazards/board/", "/hazards/issuers/"], []),
        (Role.COUNTY_OFFICIAL, ["/hazards/queue/", "/hazards/board/"], ["/hazards/issuers/"]),
    ],
)
def test_the_tabs_are_the_pages_the_role_may_open(
    role: str, shown: list[str], hidden: list[str], world: Any, client: Any
) -> None:
    client.force_login(world.people[role])
    tabs = client.get("/hazards/list/").content.decode().split('data-testid="hazard-tabs"')[1]
    tabs = tabs.split("</ul>")[0]
    for url in shown:
        assert f'href="{url}"' in tabs
        assert client.get(url).status_code == 200
    for url in hidden:
        assert f'href="{url}"' not in tabs
        if url != "/hazards/escalations/":  # open to all, listing only what is theirs
            assert client.get(url).status_code == 403
    # The enterprise has no inspector's work queue.
    assert ('href="/hazards/queue/"' in tabs) is (role != Role.SAFETY_MANAGER)


def test_the_hazard_page_offers_what_the_services_allow(world: Any, client: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    manager = world.people[Role.SAFETY_MANAGER]
    hazard = _report(world, level=HazardLevel.MAJOR)
    can = services.hazard_actions(county, hazard)
    assert {k for k, v in can.items() if v} == {"assign", "plan", "notice"}
    assert not any(services.hazard_actions(manager, hazard).values())
    services.hazard_assign(actor=county, hazard=hazard)
    assert {k for k, v in services.hazard_actions(manager, hazard).items() if v} == {"start"}
    client.force_login(manager)
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert 'value="start"' in page and 'value="notice"' not in page
