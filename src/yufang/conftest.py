"""Shared fixtures. The reference data (regions, industries, risk classes) is loaded once
per test database, so every test can use real codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.management import call_command

from yufang.accounts.models import Role, User
from yufang.enterprises.models import Enterprise
from yufang.regions.models import Grid
from yufang.tests.clients import ApiClient, FormClient
from yufang.tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    GridFactory,
    InstitutionFactory,
    persona,
    region,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("import_reference", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def client() -> FormClient:
    """The pages as a browser sees them: CSRF enforced, tokens only from the forms served."""
    return FormClient()


@pytest.fixture
def api_client(live_server: Any, reference_data: None) -> Any:
    """A client system against the live server: `api_client(user)` has a bearer token."""
    from yufang.accounts.services import api_token_issue

    opened: list[ApiClient] = []

    def for_user(user: User | None = None) -> ApiClient:
        key = api_token_issue(user=user)[0] if user is not None else None
        opened.append(ApiClient(live_server.url, key))
        return opened[-1]

    yield for_user
    for c in opened:
        c.close()


@pytest.fixture(autouse=True)
def _english_messages() -> Any:
    """Services called directly in tests speak English; pages still follow the request."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Each test starts with an empty cache: cached figures must not outlive their data."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def sms_outbox(settings: Any) -> Any:
    """The SMS messages sent during the test, as (phone, text); `yufang.notifications.phone.
    code_in(text)` reads a verification code out of one."""
    from yufang.notifications.sms import MemorySmsBackend

    settings.SMS_BACKEND = "yufang.notifications.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox.clear()


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    # Argon2 is the real hasher (tested in accounts); tests use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    """Two cities' worth of records and one person per role, all scoped to Qingdao (黄岛区),
    plus outsiders in Jinan to prove nobody sees across scopes."""

    grid: Grid
    enterprise: Enterprise
    other_grid: Grid
    other_enterprise: Enterprise
    jinan_enterprise: Enterprise
    people: dict[str, User]
    jinan_city_official: User


@pytest.fixture
def world(db: Any) -> World:
    grid = GridFactory(township=region("370211001"))
    other_grid = GridFactory(township=region("370211002"))
    enterprise = EnterpriseFactory(county=region("370211"), township=grid.township, grid=grid)
    other_enterprise = EnterpriseFactory(
        county=region("370211"), township=other_grid.township, grid=other_grid
    )
    jinan_grid = GridFactory(township=region("370102001"))
    jinan_enterprise = EnterpriseFactory(
        county=region("370102"), township=jinan_grid.township, grid=jinan_grid
    )
    people = {
        Role.PROVINCE_OFFICIAL: persona(Role.PROVINCE_OFFICIAL, region=region("370000")),
        Role.CITY_OFFICIAL: persona(Role.CITY_OFFICIAL, region=region("370200")),
        Role.COUNTY_OFFICIAL: persona(Role.COUNTY_OFFICIAL, region=region("370211")),
        Role.GRID_WORKER: persona(Role.GRID_WORKER, grid=grid),
        Role.SAFETY_MANAGER: persona(Role.SAFETY_MANAGER, enterprise=enterprise),
        Role.INSTITUTION_STAFF: persona(Role.INSTITUTION_STAFF, institution=InstitutionFactory()),
        Role.DEPARTMENT_LIAISON: persona(Role.DEPARTMENT_LIAISON, department=DepartmentFactory()),
        Role.WORKER: persona(Role.WORKER, enterprise=enterprise),
        Role.AUDITOR: persona(Role.AUDITOR),
        Role.ADMIN: persona(Role.ADMIN, is_staff=True, is_superuser=True),
    }
    return World(
        grid=grid,
        enterprise=enterprise,
        other_grid=other_grid,
        other_enterprise=other_enterprise,
        jinan_enterprise=jinan_enterprise,
        people=people,
        jinan_city_official=persona(Role.CITY_OFFICIAL, region=region("370100")),
    )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Any:
    """Debian's chromium driven by Playwright. Skipped where chromium is missing, unless
    YUFANG_REQUIRE_BROWSER is set (CI), where that is an error."""
    import os
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        if os.environ.get("YUFANG_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing: run `make browser-deps`")
        pytest.skip(f"{CHROMIUM} is missing (make browser-deps installs it)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """Transactional tests (the browser's) flush the database after each test: load the
    reference data again when it is gone."""
    from yufang.regions.models import Region

    if not Region.objects.exists():
        call_command("import_reference", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def page(browser: Any, live_server: Any, reference_data: None) -> Any:
    """A fresh browser page; `page.base_url` is the live server's address."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15000)
    new_page = context.new_page()
    new_page.base_url = live_server.url  # type: ignore[attr-defined]
    yield new_page
    context.close()


@pytest.fixture
def phone_page(browser: Any, live_server: Any, reference_data: None) -> Any:
    """A 390-px phone (touch, mobile user agent) for the field roles."""
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(15000)
    new_page = context.new_page()
    new_page.base_url = live_server.url  # type: ignore[attr-defined]
    yield new_page
    context.close()


def assert_fits_phone(page: Any) -> None:
    """Nothing on a 390-px page is wider than the screen, and no table cell is squeezed to
    a character a line (a cell narrower than 3 em holding more than 4 characters)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page is {overflow}px wider than the phone"
    squeezed = page.evaluate(
        """() => [...document.querySelectorAll('td, th, .card-title, h1, h2, h3')]
          .filter(e => e.offsetParent !== null && e.innerText.trim().length > 4)
          .filter(e => e.getBoundingClientRect().width < 3 * parseFloat(getComputedStyle(e).fontSize))
          .map(e => e.innerText.trim().slice(0, 20))"""
    )
    assert not squeezed, f"squeezed to a character a line: {squeezed[:5]}"


def browser_login(page: Any, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("[data-testid=login-submit]")
    # Signed in: the home page, or the page a module made the role's home (the grid worker's
    # tasks, the enterprise's self-service).
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
