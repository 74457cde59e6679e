"""One definition of person-times (人次): the headline equals the total of the table under it."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import Enrollment, SessionKind, TrainingSession
from yufang.training.tests.conftest import at, schedule, trainee

pytestmark = pytest.mark.django_db


def attend(session: TrainingSession, people: list[Any]) -> None:
    for t in people:
        Enrollment.objects.create(session=session, trainee=t, checked_in_at=session.starts_at)


@pytest.fixture
def held(world: Any, staff: Any, hall: Any) -> None:
    """This year: a hall session (3 present, 1 booked only) and an on-site session (2 present);
    last year: a hall session with 2 present; a cancelled session counts nothing."""
    admin = world.people[Role.ADMIN]
    people = [trainee(admin, world.enterprise, n) for n in range(1, 7)]
    today = timezone.localdate()
    days_back = min(today.timetuple().tm_yday - 1, 1)
    this_year = schedule(staff, hall, days=-days_back, hour=8)
    attend(this_year, people[:3])
    Enrollment.objects.create(session=this_year, trainee=people[3])
    onsite = svc.session_schedule(
        actor=world.people[Role.CITY_OFFICIAL],
        data=svc.SessionFields(
            kind=SessionKind.ONSITE,
            title="车间班组培训",
            topic="fire",
            trainer="赵老师",
            starts_at=at(-days_back, 14),
            ends_at=at(-days_back, 16),
            class_hours=Decimal("2"),
            capacity=30,
            enterprise=world.enterprise,
            location="一车间",
        ),
    )
    attend(onsite, people[3:5])
    last_year = schedule(staff, hall, days=-400)
    attend(last_year, people[:2])
    cancelled = schedule(staff, hall, days=-days_back, hour=12)
    attend(cancelled, people[5:])
    TrainingSession.objects.filter(pk=cancelled.pk).update(status="cancelled")


def figure(html: str, testid: str) -> int:
    found = re.search(rf'data-testid="{testid}">([\d,]+)<', html)
    assert found, f"{testid} is not on the page"
    return int(found.group(1).replace(",", ""))


def test_home_headline_equals_the_month_table_total(client: Any, world: Any, held: None) -> None:
    client.force_login(world.people[Role.CITY_OFFICIAL])
    html = client.get("/training/").content.decode()
    assert figure(html, "headline-person-times") == figure(html, "total-person-times") == 5
    year = timezone.localdate().year
    assert f"{year}年" in html or str(year) in html
    assert "人次" in html and "预约不计" in html  # the definition, stated on the page


@pytest.mark.parametrize("by", ["city", "base", "topic", "month"])
def test_statistics_headline_equals_the_table_total(
    client: Any, world: Any, held: None, by: str
) -> None:
    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    html = client.get(f"/training/statistics/?by={by}").content.decode()
    assert figure(html, "headline-person-times") == figure(html, "total-person-times") == 5
    if by == "base":
        assert "企业现场" in html  # the on-site sessions' row: they have no base


def test_campaign_progress_and_card_share_the_definition(world: Any, held: None) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    card = sel.training_card(official)
    assert card["person_times_this_year"] == 5
    assert card["person_times_total"] == 7
    assert "Bookings do not count" in card["person_times_definition"]
