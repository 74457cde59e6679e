"""The rectification notice names its issuing authority (and carries its seal), configured
per region by province and city officials; without one it is the city's bureau."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from yufang.accounts.models import Role
from yufang.hazards import services
from yufang.hazards.models import HazardLevel, NoticeIssuer
from yufang.hazards.pdf import notice_pdf
from yufang.hazards.tests.conftest import pdf_text
from yufang.support.topics import Topic
from yufang.tests.factories import region

pytestmark = pytest.mark.django_db


def seal_png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGBA", (64, 64), (220, 0, 0, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile("seal.png", buffer.getvalue(), content_type="image/png")


def notice_for(world: Any) -> Any:
    official = world.people[Role.COUNTY_OFFICIAL]
    hazard = services.hazard_report(
        actor=official,
        enterprise=world.enterprise,
        topic=Topic.ELECTRICAL,
        level=HazardLevel.ORDINARY,
        description="配电箱未接地",
    )
    return services.notice_issue(actor=official, enterprise=world.enterprise, hazards=[hazard])


def test_a_county_notice_is_issued_in_the_city_bureaus_name_by_default(world: Any) -> None:
    notice = notice_for(world)
    assert notice.issuer_name == "青岛市人力资源和社会保障局"
    text = pdf_text(notice_pdf(notice, base_url="https://yufang.example", compress=False))
    assert "青岛市人力资源和社会保障局" in text
    assert "签发机关" in text


def test_the_configured_authority_and_seal_are_on_the_notice(world: Any) -> None:
    services.notice_issuer_set(
        actor=world.people[Role.CITY_OFFICIAL],
        region=region("370211"),
        name="青岛市黄岛区人力资源和社会保障局",
        seal=seal_png(),
    )
    notice = notice_for(world)
    data = notice_pdf(notice, base_url="https://yufang.example", compress=False)
    assert "青岛市黄岛区人力资源和社会保障局" in pdf_text(data)
    without_seal = notice_pdf(notice_for_other_city(world), base_url="https://y", compress=False)
    # The seal is a picture besides the QR code (with its transparency mask).
    assert data.count(b"/Subtype /Image") > without_seal.count(b"/Subtype /Image")


def notice_for_other_city(world: Any) -> Any:
    province = world.people[Role.PROVINCE_OFFICIAL]
    hazard = services.hazard_report(
        actor=province,
        enterprise=world.jinan_enterprise,
        topic=Topic.ELECTRICAL,
        level=HazardLevel.ORDINARY,
        description="配电箱未接地",
    )
    return services.notice_issue(
        actor=province, enterprise=world.jinan_enterprise, hazards=[hazard]
    )


def test_a_notice_keeps_the_authority_it_was_issued_under(world: Any) -> None:
    notice = notice_for(world)
    services.notice_issuer_set(
        actor=world.people[Role.PROVINCE_OFFICIAL], region=region("370200"), name="某某局"
    )
    text = pdf_text(notice_pdf(notice, base_url="https://yufang.example", compress=False))
    assert "青岛市人力资源和社会保障局" in text and "某某局" not in text


def test_a_city_official_configures_only_their_city(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.notice_issuer_set(
            actor=world.people[Role.CITY_OFFICIAL], region=region("370100"), name="济南市人社局"
        )
    with pytest.raises(PermissionDenied):
        services.notice_issuer_set(
            actor=world.people[Role.COUNTY_OFFICIAL], region=region("370211"), name="黄岛区人社局"
        )


def test_a_seal_that_is_not_an_image_is_refused(world: Any) -> None:
    fake = SimpleUploadedFile("seal.png", b"not an image", content_type="image/png")
    with pytest.raises(services.HazardInvalid) as exc:
        services.notice_issuer_set(
            actor=world.people[Role.CITY_OFFICIAL], region=region("370200"), name="x", seal=fake
        )
    assert "seal" in exc.value.errors
    assert not NoticeIssuer.objects.exists()


def test_the_issuers_page_sets_the_authority_with_its_seal(world: Any, client: Any) -> None:
    client.force_login(world.people[Role.CITY_OFFICIAL])
    page = client.get("/hazards/issuers/").content.decode()
    assert "青岛市人力资源和社会保障局" in page and "黄岛区" in page and "济南" not in page
    response = client.submit(
        "/hazards/issuers/",
        {"region": "370200", "name": "青岛市人力资源和社会保障局（试）", "seal": seal_png()},
    )
    assert response.status_code == 302
    issuer = NoticeIssuer.objects.get(region__code="370200")
    assert issuer.name == "青岛市人力资源和社会保障局（试）"
    page = client.get("/hazards/issuers/").content.decode()
    assert f"/hazards/issuers/{issuer.pk}/seal/" in page
    seal = client.get(f"/hazards/issuers/{issuer.pk}/seal/")
    assert seal.status_code == 200 and seal["Content-Type"] == "image/png"
    refused = client.submit("/hazards/issuers/", {"region": "370200", "name": " "})
    assert "签发机关" in refused.content.decode() and "name:" not in refused.content.decode()
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    assert client.get("/hazards/issuers/").status_code == 403
    client.force_login(world.jinan_city_official)
    assert client.get(f"/hazards/issuers/{issuer.pk}/seal/").status_code == 404
