from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from yufang.accounts.models import Role
from yufang.lib.spreadsheets import write_csv, write_xlsx
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import Enrollment, SessionKind, Trainee, TrainingSession
from yufang.training.tests.conftest import at, id_number, schedule, today_whole, trainee

pytestmark = pytest.mark.django_db


def whole_day(actor: Any, hall: Any, **kw: Any) -> TrainingSession:
    return svc.session_schedule(
        actor=actor,
        data=svc.SessionFields(
            kind=SessionKind.HALL,
            title="今日体验",
            topic="fire",
            trainer=kw.get("trainer", "今日老师"),
            starts_at=today_whole()[0],
            ends_at=today_whole()[1],
            class_hours=Decimal("4"),
            hall=hall,
        ),
    )


def test_institution_schedules_a_session_in_its_hall(staff: Any, hall: Any) -> None:
    session = schedule(staff, hall)
    assert session.city.code == "370200"
    assert session.institution_id == staff.institution_id
    assert session.capacity == hall.capacity


def test_hall_cannot_be_double_booked(staff: Any, hall: Any) -> None:
    schedule(staff, hall, hour=9)
    with pytest.raises(svc.TrainingInvalid) as exc:
        schedule(staff, hall, hour=11, trainer="李老师")
    assert "hall" in exc.value.errors


def test_trainer_cannot_teach_two_overlapping_sessions(staff: Any, hall: Any) -> None:
    other = svc.hall_create(
        actor=staff, base=hall.base, name="有限空间体验馆", topic="confined_space", capacity=20
    )
    schedule(staff, hall, hour=9)
    with pytest.raises(svc.TrainingInvalid) as exc:
        schedule(staff, other, hour=10)
    assert "trainer" in exc.value.errors
    assert schedule(staff, other, hour=13).pk


def test_session_cannot_hold_more_than_its_hall(staff: Any, hall: Any) -> None:
    with pytest.raises(svc.TrainingInvalid) as exc:
        schedule(staff, hall, capacity=10)
    assert "capacity" in exc.value.errors


def test_safety_manager_cannot_schedule_sessions(world: Any, hall: Any) -> None:
    with pytest.raises(PermissionDenied):
        schedule(world.people[Role.SAFETY_MANAGER], hall)


def test_group_booking_fills_seats_then_waitlists(world: Any, staff: Any, hall: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    session = schedule(staff, hall)
    people = [trainee(manager, world.enterprise, n) for n in range(5)]
    result = svc.enrollment_book_group(
        actor=manager, session=session, enterprise=world.enterprise, trainees=people
    )
    assert len(result.booked) == 3
    assert len(result.waitlisted) == 2
    assert session.enrollments.filter(status=Enrollment.Status.BOOKED).count() == 3


def test_booking_without_waitlist_refuses_overbooking(world: Any, staff: Any, hall: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    session = schedule(staff, hall)
    people = [trainee(manager, world.enterprise, n) for n in range(4)]
    with pytest.raises(svc.TrainingInvalid):
        svc.enrollment_book_group(
            actor=manager,
            session=session,
            enterprise=world.enterprise,
            trainees=people,
            waitlist=False,
        )
    assert not session.enrollments.exists()


def test_cancellation_promotes_the_first_on_the_waitlist(world: Any, staff: Any, hall: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    session = schedule(staff, hall)
    people = [trainee(manager, world.enterprise, n) for n in range(5)]
    result = svc.enrollment_book_group(
        actor=manager, session=session, enterprise=world.enterprise, trainees=people
    )
    svc.enrollment_cancel(actor=manager, enrollment=result.booked[0])
    first_waiting = Enrollment.objects.get(pk=result.waitlisted[0].pk)
    assert first_waiting.status == Enrollment.Status.BOOKED
    assert Enrollment.objects.get(pk=result.waitlisted[1].pk).status == "waitlisted"


def test_same_person_cannot_be_booked_twice(world: Any, staff: Any, hall: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    session = schedule(staff, hall)
    person = trainee(manager, world.enterprise, 1)
    svc.enrollment_book_group(
        actor=manager, session=session, enterprise=world.enterprise, trainees=[person]
    )
    with pytest.raises(svc.TrainingInvalid):
        svc.enrollment_book_group(
            actor=manager, session=session, enterprise=world.enterprise, trainees=[person]
        )


def test_roster_with_an_invalid_id_number_books_nobody(world: Any, staff: Any, hall: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    session = schedule(staff, hall)
    data = write_csv(
        ["姓名", "身份证号", "岗位"],
        [["张三", id_number(1), "班组长"], ["李四", "370102199003071234", ""]],
    )
    with pytest.raises(svc.RosterInvalid) as exc:
        svc.enrollment_book_roster(
            actor=manager, session=session, enterprise=world.enterprise, data=data
        )
    assert exc.value.row_errors[0]["row"] == 3
    assert exc.value.row_errors[0]["field"] == "id_number"
    assert not Trainee.objects.exists()
    assert not session.enrollments.exists()


def test_roster_xlsx_books_people_and_records_their_roles(
    world: Any, staff: Any, hall: Any
) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    session = schedule(staff, hall)
    data = write_xlsx(
        ["姓名", "身份证号", "手机号", "岗位"],
        [["张三", id_number(1), "13800000001", "班组长"], ["李四", id_number(2), "", "安全员"]],
    )
    result = svc.enrollment_book_roster(
        actor=manager, session=session, enterprise=world.enterprise, data=data
    )
    assert len(result.booked) == 2
    zhang = Trainee.objects.get(name="张三")
    assert zhang.key_role == "team_leader"
    assert zhang.id_masked == id_number(1)[:6] + "********" + id_number(1)[-4:]
    assert id_number(1) not in (zhang.id_masked, zhang.id_digest)
    assert svc.id_number_decrypt(zhang) == id_number(1)


def test_roster_duplicate_rows_are_flagged(world: Any, staff: Any, hall: Any) -> None:
    session = schedule(staff, hall)
    data = write_csv(["姓名", "身份证号"], [["张三", id_number(1)], ["张三", id_number(1)]])
    with pytest.raises(svc.RosterInvalid) as exc:
        svc.enrollment_book_roster(
            actor=world.people[Role.SAFETY_MANAGER],
            session=session,
            enterprise=world.enterprise,
            data=data,
        )
    assert "row 2" in exc.value.row_errors[0]["message"]


def test_worker_signs_up_with_their_id_number(world: Any, staff: Any, hall: Any) -> None:
    worker = world.people[Role.WORKER]
    session = schedule(staff, hall)
    enrollment = svc.enrollment_sign_up(actor=worker, session=session, id_number=id_number(7))
    assert enrollment.status == Enrollment.Status.BOOKED
    assert enrollment.trainee.user == worker


def test_staff_check_in_by_qr_counts_once(world: Any, staff: Any, hall: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    session = whole_day(staff, hall)
    person = trainee(manager, world.enterprise, 1)
    booking = svc.enrollment_book_group(
        actor=manager, session=session, enterprise=world.enterprise, trainees=[person]
    )
    token = svc.check_in_token(booking.booked[0])
    svc.check_in_by_token(actor=staff, token=token)
    with pytest.raises(svc.TrainingInvalid, match="already checked in"):
        svc.check_in_by_token(actor=staff, token=token)
    assert sel.attendances(staff).count() == 1


def test_check_in_refused_when_not_today(world: Any, staff: Any, hall: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    session = schedule(staff, hall, days=2)
    person = trainee(manager, world.enterprise, 1)
    booking = svc.enrollment_book_group(
        actor=manager, session=session, enterprise=world.enterprise, trainees=[person]
    )
    with pytest.raises(svc.TrainingInvalid, match="not today"):
        svc.enrollment_check_in(actor=staff, enrollment=booking.booked[0])


def test_waitlisted_trainee_cannot_check_in(world: Any, staff: Any, hall: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    session = whole_day(staff, hall)
    people = [trainee(manager, world.enterprise, n) for n in range(4)]
    booking = svc.enrollment_book_group(
        actor=manager, session=session, enterprise=world.enterprise, trainees=people
    )
    with pytest.raises(svc.TrainingInvalid, match="no booked seat"):
        svc.enrollment_check_in(actor=staff, enrollment=booking.waitlisted[0])


def test_trainee_scans_session_qr_only_when_booked(world: Any, staff: Any, hall: Any) -> None:
    worker = world.people[Role.WORKER]
    session = whole_day(staff, hall)
    token = svc.session_qr_token(session)
    svc.trainee_upsert(actor=worker, name="工人", id_number=id_number(9), user=worker)
    with pytest.raises(svc.TrainingInvalid, match="not booked"):
        svc.check_in_to_session(actor=worker, token=token)
    svc.enrollment_sign_up(actor=worker, session=session)
    enrollment = svc.check_in_to_session(actor=worker, token=token)
    assert enrollment.checked_in_at is not None


def test_forged_check_in_code_is_refused(staff: Any) -> None:
    with pytest.raises(svc.TrainingInvalid):
        svc.check_in_by_token(actor=staff, token="forged:token")


def test_onsite_session_in_a_workshop(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    session = svc.session_schedule(
        actor=county,
        data=svc.SessionFields(
            kind=SessionKind.ONSITE,
            title="班组安全培训",
            topic="machinery",
            trainer="专家甲",
            starts_at=at(1, 9),
            ends_at=at(1, 11),
            class_hours=Decimal("2"),
            capacity=40,
            enterprise=world.enterprise,
            location="一车间",
        ),
    )
    assert session.county_id == world.enterprise.county_id
    assert sel.sessions_visible(world.people[Role.SAFETY_MANAGER]).filter(pk=session.pk).exists()
    assert not sel.sessions_visible(world.jinan_city_official).filter(pk=session.pk).exists()


def test_cancelled_session_cannot_be_booked(world: Any, staff: Any, hall: Any) -> None:
    session = schedule(staff, hall)
    svc.session_cancel(actor=staff, session=session, reason="台风")
    with pytest.raises(svc.TrainingInvalid, match="cancelled"):
        svc.enrollment_sign_up(
            actor=world.people[Role.WORKER], session=session, id_number=id_number(3)
        )


def test_jinan_official_sees_no_qingdao_enrollments(world: Any, staff: Any, hall: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    session = schedule(staff, hall)
    svc.enrollment_book_group(
        actor=manager,
        session=session,
        enterprise=world.enterprise,
        trainees=[trainee(manager, world.enterprise, 1)],
    )
    assert sel.enrollments_visible(world.people[Role.CITY_OFFICIAL]).count() == 1
    assert sel.enrollments_visible(world.jinan_city_official).count() == 0
    assert not sel.trainees_visible(world.jinan_city_official).exists()


def test_numbers_beyond_the_columns_are_refused_by_field(staff: Any, hall: Any) -> None:
    with pytest.raises(svc.TrainingInvalid) as exc:
        svc.hall_create(actor=staff, base=hall.base, name="大馆", topic="fire", capacity=10**12)
    assert "capacity" in exc.value.errors
    with pytest.raises(svc.TrainingInvalid) as exc:
        svc.session_schedule(
            actor=staff,
            data=svc.SessionFields(
                kind=SessionKind.HALL,
                title="体验",
                topic="fire",
                trainer="王老师",
                starts_at=at(1, 9),
                ends_at=at(1, 12),
                class_hours=Decimal("1000"),
                hall=hall,
            ),
        )
    assert "class_hours" in exc.value.errors
