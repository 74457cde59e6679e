"""Numbers and texts from outside are held to the shared bounds (support/bounds.py): a 422
naming the field, never a server error or a value the column cannot hold."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.training.tests.conftest import schedule

pytestmark = pytest.mark.django_db


def refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.content
    locations = [[str(p) for p in d["loc"]] for d in response.json()["detail"]]
    assert any(field in loc for loc in locations), locations


def test_ids_beyond_64_bits_in_a_body_are_refused(
    client: Any, world: Any, staff: Any, hall: Any
) -> None:
    session = schedule(staff, hall)
    client.force_login(world.people[Role.SAFETY_MANAGER])
    refused(
        client.post(
            f"/api/v1/training/sessions/{session.pk}/book",
            {"trainee_ids": [2**70]},
            content_type="application/json",
        ),
        "trainee_ids",
    )
    client.force_login(staff)
    refused(
        client.post(
            f"/api/v1/training/sessions/{session.pk}/check-in",
            {"enrollment_ids": [2**64]},
            content_type="application/json",
        ),
        "enrollment_ids",
    )


def test_texts_longer_than_their_columns_are_refused(client: Any, staff: Any) -> None:
    client.force_login(staff)
    refused(
        client.post(
            "/api/v1/training/bases",
            {"name": "基" * 5000, "city": "370200"},
            content_type="application/json",
        ),
        "name",
    )
    refused(
        client.post(
            "/api/v1/training/questions",
            {
                "code": "Q" * 25,
                "topic": "fire",
                "type": "single",
                "stem": "题干",
                "options": [{"key": "A", "text": "甲"}, {"key": "B", "text": "乙"}],
                "answer": ["A"],
            },
            content_type="application/json",
        ),
        "code",
    )
    refused(client.get("/api/v1/training/trainees", {"q": "王" * 500}), "q")


def test_a_page_ignores_ids_beyond_64_bits_instead_of_failing(
    client: Any, world: Any, staff: Any, hall: Any
) -> None:
    session = schedule(staff, hall)
    page = f"/training/sessions/{session.pk}/"
    client.force_login(world.people[Role.SAFETY_MANAGER])
    booked = client.submit(
        page, {"trainee": [str(2**70), "x"]}, action=f"/training/sessions/{session.pk}/book/"
    )
    assert booked.status_code < 500
    client.force_login(staff)
    checked = client.submit(
        page, {"enrollment": [str(2**64)]}, action=f"/training/sessions/{session.pk}/check-in/"
    )
    assert checked.status_code < 500


def test_a_course_page_refuses_class_hours_that_are_not_a_number(client: Any, staff: Any) -> None:
    client.force_login(staff)
    answer = client.submit(
        "/training/courses/",
        {"title": "消防", "topic": "fire", "class_hours": "NaN", "description": ""},
    )
    assert answer.status_code == 200
    assert "NaN" in answer.content.decode()
