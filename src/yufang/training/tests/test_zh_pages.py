"""Every training page, rendered in zh-hans for every role, has no English words or raw codes."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.training import services as svc
from yufang.training.models import Enrollment, ExamAttempt, Material
from yufang.training.tests.conftest import id_number, schedule, trainee

pytestmark = pytest.mark.django_db

# Words that are Chinese usage too: file formats, QR, API, date patterns.
ALLOWED = {"PDF", "Excel", "CSV", "XLSX", "QR", "API", "YYYY", "MM", "DD", "HH", "Android", "iOS"}
VISIBLE_ATTRS = ("placeholder", "aria-label", "title", "alt", "value")


class _Text(HTMLParser):
    """The text a user reads in the page's body (not scripts), with labels and placeholders."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        a = dict(attrs)
        for name in VISIBLE_ATTRS:
            if name == "value" and not (tag == "input" and a.get("type") in ("submit", "button")):
                continue
            if a.get(name):
                self.parts.append(str(a[name]))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def english_words(html: str) -> set[str]:
    start = html.find('<div class="page-wrapper">')
    end = html.find("<footer", start)
    parser = _Text()
    parser.feed(html[start:end] if start >= 0 else html)
    text = re.sub(r"https?://\S+", "", " ".join(parser.parts))
    return {w for w in re.findall(r"\b[A-Za-z][A-Za-z_]{2,}\b", text) if w not in ALLOWED}


@pytest.fixture
def everything(world: Any, staff: Any, hall: Any, bank: int) -> dict[str, Any]:
    admin = world.people[Role.ADMIN]
    worker = world.people[Role.WORKER]
    me = trainee(admin, world.enterprise, 1, key_role="team_leader", user=worker)
    other = svc.trainee_upsert(
        actor=admin, name="李四", id_number=id_number(2), enterprise=world.enterprise, post="焊工"
    )
    past = schedule(staff, hall, days=-3)
    for t in (me, other):
        Enrollment.objects.create(
            session=past, trainee=t, enterprise=world.enterprise, checked_in_at=past.starts_at
        )
    upcoming = schedule(staff, hall, days=2)
    svc.enrollment_book_group(
        actor=admin, session=upcoming, enterprise=world.enterprise, trainees=[me, other]
    )
    course = svc.course_create(
        actor=staff, title="有限空间作业安全", topic="confined_space", class_hours=Decimal("2")
    )
    lesson = svc.lesson_add(actor=staff, course=course, title="第一课", kind="text", body="内容")
    exam = svc.exam_create(
        actor=staff, title="考试", single_count=2, multiple_count=1, true_false_count=2
    )
    attempt = svc.exam_attempt_start(actor=worker, exam=exam)
    svc.exam_attempt_submit(actor=worker, attempt=attempt, answers={})
    passed = svc.exam_attempt_start(actor=worker, exam=exam)
    svc.exam_attempt_submit(
        actor=worker,
        attempt=passed,
        answers={i.question_id: i.question.answer for i in passed.items.select_related("question")},
    )
    certificate = ExamAttempt.objects.get(pk=passed.pk).certificate
    campaign = svc.campaign_create(
        actor=world.people[Role.CITY_OFFICIAL],
        name="百企万人",
        region=world.enterprise.city,
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
        target_enterprises=10,
        target_person_times=100,
    )
    material = Material.objects.create(
        title="危险化学品安全", kind="textbook", topic="chemicals", file="training/x.pdf"
    )
    return {
        "session": past,
        "upcoming": upcoming,
        "me": me,
        "course": course,
        "lesson": lesson,
        "exam": exam,
        "attempt": attempt,
        "passed": passed,
        "certificate": certificate,
        "campaign": campaign,
        "material": material,
        "base": hall.base,
        "question": passed.items.first().question,
    }


def pages(x: dict[str, Any]) -> list[str]:
    return [
        "/training/",
        "/training/sessions/",
        "/training/sessions/new/",
        f"/training/sessions/{x['session'].pk}/",
        f"/training/sessions/{x['upcoming'].pk}/",
        "/training/mine/",
        "/training/bases/",
        f"/training/bases/{x['base'].pk}/",
        "/training/trainees/",
        f"/training/trainees/{x['me'].pk}/",
        "/training/courses/",
        f"/training/courses/{x['course'].pk}/",
        f"/training/lessons/{x['lesson'].pk}/",
        "/training/questions/",
        "/training/questions/new/",
        f"/training/questions/{x['question'].pk}/",
        "/training/exams/",
        f"/training/exams/{x['exam'].pk}/",
        f"/training/attempts/{x['attempt'].pk}/",
        f"/training/attempts/{x['passed'].pk}/",
        "/training/certificates/",
        f"/training/certificates/{x['certificate'].pk}/",
        f"/training/certificates/verify/{x['certificate'].code}/",
        "/training/campaigns/",
        f"/training/campaigns/{x['campaign'].pk}/",
        "/training/targeting/",
        "/training/materials/",
        "/training/statistics/",
        "/training/statistics/?by=base",
        "/training/check-in/bad-token/",
    ]


@pytest.mark.parametrize(
    "role",
    [
        Role.WORKER,
        Role.SAFETY_MANAGER,
        Role.INSTITUTION_STAFF,
        Role.GRID_WORKER,
        Role.COUNTY_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.PROVINCE_OFFICIAL,
        Role.DEPARTMENT_LIAISON,
        Role.AUDITOR,
    ],
)
def test_every_training_page_reads_in_chinese(
    client: Any, world: Any, everything: dict[str, Any], role: str
) -> None:
    client.force_login(world.people[role])
    found: dict[str, set[str]] = {}
    shown = 0
    for url in pages(everything):
        response = client.get(url)
        if response.status_code != 200:
            assert response.status_code in (403, 404), url
            continue
        shown += 1
        words = english_words(response.content.decode())
        if words:
            found[url] = words
    assert shown >= 10
    assert not found, f"English or raw codes on the {role}'s pages: {found}"


def strip_urls(html: str) -> str:
    return re.sub(r"https?://\S+", "", html)


def test_an_exam_attempt_reads_as_an_exam_not_a_rectification(
    client: Any, world: Any, everything: dict[str, Any]
) -> None:
    client.force_login(world.people[Role.WORKER])
    html = client.get(f"/training/attempts/{everything['attempt'].pk}/").content.decode()
    assert "已交卷" in html
    assert "已提交整改" not in html
    assert not re.search(r"[>\s][TF]\. ", html), "true/false options show their keys T./F."
    assert "正确" in html and "错误" in html
