"""Training uploads are checked by their content, not by their name or declared type, and are
served only through scoped views (never from /media/)."""

from __future__ import annotations

import io
import os
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from yufang.accounts.models import Role
from yufang.tests.factories import persona, region
from yufang.training import services as svc
from yufang.training.models import Course, Material
from yufang.training.services import TrainingInvalid
from yufang.training.tests.conftest import schedule

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 16


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def material(actor: Any, name: str, data: bytes, content_type: str = "application/pdf") -> Any:
    return svc.material_create(
        actor=actor,
        title="教材",
        kind="textbook",
        topic="fire",
        file=SimpleUploadedFile(name, data, content_type=content_type),
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("random.pdf", os.urandom(4096)),
        ("page.pdf", b"<!doctype html><script>alert(1)</script>"),
        ("fake.docx", b"PK\x03\x04" + os.urandom(200)),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + os.urandom(100)),
    ],
)
def test_a_material_is_refused_unless_its_content_is_a_document(
    world: Any, name: str, data: bytes
) -> None:
    with pytest.raises(TrainingInvalid) as caught:
        material(world.people[Role.PROVINCE_OFFICIAL], name, data)
    assert "file" in caught.value.errors
    assert "PDF" in caught.value.errors["file"]
    assert not Material.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "ext"),
    [("book.pdf", PDF, "pdf"), ("book.docx", docx(), "docx"), ("chart.bin", png(), "png")],
)
def test_a_material_is_stored_as_what_its_content_is(
    world: Any, name: str, data: bytes, ext: str
) -> None:
    made = material(world.people[Role.PROVINCE_OFFICIAL], name, data, "text/html")
    assert made.file.endswith(f".{ext}")


@override_settings(TRAINING_UPLOAD_MAX_BYTES=1024)
def test_a_material_beyond_the_size_limit_is_refused(world: Any) -> None:
    with pytest.raises(TrainingInvalid) as caught:
        material(world.people[Role.PROVINCE_OFFICIAL], "big.pdf", PDF + b"0" * 2048)
    assert "MB" in caught.value.errors["file"]


def test_the_api_refuses_html_as_a_material_naming_the_field(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    response = client.post(
        "/api/v1/training/materials",
        {
            "title": "教材",
            "kind": "textbook",
            "topic": "fire",
            "file": SimpleUploadedFile("x.pdf", b"<html></html>", content_type="application/pdf"),
        },
    )
    assert response.status_code == 422, response.content
    assert "file" in str(response.json()["detail"])


def test_a_lesson_video_must_be_a_video_and_an_image_an_image(staff: Any) -> None:
    course = svc.course_create(actor=staff, title="消防", topic="fire", class_hours=1)
    for kind, data in (("video", png()), ("image", MP4), ("video", os.urandom(64))):
        with pytest.raises(TrainingInvalid) as caught:
            svc.lesson_add(
                actor=staff,
                course=course,
                title="课",
                kind=kind,
                file=SimpleUploadedFile("a.mp4", data, content_type=f"{kind}/mp4"),
            )
        assert "file" in caught.value.errors
    lesson = svc.lesson_add(
        actor=staff,
        course=course,
        title="视频",
        kind="video",
        file=SimpleUploadedFile("a.mp4", MP4, content_type="video/mp4"),
    )
    assert lesson.file.endswith(".mp4")
    assert lesson.url == f"/training/lessons/{lesson.pk}/file/"


def test_session_photos_are_served_only_to_those_who_see_the_session(
    client: Any, world: Any, staff: Any, hall: Any
) -> None:
    session = schedule(staff, hall)
    photo = svc.session_photo_add(
        actor=staff, session=session, image=SimpleUploadedFile("p.jpg", png(), "image/jpeg")
    )
    assert photo.image.endswith(".png")
    assert "/media/" not in photo.url
    client.force_login(staff)
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert photo.url in page
    shown = client.get(photo.url)
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert b"".join(shown.streaming_content).startswith(b"\x89PNG")
    outsider = persona(Role.COUNTY_OFFICIAL, region=region("370102"))
    client.force_login(outsider)
    assert client.get(photo.url).status_code == 404


def test_lesson_files_and_materials_are_not_served_to_strangers(
    client: Any, world: Any, staff: Any
) -> None:
    course = svc.course_create(actor=staff, title="消防", topic="fire", class_hours=1)
    lesson = svc.lesson_add(
        actor=staff,
        course=course,
        title="图",
        kind="image",
        file=SimpleUploadedFile("a.png", png(), content_type="image/png"),
    )
    book = material(world.people[Role.PROVINCE_OFFICIAL], "book.pdf", PDF)
    client.force_login(staff)
    assert client.get(lesson.url)["Content-Type"] == "image/png"
    # An unpublished course's lessons are its institution's and the officials' only.
    Course.objects.filter(pk=course.pk).update(is_published=False)
    client.force_login(world.people[Role.WORKER])
    assert client.get(lesson.url).status_code == 404
    got = client.get(f"/training/materials/{book.pk}/download/")
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert "attachment" in got["Content-Disposition"]
    client.logout()
    assert client.get(lesson.url).status_code == 302
    assert client.get(f"/training/materials/{book.pk}/download/").status_code == 302
