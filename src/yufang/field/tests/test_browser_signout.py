"""A phone passed from one grid worker to another, on a 390-px phone in a real browser: signing
out warns of results not synced yet and offers to sync them, then leaves nothing of the worker
on the phone (no cache, no outbox); the next worker, offline, finds no trace of the first
one's enterprises. Pages are kept per user, so even a worker who never signed out (a session
ended) leaves the next one nothing to read offline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from yufang.accounts.models import Role
from yufang.conftest import assert_fits_phone
from yufang.field.tests.factories import grid_worker, task
from yufang.field.tests.test_browser import HERE, sign_in, states, until, visit
from yufang.grid.models import Screening
from yufang.tests.factories import EnterpriseFactory, region

FIRST_NAME = "甲乙机械厂"
SECOND_NAME = "丙丁纺织厂"

WHAT_THE_PHONE_HOLDS = """async () => {
  const names = await caches.keys();
  const kept = [];
  for (const name of names) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      kept.push({cache: name, url: request.url, text: await response.text()});
    }
  }
  const databases = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
  return {caches: names, kept: kept, databases: databases};
}"""


def zh(text: str) -> str:
    with translation.override("zh-hans"):
        return gettext(text)


def two_workers(world: Any) -> tuple[Any, Any, Any, Any]:
    """The first worker with a task at FIRST_NAME, the second (another grid) at SECOND_NAME."""
    first_worker = world.people[Role.GRID_WORKER]
    second_worker = grid_worker(world.other_grid)
    ours = EnterpriseFactory(
        name=FIRST_NAME,
        county=region("370211"),
        township=world.grid.township,
        grid=world.grid,
        latitude=35.9610,
        longitude=120.1985,
        contact_person="王经理",
    )
    theirs = EnterpriseFactory(
        name=SECOND_NAME,
        county=region("370211"),
        township=world.other_grid.township,
        grid=world.other_grid,
    )
    return (
        first_worker,
        task(ours, worker=first_worker),
        second_worker,
        task(theirs, worker=second_worker),
    )


def pages_kept(page: Any) -> None:
    until(
        page,
        "() => document.body.dataset.swReady === '1' && document.body.dataset.pagesCached === '1'",
        timeout_s=40,
    )
    page.reload()
    until(page, "() => navigator.serviceWorker.controller !== null")


def holds(page: Any) -> dict[str, Any]:
    return page.evaluate(WHAT_THE_PHONE_HOLDS)


def assert_no_trace_of_first(page: Any, first_task: Any) -> None:
    """Offline, the second worker opens the first one's task page and today's page: neither
    the enterprise nor its contact is anywhere, on the page or in the caches."""
    page.context.set_offline(True)
    page.goto(f"{page.base_url}/field/tasks/{first_task.pk}/")
    assert FIRST_NAME not in page.content()
    assert "王经理" not in page.content()
    page.goto(f"{page.base_url}/field/")
    assert FIRST_NAME not in page.content()
    assert SECOND_NAME in page.content()
    kept = holds(page)["kept"]
    assert kept, "the second worker's pages are kept for offline use"
    assert not [k["url"] for k in kept if FIRST_NAME in k["text"] or "王经理" in k["text"]]
    assert not [k for k in kept if f"/field/tasks/{first_task.pk}/" in k["url"]]
    page.context.set_offline(False)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_signing_out_offers_to_sync_then_clears_the_phone_for_the_next_worker(
    phone_page: Any, world: Any, tmp_path: Path
) -> None:
    page = phone_page
    shots = Path(os.environ.get("YUFANG_SCREENSHOTS", tmp_path))
    first_worker, first_task, second_worker, _second_task = two_workers(world)
    page.context.grant_permissions(["geolocation"], origin=page.base_url)
    page.context.set_geolocation(HERE)

    sign_in(page, first_worker.username)
    pages_kept(page)
    assert FIRST_NAME in "".join(k["text"] for k in holds(page)["kept"])

    page.context.set_offline(True)
    page.wait_for_selector("[data-testid=network]:has-text('离线')")
    visit(page, first_task.pk)
    assert states(page) == ["queued"]

    # Signing out with a result still on the phone: warned, how many, and still signed in.
    page.click("[data-testid=sign-out]")
    warning = page.locator("[data-testid=signout-warning]")
    warning.wait_for()
    waiting = zh(
        "%(n)s results recorded on this phone are not synced yet. Sync them before signing "
        "out: signing out clears this phone for the next user."
    ) % {"n": 1}
    assert warning.inner_text().startswith(waiting)
    assert page.url.endswith("/field/")
    assert_fits_phone(page)
    page.screenshot(path=shots / "field-signout-warning.png", full_page=True)

    # Still no network: syncing cannot happen, the worker is told and nothing is lost.
    page.click("[data-testid=signout-sync]")
    offline = zh(
        "Could not sync now: %(n)s results are still only on this phone. Sync when the "
        "network is back, or delete them."
    ) % {"n": 1}
    page.wait_for_selector(
        f"[data-testid=signout-warning]:has-text('{offline[:12]}')", timeout=30000
    )
    assert states(page) == ["queued"]
    assert holds(page)["databases"] == ["yufang-field"]
    assert not Screening.objects.exists()

    # Back in signal: sync, then sign out.
    page.context.set_offline(False)
    page.click("[data-testid=signout-sync]")
    page.wait_for_url("**/accounts/login/**", timeout=30000)
    assert Screening.objects.filter(task=first_task).count() == 1
    phone = holds(page)
    assert phone["caches"] == []
    assert phone["databases"] == []

    # The next worker on the same phone, offline: nothing of the first one's enterprises.
    sign_in(page, second_worker.username)
    pages_kept(page)
    assert_no_trace_of_first(page, first_task)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_kept_belong_to_the_worker_signed_in_even_without_a_sign_out(
    phone_page: Any, world: Any
) -> None:
    """The first worker's session ends without the field app's sign-out (it expired, or they
    signed out elsewhere): the first page the next worker opens drops the first one's pages."""
    page = phone_page
    first_worker, first_task, second_worker, _second_task = two_workers(world)

    sign_in(page, first_worker.username)
    pages_kept(page)
    page.goto(f"{page.base_url}/field/tasks/{first_task.pk}/")
    assert FIRST_NAME in page.content()
    page.context.clear_cookies()

    sign_in(page, second_worker.username)
    pages_kept(page)
    names = holds(page)["caches"]
    assert [n for n in names if n.startswith("yufang-field-pages")] == [
        f"yufang-field-pages-{second_worker.pk}"
    ]
    assert_no_trace_of_first(page, first_task)
