from __future__ import annotations

import datetime as dt
import importlib
import io

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from yufang.accounts.models import User
from yufang.support.demo import make_context
from yufang.training import selectors as sel
from yufang.training.models import Campaign, Certificate, Enrollment, Question, TrainingBase

FOUNDATION = ["regions", "organisations", "enterprises", "accounts", "training"]


@pytest.mark.django_db
def test_demo_tells_a_year_of_training_with_real_figures() -> None:
    ctx = make_context(2021, io.StringIO())
    for app in FOUNDATION:
        importlib.import_module(f"yufang.{app}.demo").seed(ctx)

    base = TrainingBase.objects.get()
    institution = User.objects.get(username="institution")
    assert base.institution_id == institution.institution_id
    assert base.halls.count() >= 10
    assert Question.objects.count() == 60

    biggest = (
        Enrollment.objects.filter(checked_in_at__isnull=False)
        .values("session", "enterprise")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert biggest is not None and biggest["n"] == 127

    province = User.objects.get(username="province")
    assert sel.sessions_held(province).count() > 200
    assert sel.training_card(province)["person_times_total"] > 5000

    campaign = Campaign.objects.get()
    assert campaign.region.code == "371500"
    progress = sel.campaign_progress(campaign)
    assert progress["sessions"] > 0 and progress["person_times"] > 0

    worker = User.objects.get(username="worker")
    assert sel.attendances(worker).count() >= 3
    assert sel.certificates_visible(worker).exists()
    assert sel.attempts_visible(worker).filter(passed=True).exists()
    assert Certificate.objects.filter(revoked_at__isnull=False).exists()
    assert sel.certificates_expiring(province).exists()
    # The demo's year runs back from today: take a year that holds most of it.
    year = (timezone.localdate() - dt.timedelta(days=150)).year
    rows = sel.training_statistics(province, year=year, dimension="city")
    assert {r["key"] for r in rows} >= {"370200", "371500"}
    assert all(r["pass_rate"] is not None for r in rows)

    # Issue 15: the demo county official sees the sessions its enterprises booked (it saw none),
    # the grid worker only its grid's enterprises' (it saw hundreds of the city's).
    county = User.objects.get(username="county")
    gridworker = User.objects.get(username="gridworker")
    big_session = biggest["session"]
    assert sel.sessions_visible(county).filter(pk=big_session).exists()
    assert sel.sessions_visible(gridworker).filter(pk=big_session).exists()
    grid_sessions = sel.sessions_visible(gridworker).count()
    assert 0 < grid_sessions < sel.sessions_visible(User.objects.get(username="city")).count()
    assert (
        not sel.sessions_visible(gridworker)
        .exclude(
            Q(enterprise__grid_id=gridworker.grid_id)
            | Q(enrollments__trainee__enterprise__grid_id=gridworker.grid_id)
            | Q(enrollments__enterprise__grid_id=gridworker.grid_id)
        )
        .exists()
    )
    # One definition of person-times: the year's headline equals its table's total.
    card = sel.training_card(province, year=year)
    assert card["person_times_this_year"] == sum(r["person_times"] for r in rows)
