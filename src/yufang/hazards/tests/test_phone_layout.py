"""The hazard list and the hazard and assessment pages read on a 390-px phone: cards, not a
table squeezed to a character a line, and no title under a button."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.conftest import assert_fits_phone, browser_login
from yufang.hazards import services
from yufang.hazards.models import AnswerResult, HazardLevel
from yufang.support.topics import Topic
from yufang.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG = "青岛黄岛经济技术开发区海洋精细化工新材料股份有限公司"


def busy(world: Any) -> dict[str, Any]:
    """Hazards with long descriptions at an enterprise with a long name, one found by an
    assessment assigned to the institution."""
    services.checklists_import()
    e = world.enterprise
    e.name = LONG
    e.save()
    county = world.people[Role.COUNTY_OFFICIAL]
    staff = world.people[Role.INSTITUTION_STAFF]
    assessment = services.assessment_create(
        actor=world.people[Role.CITY_OFFICIAL],
        enterprise=e,
        checklist_key="T09",
        method="site_survey",
        institution_id=staff.institution_id,
    )
    items = list(assessment.checklist.items.all())
    services.assessment_record(
        actor=staff,
        assessment=assessment,
        answers={
            i.pk: (
                AnswerResult.FAIL if n < 3 else AnswerResult.PASS,
                "入口处未见警示标志和通风设备",
            )
            for n, i in enumerate(items)
        },
        lec=("3", "6", "7"),
    )
    services.measurement_add(
        actor=staff,
        assessment=assessment,
        agent="noise",
        sample_type="twa_8h",
        value="92",
        unit="dB(A)",
        location="冲压车间东侧",
    )
    found = services.assessment_complete(actor=staff, assessment=assessment)
    for level in (HazardLevel.MAJOR, HazardLevel.ORDINARY):
        services.hazard_report(
            actor=county,
            enterprise=e,
            topic=Topic.CONFINED_SPACE,
            level=level,
            description="有限空间作业未执行先通风、再检测、后作业的要求，作业现场未设置监护人员",
        )
    return {"assessment": assessment, "hazard": found[0]}


def walk(page: Any, urls: list[str]) -> None:
    for url in urls:
        page.goto(f"{page.base_url}{url}")
        assert page.locator("h2.page-title").first.is_visible()
        assert_fits_phone(page)
        assert_title_clear_of_buttons(page)


def assert_title_clear_of_buttons(page: Any) -> None:
    """The page title does not overlap any button or link of the header."""
    overlaps = page.evaluate(
        """() => {
          const t = document.querySelector('h2.page-title');
          if (!t) return [];
          const a = t.getBoundingClientRect();
          return [...document.querySelectorAll('.page-header .btn')]
            .filter(b => b.offsetParent !== null)
            .filter(b => { const r = b.getBoundingClientRect();
              return !(r.right <= a.left || r.left >= a.right || r.bottom <= a.top || r.top >= a.bottom); })
            .map(b => b.innerText.trim());
        }"""
    )
    assert not overlaps, f"the title runs under {overlaps}"


def test_safety_manager_reads_hazards_on_a_phone(phone_page: Any, world: Any) -> None:
    made = busy(world)
    browser_login(phone_page, world.people[Role.SAFETY_MANAGER].username, TEST_PASSWORD)
    walk(phone_page, ["/hazards/list/", f"/hazards/{made['hazard'].pk}/"])
    phone_page.goto(f"{phone_page.base_url}/hazards/list/")
    # Cards, one a hazard, each whole: not a six-column table squeezed into 390 px.
    assert not phone_page.locator("[data-testid=hazard-table]").is_visible()
    cards = phone_page.locator("[data-testid=hazard-card]")
    assert cards.count() == 6
    texts = " ".join(cards.all_inner_texts())
    assert "有限空间作业未执行先通风" in texts and LONG in texts and "重大" in texts
    assert_readable_width(phone_page, "[data-testid=hazard-card]")


def assert_readable_width(page: Any, selector: str) -> None:
    """Every element matched spans most of the phone's width (a card, not a column)."""
    narrow = page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
          .filter(e => e.offsetParent !== null && e.getBoundingClientRect().width < 300)
          .map(e => e.innerText.trim().slice(0, 20))""",
        selector,
    )
    assert not narrow, f"narrower than 300 px: {narrow[:3]}"


def test_institution_staff_read_hazards_and_assessments_on_a_phone(
    phone_page: Any, world: Any
) -> None:
    made = busy(world)
    browser_login(phone_page, world.people[Role.INSTITUTION_STAFF].username, TEST_PASSWORD)
    walk(
        phone_page,
        [
            "/hazards/list/",
            f"/hazards/{made['hazard'].pk}/",
            "/hazards/assessments/",
            f"/hazards/assessments/{made['assessment'].pk}/",
            "/hazards/queue/",
        ],
    )
    phone_page.goto(f"{phone_page.base_url}/hazards/assessments/")
    assert not phone_page.locator("[data-testid=assessment-table]").is_visible()
    assert LONG in phone_page.locator("[data-testid=assessment-card]").first.inner_text()
    assert_readable_width(phone_page, "[data-testid=assessment-card]")
    phone_page.goto(f"{phone_page.base_url}/hazards/list/")
    assert phone_page.locator("[data-testid=hazard-card]").count() == 4  # the assessment's
    assert_readable_width(phone_page, "[data-testid=hazard-card]")
