"""The demo gives every journey something to walk; the daily task and the command send the
deadline warnings once; the home page's to-dos say what is due."""

from __future__ import annotations

import datetime as dt
import importlib
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from yufang.accounts.models import Role, User
from yufang.notifications.models import Notification
from yufang.recognition import clock, selectors
from yufang.recognition.models import ApplicationStatus, RecognitionApplication
from yufang.recognition.tasks import send_deadline_warnings
from yufang.recognition.tests import factories as f
from yufang.support.demo import make_context
from yufang.support.todos import todos_for

pytestmark = pytest.mark.django_db


def test_demo_gives_each_account_applications_at_every_step() -> None:
    ctx = make_context(2021, io.StringIO())
    for app in ["regions", "organisations", "enterprises", "accounts", "recognition"]:
        importlib.import_module(f"yufang.{app}.demo").seed(ctx)
    statuses = set(RecognitionApplication.objects.values_list("status", flat=True))
    assert {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.MATERIALS_REQUESTED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.SUSPENDED,
        ApplicationStatus.RECOGNISED,
    } <= statuses
    county = User.objects.get(username="county")
    board = selectors.board(county)
    assert board["overdue"] >= 1 and board["counts"]["submitted"] >= 1
    assert selectors.board(User.objects.get(username="city"))["counts"]["submitted"] >= 2
    manager = User.objects.get(username="enterprise")
    texts = " ".join(str(t.text) for t in todos_for(manager))
    assert "materials" in texts and "Apply for injury recognition" in texts
    assert any("overdue" in str(t.text) or "was due" in str(t.text) for t in todos_for(county))


def test_the_task_and_the_command_warn_once(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    a = f.application(world.people[Role.SAFETY_MANAGER], world.enterprise)
    due = clock.check_due(a)
    assert due is not None
    day = (due - dt.timedelta(days=2)).isoformat()
    assert send_deadline_warnings(day) == 1
    out = io.StringIO()
    call_command("recognition_warnings", "--today", day, stdout=out)
    assert out.getvalue().startswith("0 warning")
    assert Notification.objects.filter(recipient=county, title__contains="Check").count() == 1


def test_bureau_todos_flag_an_overdue_decision(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    a = f.application(world.people[Role.SAFETY_MANAGER], world.enterprise)
    from yufang.recognition import services

    services.application_accept(actor=county, application=a)
    RecognitionApplication.objects.filter(pk=a.pk).update(
        accepted_on=timezone.localdate() - dt.timedelta(days=61)
    )
    todos = [t for t in todos_for(county) if "/recognition/" in t.url]
    assert todos and todos[0].level == "danger"
    assert todos_for(world.people[Role.GRID_WORKER]) is not None
