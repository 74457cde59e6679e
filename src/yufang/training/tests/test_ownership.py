"""Who owns what: the province owns the shared question bank, a region or institution its own
questions; an institution works in its own city (docs/training.md, "Who owns what")."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.tests.factories import InstitutionFactory, persona, region
from yufang.training.models import Question

pytestmark = pytest.mark.django_db

QUESTION = {
    "topic": "fire",
    "type": "single",
    "stem": "灭火器压力表指针应在哪个区域？",
    "options": [{"key": "A", "text": "绿区"}, {"key": "B", "text": "红区"}],
    "answer": ["A"],
}


def _put(client: Any, user: Any, question: Question, stem: str) -> Any:
    client.force_login(user)
    return client.put(
        f"/api/v1/training/questions/{question.pk}",
        {**QUESTION, "stem": stem},
        content_type="application/json",
    )


@pytest.mark.parametrize("role", [Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL, Role.INSTITUTION_STAFF])
def test_only_the_province_edits_the_shared_bank(
    client: Any, world: Any, bank: int, role: str
) -> None:
    shared = Question.objects.filter(region=None, institution=None).first()
    assert shared is not None
    stem = shared.stem
    response = _put(client, world.people[role], shared, "改掉省题库的题")
    assert response.status_code == 403
    assert "省" in response.json()["detail"] or "添加" in response.json()["detail"]
    shared.refresh_from_db()
    assert shared.stem == stem
    assert _put(client, world.people[Role.PROVINCE_OFFICIAL], shared, "省里改过").status_code == 200


def test_a_county_adds_its_own_question_and_edits_only_that(client: Any, world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    client.force_login(county)
    made = client.post("/api/v1/training/questions", QUESTION, content_type="application/json")
    assert made.status_code == 201, made.content
    assert made.json()["region_id"] == county.region_id
    own = Question.objects.get(pk=made.json()["id"])
    assert _put(client, county, own, "本区改过").json()["stem"] == "本区改过"
    other = persona(Role.COUNTY_OFFICIAL, region=region("370212"))
    assert _put(client, other, own, "别区改的").status_code == 403
    assert _put(client, world.jinan_city_official, own, "济南改的").status_code == 403


def test_an_institution_edits_its_own_questions_not_anothers(
    client: Any, world: Any, staff: Any
) -> None:
    client.force_login(staff)
    made = client.post("/api/v1/training/questions", QUESTION, content_type="application/json")
    own = Question.objects.get(pk=made.json()["id"])
    assert own.institution_id == staff.institution_id and own.region_id is None
    assert _put(client, staff, own, "机构改过").status_code == 200
    rival = persona(Role.INSTITUTION_STAFF, institution=InstitutionFactory())
    assert _put(client, rival, own, "别家改的").status_code == 403


def test_an_institution_cannot_open_a_base_in_another_city(client: Any, staff: Any) -> None:
    client.force_login(staff)
    response = client.post(
        "/api/v1/training/bases",
        {"name": "济南分基地", "city": "370100", "address": "历下区"},
        content_type="application/json",
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert any("city" in [str(p) for p in d["loc"]] for d in detail), detail
    made = client.post(
        "/api/v1/training/bases",
        {"name": "青岛第二基地", "city": "370200", "address": "城阳区"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content


def test_the_question_page_tells_a_county_the_shared_bank_is_not_theirs(
    client: Any, world: Any, bank: int
) -> None:
    shared = Question.objects.filter(region=None, institution=None).first()
    assert shared is not None
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    page = client.get(f"/training/questions/{shared.pk}/").content.decode()
    assert "不能修改" in page and 'data-testid="not-owner"' in page
    assert "保存" not in page.split('data-testid="question-form"')[1]
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    page = client.get(f"/training/questions/{shared.pk}/").content.decode()
    assert 'data-testid="not-owner"' not in page
