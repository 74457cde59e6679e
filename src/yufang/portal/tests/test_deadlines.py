"""A new worker's registration deadline (30 days from the start of employment): the
enterprise's inbox warns as it nears and flags it late after; the daily run tells the
enterprise once per stage, however often it runs."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.notifications.models import Notification
from yufang.portal import selectors, services
from yufang.portal.models import RosterDeadlineNotice
from yufang.portal.tasks import send_roster_deadline_warnings
from yufang.portal.tests.factories import roster_add

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def told(manager: Any, word: str) -> int:
    return Notification.objects.filter(recipient=manager, title__contains=word).count()


def test_the_inbox_warns_as_a_new_workers_deadline_nears_and_flags_it_late(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    roster_add(manager, 1, "张三", effective_on=days(-25))  # deadline in 5 days
    roster_add(manager, 2, "李四", effective_on=days(-40))  # deadline 10 days ago
    roster_add(manager, 3, "王五", effective_on=days(-5))  # deadline in 25 days: not yet

    texts = [i.text for i in selectors.inbox_items(manager) if i.kind == "deadline"]
    assert any("张三" in t and days(5).isoformat() in t and "Register" in t for t in texts)
    assert any("李四" in t and t.startswith("Late") for t in texts)
    assert not any("王五" in t for t in texts)


def test_the_daily_run_tells_each_stage_once(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    change = roster_add(manager, 1, "张三", effective_on=days(-25))

    assert services.roster_deadline_warnings_send(today=TODAY) == 1
    assert services.roster_deadline_warnings_send(today=TODAY) == 0
    assert told(manager, "Register 1 new workers") == 1
    assert services.roster_deadline_warnings_send(today=days(3)) == 0

    # The deadline passes: told once more, that it is late.
    assert services.roster_deadline_warnings_send(today=days(6)) == 1
    assert services.roster_deadline_warnings_send(today=days(7)) == 0
    assert told(manager, "not registered") == 1
    assert set(
        RosterDeadlineNotice.objects.filter(roster_change=change).values_list("stage", flat=True)
    ) == {"near", "late"}


def test_a_worker_first_seen_late_is_told_late_only(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    roster_add(manager, 1, "张三", effective_on=days(-40))
    services.roster_deadline_warnings_send(today=TODAY)
    assert told(manager, "not registered") == 1
    assert told(manager, "Register 1 new") == 0


def test_an_approved_worker_or_one_starting_later_is_not_warned_of(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    approved = roster_add(manager, 1, "张三", effective_on=days(-28))
    services.roster_change_decide(
        actor=world.people[Role.COUNTY_OFFICIAL], change=approved, approve=True
    )
    roster_add(manager, 2, "王五", effective_on=days(10))  # planned: deadline in 40 days
    assert services.roster_deadline_warnings_send(today=TODAY) == 0
    assert not [i for i in selectors.inbox_items(manager) if i.kind == "deadline"]


def test_a_refused_worker_stays_warned_of_until_added_again(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    county = world.people[Role.COUNTY_OFFICIAL]
    refused = roster_add(manager, 1, "张三", effective_on=days(-26))
    services.roster_change_decide(actor=county, change=refused, approve=False, note="材料不全")
    assert [
        u.change.pk
        for u in selectors.unregistered_adds(refused.enterprise.roster_changes.all(), TODAY)
    ] == [refused.pk]
    again = roster_add(manager, 1, "张三", effective_on=days(-26))
    found = selectors.unregistered_adds(refused.enterprise.roster_changes.all(), TODAY)
    assert [u.change.pk for u in found] == [again.pk]


def test_the_command_and_the_task_do_the_same_and_repeat_nothing(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    roster_add(manager, 1, "张三", effective_on=days(-25))
    out = StringIO()
    call_command("roster_deadlines", "--today", TODAY.isoformat(), stdout=out)
    assert f"{TODAY.isoformat()}: 1 " in out.getvalue()
    assert send_roster_deadline_warnings.delay(TODAY.isoformat()).get() == 0
    assert send_roster_deadline_warnings.delay(days(6).isoformat()).get() == 1


def test_the_desk_flags_a_worker_submitted_after_the_deadline(world: Any) -> None:
    manager = world.people[Role.SAFETY_MANAGER]
    roster_add(manager, 1, "张三", effective_on=days(-40))
    roster_add(manager, 2, "李四", effective_on=days(-3))
    rows = {
        c.person_name: c
        for c in selectors.pending_for_desk(world.people[Role.COUNTY_OFFICIAL])["roster"]
    }
    assert rows["张三"].registered_late and not rows["李四"].registered_late
