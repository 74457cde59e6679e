"""Uploaded photos are served through a view that checks the viewer may see the record the
photo belongs to, never from a public /media/ address."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.hazards import services
from yufang.hazards.models import Hazard, HazardLevel, PhotoKind
from yufang.hazards.tests.conftest import png
from yufang.support.topics import Topic

pytestmark = pytest.mark.django_db


def rectifying_with_evidence(world: Any) -> tuple[Hazard, Any]:
    county = world.people[Role.COUNTY_OFFICIAL]
    manager = world.people[Role.SAFETY_MANAGER]
    hazard = services.hazard_report(
        actor=county,
        enterprise=world.enterprise,
        topic=Topic.ELECTRICAL,
        level=HazardLevel.ORDINARY,
        description="配电箱未接地",
    )
    services.hazard_assign(actor=county, hazard=hazard)
    services.hazard_start(actor=manager, hazard=hazard)
    photo = services.photo_add(
        actor=manager, upload=png("evidence.png"), kind=PhotoKind.EVIDENCE, hazard=hazard
    )
    services.hazard_submit(actor=manager, hazard=hazard, note="已重新接地")
    return hazard, photo


def test_county_official_sees_the_evidence_photo_of_a_submitted_hazard(
    world: Any, client: Any
) -> None:
    hazard, photo = rectifying_with_evidence(world)
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    page = client.get(f"/hazards/{hazard.pk}/").content.decode()
    assert f'src="/hazards/photos/{photo.pk}/"' in page
    assert "/media/" not in page
    response = client.get(f"/hazards/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_the_other_citys_official_gets_404_for_the_photo(world: Any, client: Any) -> None:
    _hazard, photo = rectifying_with_evidence(world)
    client.force_login(world.jinan_city_official)
    assert client.get(f"/hazards/photos/{photo.pk}/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in_for_a_photo(world: Any, client: Any) -> None:
    _hazard, photo = rectifying_with_evidence(world)
    response = client.get(f"/hazards/photos/{photo.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_enterprise_cannot_see_the_photo(world: Any, client: Any) -> None:
    from yufang.tests.factories import persona

    _hazard, photo = rectifying_with_evidence(world)
    client.force_login(persona(Role.SAFETY_MANAGER, enterprise=world.other_enterprise))
    assert client.get(f"/hazards/photos/{photo.pk}/").status_code == 404


def test_behind_nginx_the_photo_is_handed_to_an_internal_location(
    world: Any, client: Any, settings: Any
) -> None:
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    _hazard, photo = rectifying_with_evidence(world)
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    response = client.get(f"/hazards/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{photo.image_path}"
    assert response["Content-Type"] == "image/png" and response.content == b""


def test_the_api_gives_the_protected_address_of_a_photo(world: Any, client: Any) -> None:
    hazard, photo = rectifying_with_evidence(world)
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    rows = client.get(f"/api/v1/hazards/hazards/{hazard.pk}/photos").json()
    assert rows[0]["url"] == f"/hazards/photos/{photo.pk}/"
