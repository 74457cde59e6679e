from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.conftest import assert_fits_phone, browser_login
from yufang.tests.factories import TEST_PASSWORD
from yufang.training.tests.conftest import id_number, schedule, today_whole

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_worker_signs_up_in_the_browser_and_gets_a_check_in_code(
    page: Any, world: Any, hall: Any, staff: Any
) -> None:
    session = schedule(staff, hall)
    worker = world.people[Role.WORKER]
    browser_login(page, worker.username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/training/sessions/{session.pk}/")
    page.fill("#id_number", id_number(42))
    page.locator("form[action$='/sign-up/'] button[type=submit]").click()
    code = page.locator("[data-testid=my-enrollment] img")
    code.wait_for()
    # The element is there before its picture has come: wait until the browser is done with
    # it (a broken picture is done too, with no width).
    page.wait_for_function("i => i.complete", arg=code.element_handle())
    assert code.evaluate("i => i.naturalWidth") > 0


# ---------------------------------------------------------------- phones (issue 15)


def _field_world(world: Any, staff: Any, hall: Any) -> dict[str, Any]:
    """A session with a group of the world's enterprise (one of them the worker), a course with
    a lesson, a passed exam with its certificate."""
    from decimal import Decimal

    from yufang.training import services as svc
    from yufang.training.models import Enrollment, SessionKind
    from yufang.training.tests.conftest import trainee

    admin = world.people[Role.ADMIN]
    worker = world.people[Role.WORKER]
    today = svc.session_schedule(
        actor=staff,
        data=svc.SessionFields(
            kind=SessionKind.HALL,
            title="有限空间作业安全体验培训",
            topic="fire",
            trainer="王老师",
            starts_at=today_whole()[0],
            ends_at=today_whole()[1],
            class_hours=Decimal("4"),
            hall=hall,
        ),
    )
    me = trainee(admin, world.enterprise, 1, key_role="team_leader", user=worker)
    people = [me] + [trainee(admin, world.enterprise, n) for n in (2, 3)]
    svc.enrollment_book_group(
        actor=admin, session=today, enterprise=world.enterprise, trainees=people
    )
    past = schedule(staff, hall, days=-2)
    Enrollment.objects.create(session=past, trainee=me, checked_in_at=past.starts_at)
    course = svc.course_create(
        actor=staff, title="危险化学品安全管理", topic="chemicals", class_hours=Decimal("4")
    )
    lesson = svc.lesson_add(
        actor=staff, course=course, title="第一课 危险化学品的分类", kind="text", body="内容"
    )
    return {"today": today, "course": course, "lesson": lesson}


def assert_no_sideways_table(page: Any, url: str) -> None:
    """A list is read, not scrolled sideways: no table wider than its box on the phone."""
    hidden = page.evaluate(
        """() => [...document.querySelectorAll('.table-responsive')]
          .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
          .map(e => e.scrollWidth - e.clientWidth)"""
    )
    assert not hidden, f"{url}: a table scrolls sideways by {hidden} px"


FIELD_PAGES = {
    Role.WORKER: [
        "/training/",
        "/training/sessions/",
        "/training/mine/",
        "/training/courses/",
        "/training/exams/",
        "/training/certificates/",
    ],
    Role.SAFETY_MANAGER: [
        "/training/sessions/",
        "/training/mine/",
        "/training/trainees/",
        "/training/certificates/",
        "today",
    ],
    Role.INSTITUTION_STAFF: ["/training/sessions/", "/training/exams/", "today"],
}


@pytest.mark.parametrize("role", list(FIELD_PAGES))
def test_training_lists_read_on_a_phone(
    phone_page: Any, world: Any, hall: Any, staff: Any, role: str
) -> None:
    made = _field_world(world, staff, hall)
    user = staff if role == Role.INSTITUTION_STAFF else world.people[role]
    browser_login(phone_page, user.username, TEST_PASSWORD)
    for url in FIELD_PAGES[role]:
        if url == "today":
            url = f"/training/sessions/{made['today'].pk}/"
        phone_page.goto(f"{phone_page.base_url}{url}")
        phone_page.wait_for_load_state("load")
        assert "培训" in phone_page.inner_text("body"), url
        assert_fits_phone(phone_page)
        assert_no_sideways_table(phone_page, url)


def test_staff_checks_a_whole_group_in_from_the_list_on_a_phone(
    phone_page: Any, world: Any, hall: Any, staff: Any
) -> None:
    made = _field_world(world, staff, hall)
    browser_login(phone_page, staff.username, TEST_PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/training/sessions/{made['today'].pk}/")
    phone_page.check("[data-testid=select-all-enrollments]")
    phone_page.click("[data-testid=check-in-chosen]")
    phone_page.wait_for_load_state("load")
    assert "3 人已签到" in phone_page.inner_text("body")
    assert_fits_phone(phone_page)


def test_manager_filters_and_selects_employees_on_a_phone(
    phone_page: Any, world: Any, hall: Any, staff: Any
) -> None:
    from yufang.training.models import Enrollment

    made = _field_world(world, staff, hall)
    session = schedule(staff, hall, days=3)
    browser_login(phone_page, world.people[Role.SAFETY_MANAGER].username, TEST_PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/training/sessions/{session.pk}/")
    phone_page.fill("[data-testid=filter-employees]", "学员2")
    phone_page.check("[data-testid=select-all-employees]")
    phone_page.locator("[data-testid=employee-form] button[type=submit]").click()
    phone_page.wait_for_load_state("load")
    assert list(
        Enrollment.objects.filter(session=session).values_list("trainee__name", flat=True)
    ) == ["学员2"]
    assert made["today"].pk != session.pk
    assert_fits_phone(phone_page)


def test_worker_lesson_is_not_completed_on_opening(
    phone_page: Any, world: Any, hall: Any, staff: Any
) -> None:
    made = _field_world(world, staff, hall)
    browser_login(phone_page, world.people[Role.WORKER].username, TEST_PASSWORD)
    phone_page.goto(f"{phone_page.base_url}/training/lessons/{made['lesson'].pk}/")
    progress = phone_page.locator("[data-testid=lesson-progress]")
    assert "学满 10 分钟" in progress.inner_text()
    button = phone_page.locator("[data-lesson-complete]")
    assert button.is_disabled()
    assert phone_page.locator("[data-testid=lesson-completed]").count() == 0
    # Submitting the form anyway (a script, a replayed request) is refused by the server.
    # Wait for the answer's page itself: a load state alone may still be the old page's.
    with phone_page.expect_navigation():
        phone_page.evaluate("document.querySelector('[data-lesson-complete]').form.submit()")
    assert "已学习 0 分钟" in phone_page.inner_text("body")
    assert_fits_phone(phone_page)
