from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.conftest import browser_login
from yufang.tests.factories import TEST_PASSWORD
from yufang.training.tests.conftest import id_number, schedule

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
