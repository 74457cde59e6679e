"""Journeys: a city official's institution pickers offer their own city's institutions only,
and a worker on a phone is offered no import and is refused the upload page."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.conftest import browser_login
from yufang.tests.factories import TEST_PASSWORD, InstitutionFactory, region
from yufang.training.models import TrainingBase


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_city_official_picks_a_training_base_operator_of_their_own_city(
    page: Any, world: Any
) -> None:
    InstitutionFactory(name="青岛第二培训中心", city=region("370200"))
    InstitutionFactory(name="济南安全培训中心", city=region("370100"))
    browser_login(page, world.people[Role.CITY_OFFICIAL].username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/training/bases/")
    picker = page.locator("select[name=institution]")
    offered = picker.locator("option").all_inner_texts()
    assert "青岛第二培训中心" in offered
    assert "济南安全培训中心" not in offered
    page.fill("input[name=name]", "黄岛消防体验基地")
    page.fill("input[name=address]", "长江路1号")
    picker.select_option(label="青岛第二培训中心")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[data-testid=base-table]:has-text('黄岛消防体验基地')")
    assert TrainingBase.objects.get(name="黄岛消防体验基地").institution.name == "青岛第二培训中心"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_a_phone_is_offered_no_import(phone_page: Any, world: Any) -> None:
    page = phone_page
    browser_login(page, world.people[Role.WORKER].username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/imports/")
    assert page.locator("[data-testid=import-kind-enterprises]").count() == 0
    refused = page.goto(f"{page.base_url}/imports/new/enterprises/")
    assert refused is not None and refused.status == 403
