from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.hazards import services
from yufang.hazards.models import (
    Answer,
    AnswerResult,
    Checklist,
    Hazard,
    HazardEvent,
    HazardLevel,
    HazardStatus,
)
from yufang.hazards.selectors import is_overdue, open_hazard_topics, with_overdue
from yufang.hazards.tests.conftest import png
from yufang.notifications.models import Notification
from yufang.support.topics import Topic

pytestmark = pytest.mark.django_db


def report(world: Any, *, level: str = HazardLevel.ORDINARY) -> Hazard:
    return services.hazard_report(
        actor=world.people[Role.GRID_WORKER],
        enterprise=world.enterprise,
        topic=Topic.FIRE,
        level=level,
        description="疏散通道堆放杂物",
        location="二号车间",
    )


def rectify(world: Any, hazard: Hazard) -> Hazard:
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    services.hazard_assign(actor=county, hazard=hazard)
    services.hazard_start(actor=manager, hazard=hazard)
    services.photo_add(actor=manager, upload=png(), kind="evidence", hazard=hazard)
    return services.hazard_submit(actor=manager, hazard=hazard, note="已清理通道")


def test_grid_worker_report_gets_deadline_by_level(world: Any) -> None:
    hazard = report(world)
    days = 30  # hazards.yaml: hazard_rectification_days.ordinary
    assert hazard.status == HazardStatus.REPORTED
    assert hazard.deadline == timezone.localdate() + dt.timedelta(days=days)
    major = report(world, level=HazardLevel.MAJOR)
    assert major.deadline == timezone.localdate() + dt.timedelta(days=90)


def test_the_loop_closes_with_history_and_audit(world: Any) -> None:
    hazard = rectify(world, report(world))
    county = world.people[Role.COUNTY_OFFICIAL]
    services.hazard_verify(actor=county, hazard=hazard, reason="现场复查合格")
    services.hazard_close(actor=county, hazard=hazard)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.CLOSED and hazard.closed_at is not None
    steps = list(HazardEvent.objects.filter(hazard=hazard).values_list("to_status", flat=True))
    assert steps == ["reported", "assigned", "rectifying", "submitted", "verified", "closed"]
    verified = HazardEvent.objects.get(hazard=hazard, to_status="verified")
    assert verified.actor == county and verified.reason == "现场复查合格"
    assert AuditEntry.objects.filter(model="hazards.Hazard", object_id=str(hazard.pk)).count() >= 6


def test_rejection_needs_a_reason_and_sends_the_hazard_back(world: Any) -> None:
    hazard = rectify(world, report(world))
    county = world.people[Role.COUNTY_OFFICIAL]
    with pytest.raises(services.HazardInvalid) as exc:
        services.hazard_reject(actor=county, hazard=hazard, reason=" ")
    assert "reason" in exc.value.errors
    services.hazard_reject(actor=county, hazard=hazard, reason="照片看不清")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING
    event = hazard.events.last()
    assert event is not None and event.reason == "照片看不清"
    assert Notification.objects.filter(
        recipient=world.people[Role.SAFETY_MANAGER], title__contains=str(hazard.pk)
    ).exists()


def test_a_transition_not_allowed_from_the_state_is_refused_and_nothing_changes(
    world: Any,
) -> None:
    hazard = report(world)
    with pytest.raises(services.HazardInvalid):
        services.hazard_close(actor=world.people[Role.COUNTY_OFFICIAL], hazard=hazard)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.REPORTED
    assert hazard.events.count() == 1


def test_enterprise_cannot_verify_its_own_rectification(world: Any) -> None:
    hazard = rectify(world, report(world))
    with pytest.raises(PermissionDenied):
        services.hazard_verify(actor=world.people[Role.SAFETY_MANAGER], hazard=hazard)
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED


def test_grid_worker_cannot_assign(world: Any) -> None:
    hazard = report(world)
    with pytest.raises(PermissionDenied):
        services.hazard_assign(actor=world.people[Role.GRID_WORKER], hazard=hazard)


def test_official_of_another_city_cannot_act(world: Any) -> None:
    hazard = report(world)
    with pytest.raises(PermissionDenied):
        services.hazard_assign(actor=world.jinan_city_official, hazard=hazard)


def test_submission_without_evidence_is_refused(world: Any) -> None:
    hazard = report(world)
    manager = world.people[Role.SAFETY_MANAGER]
    services.hazard_assign(actor=world.people[Role.COUNTY_OFFICIAL], hazard=hazard)
    services.hazard_start(actor=manager, hazard=hazard)
    with pytest.raises(services.HazardInvalid) as exc:
        services.hazard_submit(actor=manager, hazard=hazard, note="done")
    assert "evidence" in exc.value.errors
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.RECTIFYING


def test_major_hazard_needs_the_five_in_place_plan(world: Any) -> None:
    hazard = report(world, level=HazardLevel.MAJOR)
    manager = world.people[Role.SAFETY_MANAGER]
    services.hazard_assign(actor=world.people[Role.COUNTY_OFFICIAL], hazard=hazard)
    services.hazard_start(actor=manager, hazard=hazard)
    services.photo_add(actor=manager, upload=png(), kind="evidence", hazard=hazard)
    with pytest.raises(services.HazardInvalid) as exc:
        services.hazard_submit(actor=manager, hazard=hazard, note="done")
    assert "plan" in exc.value.errors
    with pytest.raises(services.HazardInvalid) as exc:
        services.hazard_plan_set(
            actor=manager,
            hazard=hazard,
            measures="加装联锁",
            responsible="",
            funds="-5",
            deadline=None,
            emergency="",
        )
    assert {"responsible", "funds", "deadline", "emergency"} <= set(exc.value.errors)
    services.hazard_plan_set(
        actor=manager,
        hazard=hazard,
        measures="加装联锁",
        responsible="张三",
        funds="12000",
        deadline=timezone.localdate() + dt.timedelta(days=20),
        emergency="停产撤人预案",
    )
    services.hazard_submit(actor=manager, hazard=hazard, note="已加装")
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.SUBMITTED
    assert hazard.plan_funds == Decimal("12000.00")


def test_overdue_is_derived_from_the_deadline(world: Any) -> None:
    hazard = report(world)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    hazard.refresh_from_db()
    assert is_overdue(hazard)
    assert with_overdue(Hazard.objects.all()).filter(pk=hazard.pk).exists()
    rectify(world, hazard)
    hazard.refresh_from_db()
    assert not is_overdue(hazard)


def test_assign_refuses_a_deadline_in_the_past(world: Any) -> None:
    hazard = report(world)
    with pytest.raises(services.HazardInvalid):
        services.hazard_assign(
            actor=world.people[Role.COUNTY_OFFICIAL],
            hazard=hazard,
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )
    hazard.refresh_from_db()
    assert hazard.status == HazardStatus.REPORTED


def test_failed_items_become_hazards_with_the_checklist_topic(world: Any, checklists: int) -> None:
    official = world.people[Role.COUNTY_OFFICIAL]
    assessment = services.assessment_create(
        actor=official,
        enterprise=world.enterprise,
        checklist_key="T13",  # 重大火灾隐患
        method="site_patrol",
    )
    items = list(assessment.checklist.items.all())
    answers = {i.pk: (AnswerResult.PASS, "") for i in items}
    answers[items[0].pk] = (AnswerResult.FAIL, "东侧出口锁闭")
    answers[items[1].pk] = (AnswerResult.NOT_APPLICABLE, "")
    with pytest.raises(services.HazardInvalid):
        services.assessment_complete(actor=official, assessment=assessment)
    services.assessment_record(actor=official, assessment=assessment, answers=answers)
    hazards = services.assessment_complete(actor=official, assessment=assessment)
    assert len(hazards) == 1
    hazard = hazards[0]
    assert hazard.topic == Topic.FIRE
    assert hazard.level == (HazardLevel.MAJOR if items[0].is_major else HazardLevel.ORDINARY)
    assert "东侧出口锁闭" in hazard.description
    assert Answer.objects.filter(assessment=assessment).count() == len(items)
    assert open_hazard_topics(enterprise_ids=[world.enterprise.pk]) == {
        world.enterprise.pk: {Topic.FIRE.value}
    }


def test_open_hazard_topics_leave_out_closed_hazards(world: Any) -> None:
    hazard = rectify(world, report(world))
    services.hazard_report(
        actor=world.people[Role.COUNTY_OFFICIAL],
        enterprise=world.other_enterprise,
        topic=Topic.ELECTRICAL,
        level=HazardLevel.ORDINARY,
        description="配电箱未接地",
    )
    county = world.people[Role.COUNTY_OFFICIAL]
    services.hazard_verify(actor=county, hazard=hazard)
    services.hazard_close(actor=county, hazard=hazard)
    topics = open_hazard_topics()
    assert world.enterprise.pk not in topics
    assert topics[world.other_enterprise.pk] == {"electrical"}


def test_completed_assessment_keeps_its_checklist_version(world: Any, checklists: int) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    assessment = services.assessment_create(
        actor=official, enterprise=world.enterprise, checklist_key="T09", method="site_survey"
    )
    old = assessment.checklist
    new = services.checklist_revise(
        actor=world.people[Role.PROVINCE_OFFICIAL],
        checklist=old,
        items=[services.ItemInput(text="新检查项", legal_basis="依据", is_major=True)],
        effective_from=timezone.localdate(),
        change_note="依据新版标准调整",
    )
    assert new.version == old.version + 1 and new.key == old.key
    assessment.refresh_from_db()
    assert assessment.checklist_id == old.pk
    later = services.assessment_create(
        actor=official, enterprise=world.enterprise, checklist_key="T09", method="site_survey"
    )
    assert later.checklist_id == new.pk
    assert Checklist.objects.filter(key="T09").count() == 2
