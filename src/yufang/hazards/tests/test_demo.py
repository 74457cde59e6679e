from __future__ import annotations

import importlib
import io
from typing import Any

import pytest

from yufang.accounts.models import User
from yufang.hazards.models import Escalation, Hazard, HazardStatistic, HazardStatus
from yufang.hazards.selectors import escalations_for, hazards_visible, with_overdue
from yufang.support.demo import make_context


@pytest.mark.django_db
def test_demo_gives_the_demo_accounts_hazards_and_escalations() -> None:
    ctx = make_context(2021, io.StringIO())
    for app in ["regions", "organisations", "enterprises", "hazards", "accounts"]:
        importlib.import_module(f"yufang.{app}.demo").seed(ctx)
    assert 200 <= Hazard.objects.count() <= 600
    statuses = set(Hazard.objects.values_list("status", flat=True))
    assert {HazardStatus.CLOSED, HazardStatus.RECTIFYING, HazardStatus.SUBMITTED} <= statuses
    manager = User.objects.get(username="enterprise")
    own: Any = hazards_visible(manager)
    assert own.exclude(status=HazardStatus.CLOSED).count() >= 3
    assert with_overdue(own).exists()
    assert escalations_for(User.objects.get(username="county")).exists()
    assert escalations_for(User.objects.get(username="city")).exists()
    assert Escalation.objects.filter(answered_at__isnull=False).exists()
    assert HazardStatistic.objects.exists()
    # Every demo measurement above its limit is a registered occupational-disease finding.
    from yufang.hazards.models import Measurement
    from yufang.hazards.scoring import exceedance
    from yufang.support.topics import Topic

    over = [
        m
        for m in Measurement.objects.all()
        if exceedance(
            agent=m.agent, sample_type=m.sample_type, value=m.value, sampled_on=m.sampled_on
        ).exceeded
    ]
    assert over
    findings = Hazard.objects.filter(topic=Topic.OCCUPATIONAL_HEALTH, checklist_item=None)
    assert findings.filter(description__contains="倍").count() == len(over)
