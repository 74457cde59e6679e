"""Journey: a form drawn before the CSRF cookie changed still goes through. A sign-in on
another tab, or a background request answered after a session ended, gives the browser a new
token; the page open before it must not end in a "forbidden" page."""

from __future__ import annotations

from typing import Any

import pytest
from django.middleware.csrf import _get_new_csrf_string

from yufang.accounts.models import Role
from yufang.tests.factories import TEST_PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_sign_in_form_goes_through_after_the_token_changed(page: Any, world: Any) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    page.goto(f"{page.base_url}/accounts/login/")
    page.context.add_cookies(
        [{"name": "csrftoken", "value": _get_new_csrf_string(), "url": page.base_url}]
    )
    page.fill("#id_username", official.username)
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation() as navigation:
        page.click("[data-testid=login-submit]")
    response = navigation.value
    assert response is not None and response.status == 200, "the sign-in was refused"
    assert "/accounts/login/" not in page.url
    assert page.locator("form[action$='/accounts/logout/']").count() == 1
