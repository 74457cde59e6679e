from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.hazards import services
from yufang.support.topics import Topic
from yufang.tests.factories import TEST_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_grid_worker_fills_a_checklist_on_a_phone(page: Any, world: Any) -> None:
    services.checklists_import()
    worker = world.people[Role.GRID_WORKER]
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.press("#id_password", "Enter")
    # The grid worker lands on the field app's tasks.
    page.wait_for_url("**/field/")
    page.goto(f"{page.base_url}/hazards/assessments/new/")
    page.fill("#id_enterprise", world.enterprise.credit_code)
    page.select_option("#checklist", "T09")
    page.select_option("#method", "routine_screening")
    page.click("[data-testid=assessment-new-form] button[type=submit]")
    page.wait_for_url("**/fill/")
    for label in page.locator("label.btn-outline-success").all():
        label.click()
    page.locator("label.btn-outline-danger").first.click()
    page.click("[data-testid=complete]")
    page.wait_for_url("**/assessments/*/")
    assert page.locator("[data-testid=risk-colour]").is_visible()
    hazard = world.enterprise.hazards.get()
    assert hazard.topic == Topic.CONFINED_SPACE
