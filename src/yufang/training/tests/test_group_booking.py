"""Group booking at the seed's scale (127 employees of one firm in one session): a roster of
any posts, a template to fill, valid rows booked on request, and check-in by the group."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.lib.spreadsheets import read_table, write_csv
from yufang.training import services as svc
from yufang.training.models import Enrollment, SessionKind, Trainee, TrainingSession
from yufang.training.tests.conftest import id_number, today_whole

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "身份证号", "手机号", "岗位"]


@pytest.fixture
def big_hall(base: Any, staff: Any) -> Any:
    return svc.hall_create(actor=staff, base=base, name="综合体验馆", topic="fire", capacity=150)


@pytest.fixture
def today_session(staff: Any, big_hall: Any) -> TrainingSession:
    """A session today (check-in is only on the day), ending late so it can still be booked."""
    return svc.session_schedule(
        actor=staff,
        data=svc.SessionFields(
            kind=SessionKind.HALL,
            title="综合安全体验",
            topic="fire",
            trainer="王老师",
            starts_at=today_whole()[0],
            ends_at=today_whole()[1],
            class_hours=Decimal("4"),
            hall=big_hall,
        ),
    )


def roster(rows: list[list[str]]) -> bytes:
    return write_csv(HEADERS, rows)


def book(world: Any, session: Any, data: bytes, **kw: Any) -> svc.BookingResult:
    return svc.enrollment_book_roster(
        actor=world.people[Role.SAFETY_MANAGER],
        session=session,
        enterprise=world.enterprise,
        data=data,
        **kw,
    )


def test_a_roster_of_127_with_any_posts_is_booked(world: Any, today_session: Any) -> None:
    posts = ["焊工", "叉车司机", "班组长", "电工", "安全员"]
    rows = [[f"员工{n}", id_number(n), "", posts[n % 5]] for n in range(1, 128)]
    result = book(world, today_session, roster(rows))
    assert len(result.booked) == 127
    welder = Trainee.objects.get(name="员工5")
    assert (welder.post, welder.key_role) == ("焊工", "other")
    leader = Trainee.objects.get(name="员工2")
    assert (leader.post, leader.key_role) == ("班组长", "team_leader")


def test_one_bad_row_books_nothing_and_names_the_rows(world: Any, today_session: Any) -> None:
    rows = [["张三", id_number(1), "", "焊工"], ["李四", "370211", "", ""], ["", id_number(3)]]
    with pytest.raises(svc.RosterInvalid) as exc:
        book(world, today_session, roster(rows))
    assert {(e["row"], e["field"]) for e in exc.value.row_errors} == {
        (3, "id_number"),
        (4, "name"),
    }
    assert not Enrollment.objects.exists()


def test_book_the_valid_rows_lists_the_others(world: Any, today_session: Any) -> None:
    rows = [["张三", id_number(1), "", "焊工"], ["李四", "370211", "", ""], ["王五", id_number(3)]]
    result = book(world, today_session, roster(rows), partial=True)
    assert sorted(e.trainee.name for e in result.booked) == ["张三", "王五"]
    assert [(e["row"], e["field"]) for e in result.skipped] == [(3, "id_number")]


def test_the_roster_template_has_the_chinese_headers(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.SAFETY_MANAGER])
    xlsx = client.get("/training/sessions/roster-template/")
    assert xlsx.status_code == 200
    assert read_table(xlsx.content).headers == HEADERS
    csv = client.get("/training/sessions/roster-template/?format=csv")
    assert read_table(csv.content).headers == HEADERS


def test_the_booking_page_offers_select_all_filter_template_and_valid_rows(
    client: Any, world: Any, today_session: Any
) -> None:
    book(world, today_session, roster([["张三", id_number(1), "", "焊工"]]))
    client.force_login(world.people[Role.SAFETY_MANAGER])
    html = client.get(f"/training/sessions/{today_session.pk}/").content.decode()
    for testid in ("select-all-employees", "filter-employees", "roster-template", "group-code"):
        assert f'data-testid="{testid}"' in html
    assert "只预约有效行" in html
    assert "焊工" in html


def test_page_books_valid_rows_and_lists_the_bad_ones_by_row(
    client: Any, world: Any, today_session: Any
) -> None:
    client.force_login(world.people[Role.SAFETY_MANAGER])
    data = io.BytesIO(roster([["张三", id_number(1)], ["李四", "123"]]))
    data.name = "roster.csv"
    page = f"/training/sessions/{today_session.pk}/"
    response = client.submit(
        page,
        {"roster": data, "partial": "1"},
        action=f"{page}book/",
        follow=True,
    )
    html = response.content.decode()
    assert "第 3 行" in html and "身份证号" in html
    assert "id_number" not in html
    assert Enrollment.objects.get().trainee.name == "张三"


def test_staff_check_in_several_at_once(
    client: Any, world: Any, today_session: Any, staff: Any
) -> None:
    rows = [[f"员工{n}", id_number(n)] for n in range(1, 6)]
    result = book(world, today_session, roster(rows))
    first = result.booked[0]
    svc.enrollment_check_in(actor=staff, enrollment=first)
    checked = svc.enrollment_check_in_many(
        actor=staff, session=today_session, enrollments=result.booked
    )
    assert len(checked.checked_in) == 4
    assert [e.pk for e, _ in checked.refused] == [first.pk]
    assert "already checked in" in checked.refused[0][1]


def test_staff_check_in_the_chosen_from_the_page(
    client: Any, world: Any, today_session: Any, staff: Any
) -> None:
    result = book(world, today_session, roster([[f"员工{n}", id_number(n)] for n in range(1, 4)]))
    client.force_login(staff)
    page = f"/training/sessions/{today_session.pk}/"
    html = client.get(page).content.decode()
    assert 'data-testid="select-all-enrollments"' in html
    response = client.submit(
        page,
        {"enrollment": [str(e.pk) for e in result.booked]},
        action=f"{page}check-in/",
        follow=True,
    )
    assert "3 人已签到" in response.content.decode()
    assert Enrollment.objects.filter(checked_in_at__isnull=False).count() == 3


def test_one_group_code_checks_in_the_whole_group(
    client: Any, world: Any, today_session: Any, staff: Any
) -> None:
    book(world, today_session, roster([[f"员工{n}", id_number(n)] for n in range(1, 128)]))
    token = svc.group_check_in_token(today_session, world.enterprise)
    client.force_login(staff)
    url = f"/training/check-in/group/{token}/"
    response = client.submit(url)
    assert "127 人已签到" in response.content.decode()
    assert Enrollment.objects.filter(checked_in_at__isnull=False).count() == 127
    again = client.submit(url)
    assert "已全部签到" in again.content.decode()


def test_a_group_code_is_refused_to_whoever_does_not_run_the_session(
    world: Any, today_session: Any
) -> None:
    book(world, today_session, roster([["张三", id_number(1)]]))
    token = svc.group_check_in_token(today_session, world.enterprise)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        svc.check_in_group_by_token(actor=world.people[Role.SAFETY_MANAGER], token=token)
    with pytest.raises(svc.TrainingInvalid) as exc:
        svc.check_in_group_by_token(actor=world.people[Role.ADMIN], token=token + "x")
    assert "token" in exc.value.errors
