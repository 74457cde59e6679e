"""The grid worker's day on a 390-px phone in a real browser, with the network cut: three
visits offline (one with a hazard and its photo), the page reloaded offline (the service
worker serves it), back online the outbox syncs by itself, every result is on the server
exactly once, and a task reassigned meanwhile is shown as a conflict, not lost."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image

from yufang.accounts.models import Role
from yufang.conftest import assert_fits_phone
from yufang.field.models import SyncReceipt
from yufang.field.tests.factories import grid_worker, task
from yufang.grid.models import Screening, ScreeningFinding
from yufang.grid.services import duty_list_set, tasks_reassign
from yufang.hazards.models import Hazard
from yufang.tests.factories import TEST_PASSWORD, EnterpriseFactory, region

# Where the phone is: beside the first enterprise (青岛, 黄岛区).
HERE = {"latitude": 35.9606, "longitude": 120.1980, "accuracy": 15}


def jpeg() -> dict[str, Any]:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "JPEG")
    return {"name": "exit.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def sign_in(page: Any, username: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("[data-testid=login-submit]")
    page.wait_for_url("**/field/")


def visit(page: Any, task_id: int, *, hazard: str = "", shots: Path | None = None) -> None:
    """Opens a task from today's list, answers the checklist and saves (queued on the phone)."""
    page.click(f"[data-task-id='{task_id}']")
    page.wait_for_url(f"**/field/tasks/{task_id}/")
    assert page.locator("[data-testid=enterprise-card]").is_visible()
    assert_fits_phone(page)
    for item in page.locator("fieldset").all():
        item.locator("label").first.click()
    page.set_input_files("#photos", [jpeg()])
    if hazard:
        page.locator("label:has([data-testid=hazard-found])").click()
        page.select_option("#topic", "fire")
        page.fill("#description", hazard)
        page.set_input_files("#hazard_photo", [jpeg()])
        if shots is not None:
            page.screenshot(path=shots / "field-task.png", full_page=True)
    page.click("[data-testid=save-screening]")
    page.wait_for_url("**/field/")
    page.wait_for_selector("[data-outbox-entry] >> nth=0")


def until(page: Any, predicate: str, timeout_s: float = 20) -> None:
    """Waits for a JavaScript function to return true (the pages' content-security policy
    forbids the string evaluation `wait_for_function` does)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"still false after {timeout_s} s: {predicate}"
        page.wait_for_timeout(100)


def states(page: Any) -> list[str]:
    return page.eval_on_selector_all("[data-outbox-entry]", "els => els.map(e => e.dataset.state)")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_three_visits_offline_sync_once_and_a_reassigned_task_is_a_conflict(
    phone_page: Any, world: Any, tmp_path: Path
) -> None:
    page = phone_page
    # Screenshots to look at: YUFANG_SCREENSHOTS=/some/dir keeps them.
    shots = Path(os.environ.get("YUFANG_SCREENSHOTS", tmp_path))
    worker = world.people[Role.GRID_WORKER]
    county = world.people[Role.COUNTY_OFFICIAL]
    colleague = grid_worker(world.grid)
    duty_list_set(
        actor=county,
        county=region("370211"),
        grid_role="full_time",
        valid_from=dt.date(2026, 1, 1),
        items=["安全出口畅通", "灭火器在有效期内"],
    )
    places = [(35.9610, 120.1985), (35.9700, 120.2100), (35.9800, 120.2300)]
    enterprises = [world.enterprise] + [
        EnterpriseFactory(county=region("370211"), township=world.grid.township, grid=world.grid)
        for _ in range(2)
    ]
    for e, (lat, lng) in zip(enterprises, places, strict=True):
        e.latitude, e.longitude = lat, lng
        e.save(update_fields=["latitude", "longitude"])
    first, second, third = (task(e, worker=worker) for e in enterprises)
    page.context.grant_permissions(["geolocation"], origin=page.base_url)
    page.context.set_geolocation(HERE)

    sign_in(page, worker.username)
    assert page.locator("[data-testid=today-tasks] [data-task-id]").count() == 3
    # The service worker is in charge and today's task pages are on the phone.
    until(
        page,
        "() => document.body.dataset.swReady === '1' && document.body.dataset.pagesCached === '1'",
    )
    page.reload()
    until(page, "() => navigator.serviceWorker.controller !== null")

    page.context.set_offline(True)
    page.wait_for_selector("[data-testid=network]:has-text('离线')")
    visit(page, first.pk, hazard="安全出口被货物堵塞", shots=shots)
    visit(page, second.pk)
    visit(page, third.pk)
    assert states(page) == ["queued"] * 4
    page.screenshot(path=shots / "field-offline-outbox.png", full_page=True)

    page.reload()  # no network: the service worker serves the page, the outbox is still there
    page.wait_for_selector("[data-outbox-entry] >> nth=3")
    assert "安全出口畅通" not in page.content()  # today's list, not a task page
    assert states(page) == ["queued"] * 4
    assert page.locator("[data-task-id] [data-task-local]:has-text('待同步')").count() == 3
    assert not Screening.objects.exists()

    # Meanwhile the county hands the third task to a colleague.
    tasks_reassign(actor=county, task_ids=[third.pk], to_worker=colleague)

    page.context.set_offline(False)  # the `online` event syncs the outbox
    until(
        page,
        "() => [...document.querySelectorAll('[data-outbox-entry]')]"
        ".every(e => e.dataset.state !== 'queued')",
    )
    assert sorted(states(page)) == ["conflict", "done", "done", "done"]
    conflict = page.locator("[data-outbox-entry][data-state=conflict]")
    with translation.override("zh-hans"):
        said = gettext("This task was reassigned to another grid worker meanwhile.")
    assert said in conflict.inner_text()
    assert_fits_phone(page)
    page.screenshot(path=shots / "field-synced.png", full_page=True)

    assert Screening.objects.filter(task=first).count() == 1
    assert Screening.objects.filter(task=second).count() == 1
    assert not Screening.objects.filter(task=third).exists()
    screening = Screening.objects.get(task=first)
    assert screening.photos.count() == 1
    assert screening.accuracy_m == HERE["accuracy"]
    assert not screening.far_from_enterprise
    assert [a["item"] for a in screening.answers] == ["安全出口畅通", "灭火器在有效期内"]
    found = Hazard.objects.get()
    assert found.enterprise == enterprises[0] and found.photos.count() == 1
    assert ScreeningFinding.objects.get().hazard == found

    # The phone sends it all again (the answer was lost): nothing is added.
    page.evaluate(
        """() => window.yufangField.entries().then(all => {
             const tx = indexedDB.open('yufang-field');
             return new Promise(done => { tx.onsuccess = () => {
               const store = tx.result.transaction('outbox', 'readwrite').objectStore('outbox');
               all.forEach(e => { e.state = 'queued'; store.put(e); });
               store.transaction.oncomplete = done; }; });
           }).then(() => window.yufangField.sync())"""
    )
    page.wait_for_selector("[data-outbox-entry][data-state=replayed]")
    assert Screening.objects.count() == 2
    assert Hazard.objects.count() == 1
    assert SyncReceipt.objects.count() == 3
