"""The field app's pages as a browser without JavaScript meets them: the task list, the
task's page with its enterprise card and checklist, the form posted to the same service as
the sync, and what makes the app installable (manifest, service worker)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from yufang.accounts.models import Role
from yufang.field.tests.factories import grid_worker, task
from yufang.grid.models import Screening, TaskStatus
from yufang.grid.services import duty_list_set
from yufang.hazards.models import Hazard
from yufang.tests.factories import region

pytestmark = pytest.mark.django_db


def jpeg(name: str = "exit.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_the_grid_worker_lands_on_todays_tasks(client: Any, world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    today = timezone.localdate()
    due_now = task(world.enterprise, worker=worker, due_on=today)
    later = task(world.other_enterprise, due_on=today + dt.timedelta(days=3))
    client.force_login(worker)

    landed = client.get("/", follow=True)
    page = landed.content.decode()

    assert landed.redirect_chain[-1][0] == "/field/"
    assert "今天" in page and "本周" in page
    assert world.enterprise.name in page
    assert f"/field/tasks/{due_now.pk}/" in page
    # The other grid's task is not this worker's: absent.
    assert later.enterprise.name not in page
    assert 'rel="manifest"' in page


def test_the_task_page_shows_the_card_and_the_checklist(client: Any, world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    world.enterprise.contact_person = "王经理"
    world.enterprise.save(update_fields=["contact_person"])
    duty_list_set(
        actor=world.people[Role.COUNTY_OFFICIAL],
        county=region("370211"),
        grid_role="full_time",
        valid_from=dt.date(2026, 1, 1),
        items=["安全出口畅通", "灭火器在有效期内"],
    )
    t = task(world.enterprise, worker=worker)
    client.force_login(worker)

    page = client.get(f"/field/tasks/{t.pk}/").content.decode()

    assert world.enterprise.name in page
    assert "王经理" in page
    assert "从未排查" in page
    assert "安全出口畅通" in page and "灭火器在有效期内" in page
    assert "保存排查结果" in page


def test_the_form_records_the_screening_and_the_hazard_once(client: Any, world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    client.force_login(worker)
    url = f"/field/tasks/{t.pk}/"
    form = {
        "note": "出口堵塞",
        "photos": jpeg(),
        "hazard_found": "1",
        "topic": "fire",
        "level": "ordinary",
        "description": "安全出口被货物堵塞",
        "hazard_photo": jpeg("hazard.jpg"),
        "key": "page-form-key-0001",
        "hazard_key": "page-form-hazard-0001",
    }

    answer = client.submit(url, form, follow=True)

    assert answer.redirect_chain[-1][0] == "/field/"
    assert "已收到排查结果" in answer.content.decode()
    screening = Screening.objects.get(task=t)
    assert screening.far_from_enterprise  # no location from a phone without JavaScript
    assert Hazard.objects.get(enterprise=world.enterprise).photos.count() == 1
    # Sending the same form again (a double tap) adds nothing.
    client.post_direct(url, {**form, "photos": jpeg(), "hazard_photo": jpeg("h.jpg")})
    assert Screening.objects.count() == 1 and Hazard.objects.count() == 1


def test_a_photo_that_is_not_an_image_is_said_and_nothing_is_written(
    client: Any, world: Any
) -> None:
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    client.force_login(worker)
    fake = SimpleUploadedFile("exit.jpg", b"not a picture", content_type="image/jpeg")

    answer = client.submit(f"/field/tasks/{t.pk}/", {"note": "x", "photos": fake})

    assert answer.status_code == 200
    assert "不是照片" in answer.content.decode()
    assert not Screening.objects.exists()
    t.refresh_from_db()
    assert t.status == TaskStatus.OPEN


def test_a_task_of_another_worker_shows_no_form(client: Any, world: Any) -> None:
    worker = world.people[Role.GRID_WORKER]
    colleague = grid_worker(world.grid)
    t = task(world.enterprise, worker=colleague)
    client.force_login(worker)

    page = client.get(f"/field/tasks/{t.pk}/").content.decode()

    assert "已分派给其他网格员" in page
    assert "保存排查结果" not in page


def test_other_grids_and_other_roles_are_refused(client: Any, world: Any) -> None:
    t = task(world.jinan_enterprise)
    client.force_login(world.people[Role.GRID_WORKER])
    assert client.get(f"/field/tasks/{t.pk}/").status_code == 404
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    assert client.get("/field/").status_code == 403
    client.logout()
    assert client.get("/field/").status_code == 302


def test_the_manifest_and_the_service_worker_make_it_installable(client: Any) -> None:
    manifest = client.get("/field/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["start_url"] == "/field/" and data["scope"] == "/field/"
    assert data["display"] == "standalone"
    assert {i["sizes"] for i in data["icons"]} == {"192x192", "512x512"}
    for icon in data["icons"]:
        assert client.get(icon["src"]).status_code == 200

    worker = client.get("/field/sw.js")
    assert worker["Content-Type"].startswith("application/javascript")
    assert worker["Service-Worker-Allowed"] == "/field/"
    assert "no-cache" in worker["Cache-Control"]
    assert b"self.FIELD" in worker.content and b"/static/field/field.js" in worker.content


def test_the_pages_name_their_user_and_are_kept_by_no_http_cache(client: Any, world: Any) -> None:
    """The service worker keeps a page in its user's cache (X-Field-User); the browser's own
    caches never keep it, so Back after signing out shows nothing of the worker."""
    worker = world.people[Role.GRID_WORKER]
    t = task(world.enterprise, worker=worker)
    client.force_login(worker)

    for url in ("/field/", f"/field/tasks/{t.pk}/"):
        answer = client.get(url)
        assert answer["X-Field-User"] == str(worker.pk)
        assert "no-store" in answer["Cache-Control"]
    page = client.get("/field/").content.decode()
    assert f'data-page-cache="yufang-field-pages-{worker.pk}"' in page
    # The sign-out is the field app's: it warns of results not synced and clears the phone.
    assert "data-field-signout" in page
    assert "先同步，再退出" in page
    assert '"signout_waiting"' in page
    assert client.get("/field/tasks/999999/").has_header("X-Field-User") is False
