"""The Chinese interface of the hazards pages has no English words or raw codes, for every
role that can open them."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.hazards import services
from yufang.hazards.models import AnswerResult, HazardLevel, PhotoKind
from yufang.hazards.tasks import escalate_hazards
from yufang.hazards.tests.conftest import png
from yufang.support.topics import Topic

pytestmark = pytest.mark.django_db

# Latin text that belongs in a Chinese page: names of methods, units, formats, standards.
ALLOWED = {
    "LEC",
    "L",
    "E",
    "C",
    "D",
    "R",
    "S",
    "PDF",
    "Excel",
    "API",
    "PC",
    "TWA",
    "STEL",
    "MAC",
    "dB",
    "A",
    "mg",
    "m",
    "GBZ",
    "GB",
    "AQ",
    "JGJ",
    "T",
    "EXIF",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "ZG",
    "English",
    "v1",
    "v2",
    "QR",
    "HEIF",
    "JPEG",
    "PNG",
    "WebP",
    "MB",
    "v",
}
# Technical abbreviations inside the checklists' Chinese items (steel furnaces, gases,
# earthing systems): the standards write them so.
ALLOWED |= {"AOD", "LF", "RH", "VOD", "CO", "TN", "SiO", "kPa", "kW", "NH"}
# A word, not letters inside a code or a number ("91370211MA3X…", "ZG2026-000001", "2.2kW").
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z_]*(?![A-Za-z0-9_])")


class VisibleText(HTMLParser):
    """The text a reader sees, and the placeholders and labels of the controls."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("placeholder", "title", "aria-label", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def english_in(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED})


def scene(world: Any) -> dict[str, Any]:
    services.checklists_import()
    county = world.people[Role.COUNTY_OFFICIAL]
    manager = world.people[Role.SAFETY_MANAGER]
    staff = world.people[Role.INSTITUTION_STAFF]
    assessment = services.assessment_create(
        actor=world.people[Role.CITY_OFFICIAL],
        enterprise=world.enterprise,
        checklist_key="T16",
        method="environmental_monitoring",
        institution_id=staff.institution_id,
    )
    services.assessment_record(
        actor=staff,
        assessment=assessment,
        answers={i.pk: (AnswerResult.PASS, "") for i in assessment.checklist.items.all()},
        lec=("3", "6", "7"),
        ls=("3", "3"),
    )
    services.measurement_add(
        actor=staff,
        assessment=assessment,
        agent="noise",
        sample_type="twa_8h",
        value="92",
        unit="dB(A)",
    )
    services.photo_add(actor=staff, upload=png(), kind=PhotoKind.FINDING, assessment=assessment)
    found = services.assessment_complete(actor=staff, assessment=assessment)
    draft = services.assessment_create(
        actor=county, enterprise=world.enterprise, checklist_key="T15", method="site_patrol"
    )
    major = services.hazard_report(
        actor=county,
        enterprise=world.enterprise,
        topic=Topic.ELECTRICAL,
        level=HazardLevel.MAJOR,
        description="配电室无应急照明",
    )
    ordinary = services.hazard_report(
        actor=county,
        enterprise=world.enterprise,
        topic=Topic.FIRE,
        level=HazardLevel.ORDINARY,
        description="灭火器过期",
    )
    services.hazard_assign(actor=county, hazard=ordinary)
    services.hazard_start(actor=manager, hazard=ordinary)
    services.photo_add(actor=manager, upload=png(), kind=PhotoKind.EVIDENCE, hazard=ordinary)
    escalate_hazards()
    notice = services.notice_issue(actor=county, enterprise=world.enterprise, hazards=[major])
    today = timezone.localdate()
    services.statistics_generate(kind="year", year=today.year)
    return {
        "assessment": assessment,
        "draft": draft,
        "found": found[0],
        "major": major,
        "ordinary": ordinary,
        "notice": notice,
        "year_start": f"{today.year}-01-01",
    }


def urls(s: dict[str, Any]) -> list[str]:
    from yufang.hazards.pdf import verify_path

    return [
        "/hazards/list/",
        "/hazards/new/",
        f"/hazards/{s['major'].pk}/",
        f"/hazards/{s['ordinary'].pk}/",
        f"/hazards/{s['found'].pk}/",
        "/hazards/queue/",
        "/hazards/board/",
        "/hazards/map/",
        "/hazards/escalations/",
        "/hazards/escalations/?all=1",
        "/hazards/assessments/",
        "/hazards/assessments/?status=cancelled",
        "/hazards/assessments/new/",
        f"/hazards/assessments/{s['assessment'].pk}/",
        f"/hazards/assessments/{s['draft'].pk}/",
        f"/hazards/assessments/{s['draft'].pk}/fill/",
        "/hazards/checklists/",
        "/hazards/statistics/",
        f"/hazards/statistics/year/{s['year_start']}/",
        "/hazards/issuers/",
        verify_path(s["notice"]),
    ]


@pytest.mark.parametrize(
    "role",
    [
        Role.PROVINCE_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.GRID_WORKER,
        Role.SAFETY_MANAGER,
        Role.INSTITUTION_STAFF,
        Role.DEPARTMENT_LIAISON,
        Role.AUDITOR,
        Role.ADMIN,
    ],
)
def test_hazards_pages_speak_chinese_to_every_role(world: Any, client: Any, role: str) -> None:
    from yufang.hazards.models import Checklist

    s = scene(world)
    client.force_login(world.people[role])
    found: dict[str, list[str]] = {}
    pages = [*urls(s), *(f"/hazards/checklists/{c.pk}/" for c in Checklist.objects.all()[:3])]
    if role in (Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL):
        pages.append(f"/hazards/checklists/{Checklist.objects.first().pk}/edit/")
    for url in pages:
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        words = english_in(response.content.decode())
        if words:
            found[url] = words
    assert not found, found


def test_a_refused_submission_names_the_missing_evidence_in_chinese(
    world: Any, client: Any
) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    manager = world.people[Role.SAFETY_MANAGER]
    hazard = services.hazard_report(
        actor=county,
        enterprise=world.enterprise,
        topic=Topic.FIRE,
        level=HazardLevel.ORDINARY,
        description="灭火器过期",
    )
    services.hazard_assign(actor=county, hazard=hazard)
    services.hazard_start(actor=manager, hazard=hazard)
    client.force_login(manager)
    response = client.submit(f"/hazards/{hazard.pk}/", {"action": "submit", "note": "已更换"})
    page = response.content.decode()
    assert "整改照片" in page and "请先上传至少一张整改照片" in page
    assert english_in(page) == []
