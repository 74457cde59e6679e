"""The recognition rules, service by service: grades, the one-hour duty, time limits, the
bureau's one request, acceptance, suspension, the decision and the injury case it makes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.injuries.models import InjuryCase
from yufang.injuries.services import case_create
from yufang.lib.errors import InvalidInput
from yufang.notifications.models import Notification
from yufang.recognition import clock, services
from yufang.recognition.models import AccidentGrade, ApplicationStatus
from yufang.recognition.tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 6)


@pytest.mark.parametrize(
    ("deaths", "serious", "loss", "grade"),
    [
        (0, 0, "0", AccidentGrade.ORDINARY),
        (2, 9, "9999999.99", AccidentGrade.ORDINARY),
        (3, 0, "0", AccidentGrade.LARGER),
        (0, 10, "0", AccidentGrade.LARGER),
        (0, 0, "10000000", AccidentGrade.LARGER),
        (10, 0, "0", AccidentGrade.MAJOR),
        (0, 99, "0", AccidentGrade.MAJOR),
        (29, 0, "0", AccidentGrade.MAJOR),
        (30, 0, "0", AccidentGrade.ESPECIALLY_SERIOUS),
        (0, 0, "100000000", AccidentGrade.ESPECIALLY_SERIOUS),
    ],
)
def test_grade_is_the_highest_any_criterion_reaches(
    deaths: int, serious: int, loss: str, grade: str
) -> None:
    assert (
        clock.accident_grade(
            deaths=deaths, serious_injuries=serious, direct_loss=Decimal(loss), on=TODAY
        )
        == grade
    )


def test_report_within_the_hour_tells_the_county_and_city_bureau(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    r = f.report(manager, world.enterprise, hours_ago=0.5, deaths=3)
    assert not clock.report_is_late(r)
    assert clock.report_grade(r) == AccidentGrade.LARGER
    told = set(Notification.objects.values_list("recipient__role", flat=True))
    assert told == {Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL}
    assert AuditEntry.objects.filter(model__icontains="accidentreport").exists()


def test_late_report_needs_a_reason_and_is_flagged(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    with pytest.raises(InvalidInput) as caught:
        f.report(manager, world.enterprise, hours_ago=3)
    assert set(caught.value.errors) == {"late_reason"}
    r = f.report(manager, world.enterprise, hours_ago=3, late_reason="夜班无人值守")
    assert clock.report_is_late(r)


def test_an_enterprise_cannot_report_for_another(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        f.report(world.people[Role.SAFETY_MANAGER], world.other_enterprise)


def test_employer_limit_is_30_days_and_worker_limit_a_year() -> None:
    day = dt.date(2026, 1, 10)
    assert clock.application_limit(accident_date=day, applicant_kind="employer") == dt.date(
        2026, 2, 9
    )
    assert clock.application_limit(accident_date=day, applicant_kind="worker") == dt.date(
        2027, 1, 10
    )
    assert clock.application_limit(
        accident_date=day, applicant_kind="employer", extended_until=dt.date(2026, 3, 1)
    ) == dt.date(2026, 3, 1)


def test_late_application_needs_a_reason_and_is_flagged(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    old = timezone.localdate() - dt.timedelta(days=45)
    with pytest.raises(InvalidInput) as caught:
        f.application(manager, world.enterprise, accident_date=old)
    assert "late_reason" in caught.value.errors
    a = f.application(manager, world.enterprise, accident_date=old, late_reason="伤者住院")
    assert clock.application_is_late(a)
    assert a.status == ApplicationStatus.SUBMITTED


def test_bad_application_input_names_each_field(world: Any) -> None:
    with pytest.raises(InvalidInput) as caught:
        f.application(
            world.people[Role.SAFETY_MANAGER],
            world.enterprise,
            worker_id_number="123",
            kind="guess",
            body_part="",
            worker_name="",
        )
    assert {"worker_id_number", "kind", "body_part", "worker_name"} <= set(caught.value.errors)


def test_a_file_that_is_not_a_pdf_or_photo_is_refused(world: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = f.application(world.people[Role.SAFETY_MANAGER], world.enterprise, materials=())
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput) as caught:
        services.material_add(
            actor=world.people[Role.SAFETY_MANAGER], application=a, kind="diagnosis", upload=fake
        )
    assert set(caught.value.errors) == {"file"}
    assert a.materials.count() == 0


def test_the_bureau_asks_once_then_accepts_a_complete_file(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    a = f.application(manager, world.enterprise, materials=("application_form",))
    assert clock.check_due(a) == a.received_on + dt.timedelta(days=15)
    with pytest.raises(InvalidInput) as caught:
        services.application_accept(actor=county, application=a)
    assert set(caught.value.errors) == {"materials"}
    services.application_request_materials(
        actor=county, application=a, materials=services.missing_materials(a), note="劳动合同复印件"
    )
    assert a.status == ApplicationStatus.MATERIALS_REQUESTED
    with pytest.raises(InvalidInput):
        services.application_supplement(actor=manager, application=a)
    for kind in ("employment_proof", "diagnosis"):
        services.material_add(actor=manager, application=a, kind=kind, upload=f.png_upload())
    services.application_supplement(actor=manager, application=a, note="已补齐")
    assert a.status == ApplicationStatus.SUBMITTED and a.supplemented_on is not None
    with pytest.raises(InvalidInput) as again:
        services.application_request_materials(
            actor=county, application=a, materials=["other"], note=""
        )
    assert set(again.value.errors) == {"materials"}
    services.application_accept(actor=county, application=a, is_clear_case=True)
    assert a.status == ApplicationStatus.ACCEPTED
    assert clock.decision_due(a) == a.accepted_on + dt.timedelta(days=15)


def test_suspension_moves_the_due_date(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    a = f.application(world.people[Role.SAFETY_MANAGER], world.enterprise)
    services.application_accept(actor=county, application=a)
    due = clock.decision_due(a)
    services.application_suspend(actor=county, application=a, reason="等待交警事故认定")
    a.suspensions.update(started_on=timezone.localdate() - dt.timedelta(days=10))
    with pytest.raises(InvalidInput):
        services.application_decide(actor=county, application=a, recognised=True, reason="x")
    services.application_resume(actor=county, application=a)
    assert clock.decision_due(a) == due + dt.timedelta(days=10)


def test_recognised_decision_becomes_an_injury_case(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    f.insured(world.enterprise)
    a = f.application(world.people[Role.SAFETY_MANAGER], world.enterprise)
    services.application_accept(actor=county, application=a)
    with pytest.raises(PermissionDenied):
        services.application_decide(
            actor=world.people[Role.SAFETY_MANAGER], application=a, recognised=True, reason="x"
        )
    services.application_decide(
        actor=county, application=a, recognised=True, reason="工作时间工作场所", case_number="QD-1"
    )
    case = InjuryCase.objects.get(case_number="QD-1")
    assert a.injury_case_id == case.pk and case.person_name == "李四"
    assert a.bureau_name == "黄岛区人力资源和社会保障局"
    from yufang.recognition.letter import letter_pdf

    assert letter_pdf(a).startswith(b"%PDF")


def test_a_case_already_imported_under_the_number_is_joined_not_doubled(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    f.insured(world.enterprise)
    a = f.application(world.people[Role.SAFETY_MANAGER], world.enterprise)
    services.application_accept(actor=county, application=a)
    imported = case_create(
        actor=county,
        data={
            "case_number": "QD-2026-9",
            "enterprise": world.enterprise,
            "person_name": "李四",
            "id_number": f.id_number(7),
            "accident_date": a.accident_date.isoformat(),
            "recognition_date": timezone.localdate().isoformat(),
            "kind": "work_injury",
            "is_death": False,
            "accident_category": "03",
            "body_part": "hand",
            "payout": "0",
        },
    )
    services.application_decide(
        actor=county, application=a, recognised=True, reason="符合", case_number="QD-2026-9"
    )
    assert a.injury_case_id == imported.pk
    assert InjuryCase.objects.filter(case_number="QD-2026-9").count() == 1


def test_an_uninsured_year_refuses_the_decision_and_keeps_the_application(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    a = f.application(world.people[Role.SAFETY_MANAGER], world.enterprise)
    services.application_accept(actor=county, application=a)
    with pytest.raises(InvalidInput) as caught:
        services.application_decide(actor=county, application=a, recognised=True, reason="符合")
    assert "no insured headcount" in caught.value.message
    a.refresh_from_db()
    assert a.status == ApplicationStatus.ACCEPTED and not InjuryCase.objects.exists()


def test_a_decision_after_its_deadline_is_made_and_flagged(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    a = f.application(world.people[Role.SAFETY_MANAGER], world.enterprise)
    services.application_accept(actor=county, application=a)
    type(a).objects.filter(pk=a.pk).update(accepted_on=timezone.localdate() - dt.timedelta(days=70))
    a.refresh_from_db()
    assert clock.clock_of(a).overdue
    services.application_decide(actor=county, application=a, recognised=False, reason="不符合")
    assert a.status == ApplicationStatus.NOT_RECOGNISED
    assert clock.decision_was_late(a)
    assert not InjuryCase.objects.exists()


def test_warnings_are_sent_once(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    r = f.report(manager, world.enterprise, hours_ago=0.2)
    limit = clock.report_application_limit(r)
    Notification.objects.all().delete()
    assert services.warnings_send(today=limit - dt.timedelta(days=3)) == 1
    assert services.warnings_send(today=limit - dt.timedelta(days=2)) == 0
    assert Notification.objects.filter(recipient=manager).count() == 1


def test_an_approved_extension_moves_the_employers_limit(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    r = f.report(manager, world.enterprise)
    limit = clock.report_application_limit(r)
    with pytest.raises(InvalidInput) as caught:
        services.report_extension_request(actor=manager, report=r, reason="")
    assert set(caught.value.errors) == {"extension_reason"}
    services.report_extension_request(actor=manager, report=r, reason="伤者仍在抢救，材料未齐")
    with pytest.raises(PermissionDenied):
        services.report_extension_approve(actor=manager, report=r, until=limit)
    with pytest.raises(InvalidInput):
        services.report_extension_approve(actor=county, report=r, until=limit)
    later = limit + dt.timedelta(days=30)
    services.report_extension_approve(actor=county, report=r, until=later)
    assert clock.report_application_limit(r) == later
    a = f.application(manager, world.enterprise, accident_report=r)
    assert clock.application_deadline(a) == later
