from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from yufang.hazards.models import Checklist, ChecklistItem

pytestmark = pytest.mark.django_db


def test_import_checklists_loads_16_topics_and_211_items_once() -> None:
    out = io.StringIO()
    call_command("import_checklists", stdout=out)
    call_command("import_checklists", stdout=out)
    assert "16 checklists created" in out.getvalue() and "0 checklists created" in out.getvalue()
    assert Checklist.objects.count() == 16
    assert ChecklistItem.objects.count() == 211
    assert ChecklistItem.objects.filter(is_confirmed=False).exists()
    assert ChecklistItem.objects.filter(is_major=True).exists()


def test_hazard_statistics_command(world: Any) -> None:
    out = io.StringIO()
    call_command("hazard_statistics", "2025Q1", stdout=out)
    assert "2025Q1" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("hazard_statistics", "2025Q9")


def test_periodic_schedules_are_declared_in_code() -> None:
    from yufang.celery import app

    schedule = app.conf.beat_schedule
    assert schedule["hazards-escalate"]["task"] == "yufang.hazards.tasks.escalate_hazards"
    assert (
        schedule["hazards-statistics"]["task"]
        == "yufang.hazards.tasks.generate_previous_period_statistics"
    )
