"""Every injuries page, as each role sees it in the default language (zh-hans): no English
words or raw codes in what the page shows (its text, placeholders, labels and chart names)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from yufang.accounts.models import Role
from yufang.injuries.services import case_create, priority_rebuild, rollup_rebuild
from yufang.injuries.tests.helpers import case_data, insure

pytestmark = pytest.mark.django_db

# Proper names and standards a Chinese page writes in Latin letters too.
ALLOWED = re.compile(r"(?<![A-Za-z])(Excel|CSV|GB|OSHA|BLS|LTIFR|Garwood|RS)(?![A-Za-z])")
CHART_TEXT = re.compile(r'"(?:name|text)":\s*("(?:[^"\\]|\\.)*"|\[[^\]]*\])')


class _Shown(HTMLParser):
    """The text of the page's own part (the shell around it is the lead's), the attributes a
    user reads, and the names in the charts' options."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self._in_page = False
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "page-wrapper" in (a.get("class") or "").split():
            self._in_page = True
        if tag == "footer":
            self._in_page = False
        self._script = tag == "script"
        if self._in_page:
            self.shown += [v for k, v in attrs if k in ("placeholder", "title") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if not self._in_page:
            return
        if self._script:
            for found in CHART_TEXT.findall(data):
                value = json.loads(found)
                self.shown += value if isinstance(value, list) else [value]
        elif data.strip():
            self.shown.append(data.strip())


def _english(html: str) -> list[str]:
    parser = _Shown()
    parser.feed(html)
    return [t for t in parser.shown if re.search(r"[A-Za-z]{2,}", ALLOWED.sub("", t))]


@pytest.fixture
def recorded(world):
    for e in (world.enterprise, world.jinan_enterprise):
        insure(e, 2023, 100)
        insure(e, 2024, 100)
    rollup_rebuild()
    admin = world.people[Role.ADMIN]
    world.case = case_create(actor=admin, data=case_data(world.enterprise, 1, disability_grade="5"))
    case_create(
        actor=admin,
        data=case_data(
            world.enterprise,
            2,
            kind="occupational_disease",
            occupational_disease="尘肺病",
            accident_date="2023-03-01",
            recognition_date="2023-06-01",
        ),
    )
    priority_rebuild()
    return world


def _pages(case_pk: int) -> list[str]:
    rates = reverse("injuries:rates")
    return [
        reverse("injuries:dashboard"),
        reverse("injuries:dashboard") + "?city=370200",
        reverse("injuries:dashboard") + "?county=370211",
        reverse("injuries:cases"),
        reverse("injuries:case", args=[case_pk]),
        reverse("injuries:case_new"),
        reverse("injuries:case_edit", args=[case_pk]),
        rates,
        *(
            f"{rates}?by={by}&city=370200&per_year=1"
            for by in ("risk_class", "key_industry", "size", "category", "enterprise", "grid")
        ),
        rates + "?by=industry&industry_level=2",
        rates + "?by=enterprise",
        reverse("injuries:targets"),
        reverse("injuries:priority"),
        reverse("injuries:headcounts"),
    ]


@pytest.mark.parametrize("role", [r for r in Role.values])
def test_every_injuries_page_speaks_chinese_to_every_role(client, recorded, role):
    client.force_login(recorded.people[role])
    shown = 0
    for url in _pages(recorded.case.pk):
        response = client.get(url)
        if response.status_code != 200:  # not this role's page (403/404)
            continue
        shown += 1
        assert _english(response.content.decode()) == [], url
    assert shown


def test_the_case_page_names_the_category_and_the_edit_heading_in_chinese(client, recorded):
    client.force_login(recorded.people[Role.CITY_OFFICIAL])
    page = client.get(reverse("injuries:case", args=[recorded.case.pk])).content.decode()
    assert "机械伤害（GB 6441-86 第 03 类）" in page
    edit = client.get(reverse("injuries:case_edit", args=[recorded.case.pk])).content.decode()
    assert f"编辑：{recorded.case.case_number}" in edit
