"""A limit a region counts in working days: the recognition clock reads the province's
working-day calendar (a holiday rests, a make-up Saturday works) for that region only. The
rule and the dates are the test's own: no Shandong region has such a rule, and the holidays
are not any year's official ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from yufang.accounts.models import Role
from yufang.policy.tests.overrides import set_parameter
from yufang.recognition import clock, services
from yufang.recognition.models import RecognitionApplication
from yufang.recognition.tests import factories as f

pytestmark = [pytest.mark.django_db]

MON = dt.date(2030, 9, 30)


def _calendar(actor: Any) -> None:
    from yufang.policy.services import calendar_day_add

    for n in range(1, 8):  # Tuesday 1 to Monday 7 October rest
        calendar_day_add(actor=actor, day=MON + dt.timedelta(days=n), kind="rest_day", name="节")
    calendar_day_add(actor=actor, day=dt.date(2030, 10, 12), kind="working_day", name="调休")


def _decided_on(application: RecognitionApplication, day: dt.date) -> RecognitionApplication:
    RecognitionApplication.objects.filter(pk=application.pk).update(
        decided_on=day,
        accepted_on=day - dt.timedelta(days=10),
        received_on=day - dt.timedelta(days=10),
        accident_date=day - dt.timedelta(days=12),
    )
    return RecognitionApplication.objects.get(pk=application.pk)


def test_the_letter_delivery_counts_working_days_where_the_region_says_so(
    client: Any, world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _calendar(world.people[Role.PROVINCE_OFFICIAL])
    set_parameter(
        monkeypatch,
        "limit_day_counting",
        {"decision_letter_delivery_days": {world.enterprise.county.code: 10}},
        since=dt.date(2030, 1, 1),
    )
    county = world.people[Role.COUNTY_OFFICIAL]
    manager = world.people[Role.SAFETY_MANAGER]
    a = f.application(manager, world.enterprise)
    services.application_accept(actor=county, application=a)
    services.application_decide(actor=county, application=a, recognised=False, reason="不符合")
    a = _decided_on(a, MON)
    # 8 to 11 October, Saturday 12 (make-up), 14 to 18 October: the tenth working day.
    assert clock.letter_due(a) == dt.date(2030, 10, 18)
    client.force_login(county)
    page = client.get(reverse("recognition:application_detail", args=[a.pk])).content.decode()
    assert "2030-10-18" in page and "本地区部分时限按工作日计算" in page
    # Another region keeps the national 20 calendar days.
    jinan = f.application(
        f.manager_of(world.jinan_enterprise),
        world.jinan_enterprise,
    )
    official = world.jinan_city_official
    services.application_accept(actor=official, application=jinan)
    services.application_decide(
        actor=official, application=jinan, recognised=False, reason="不符合"
    )
    jinan = _decided_on(jinan, MON)
    assert clock.letter_due(jinan) == MON + dt.timedelta(days=20)


def test_the_check_of_the_materials_counts_working_days_city_wide(
    world: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _calendar(world.people[Role.PROVINCE_OFFICIAL])
    set_parameter(
        monkeypatch,
        "limit_day_counting",
        {"materials_check_days": {world.enterprise.city.code: 5}},
        since=dt.date(2030, 1, 1),
    )
    a = f.application(world.people[Role.SAFETY_MANAGER], world.enterprise)
    RecognitionApplication.objects.filter(pk=a.pk).update(
        received_on=MON, accident_date=dt.date(2030, 9, 20)
    )
    a = RecognitionApplication.objects.get(pk=a.pk)
    # 8, 9, 10, 11 October and the make-up Saturday 12.
    assert clock.check_due(a) == dt.date(2030, 10, 12)
