"""The registry's pages in zh-hans, for every role that reads them: no English words, no
field code names (county code, risk_class_override …), also in error messages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from yufang.accounts.models import Role
from yufang.enterprises.services import enterprise_update
from yufang.injuries.tests.helpers import insure

pytestmark = pytest.mark.django_db

R = Role
# Words that are Chinese usage too (file formats, the API, the standard's name).
ALLOWED = {"Excel", "CSV", "API", "GB"}


class _Text(HTMLParser):
    """What a reader sees in the page body: text, placeholders, labels."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("placeholder", "aria-label", "title", "alt") and value:
                self.parts.append(value)

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
    parser.feed(html[start:end])
    text = " ".join(parser.parts)
    return {w for w in re.findall(r"\b[A-Za-z][A-Za-z_]{2,}\b", text) if w not in ALLOWED}


@pytest.mark.parametrize(
    "role", [R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.GRID_WORKER, R.SAFETY_MANAGER, R.AUDITOR]
)
def test_enterprise_pages_read_in_chinese(client, world, role):
    insure(world.enterprise, 2024, 120)
    enterprise_update(
        actor=world.people[R.COUNTY_OFFICIAL],
        enterprise=world.enterprise,
        data={"risk_class_override": "7", "risk_class_override_reason": "经办机构核定"},
    )
    client.force_login(world.people[role])
    pk = world.enterprise.pk
    pages = ["/enterprises/", f"/enterprises/{pk}/"]
    if role != R.AUDITOR:
        pages.append(f"/enterprises/{pk}/edit/")
    if role in (R.CITY_OFFICIAL, R.COUNTY_OFFICIAL, R.GRID_WORKER):
        pages.append("/enterprises/new/")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_words(response.content.decode()) == set(), url


def test_refusals_and_errors_on_the_form_read_in_chinese(client, world):
    client.force_login(world.people[R.COUNTY_OFFICIAL])
    response = client.submit(
        "/enterprises/new/",
        {
            "credit_code": "123",
            "name": "",
            "county": "370211",
            "industry": "9999",
            "size": "small",
            "latitude": "91",
            "risk_class_override": "3",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "未知的行业代码" in html or "行业" in html
    assert english_words(html) == set()


def test_a_refused_headcount_names_its_fields_in_chinese(client, world):
    client.force_login(world.people[R.COUNTY_OFFICIAL])
    url = f"/enterprises/{world.enterprise.pk}/"
    response = client.submit(
        url, {"action": "headcount", "year": "1990", "insured_headcount": "-4"}
    )
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html
    assert "参保人数" in html
    assert english_words(html) == set()
