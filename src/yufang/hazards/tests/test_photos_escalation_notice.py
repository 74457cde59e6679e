from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.hazards import services
from yufang.hazards.models import (
    Escalation,
    Hazard,
    HazardLevel,
    HazardStatistic,
    Photo,
    RectificationNotice,
)
from yufang.hazards.pdf import notice_pdf, notice_token
from yufang.hazards.tasks import escalate_hazards, generate_previous_period_statistics
from yufang.hazards.tests.conftest import jpeg_with_exif, pdf_text, png
from yufang.notifications.models import Notification
from yufang.support.topics import Topic

pytestmark = pytest.mark.django_db


def report(world: Any, level: str = HazardLevel.ORDINARY, enterprise: Any = None) -> Hazard:
    return services.hazard_report(
        actor=world.people[Role.COUNTY_OFFICIAL],
        enterprise=enterprise or world.enterprise,
        topic=Topic.ELECTRICAL,
        level=level,
        description="配电箱未接地",
    )


# --- photos -------------------------------------------------------------------------------------


def test_a_text_file_named_like_a_photo_is_refused(world: Any) -> None:
    hazard = report(world)
    fake = SimpleUploadedFile("photo.jpg", b"not really an image", content_type="image/jpeg")
    with pytest.raises(services.HazardInvalid) as exc:
        services.photo_add(
            actor=world.people[Role.COUNTY_OFFICIAL], upload=fake, kind="finding", hazard=hazard
        )
    assert "photo" in exc.value.errors
    assert Photo.objects.count() == 0


def test_a_photo_over_the_size_limit_is_refused(world: Any, settings: Any) -> None:
    settings.HAZARD_PHOTO_MAX_BYTES = 100
    hazard = report(world)
    with pytest.raises(services.HazardInvalid):
        services.photo_add(
            actor=world.people[Role.COUNTY_OFFICIAL],
            upload=png(size=(64, 64)),
            kind="finding",
            hazard=hazard,
        )
    assert Photo.objects.count() == 0


def test_photo_time_and_place_come_from_exif(world: Any) -> None:
    hazard = report(world)
    photo = services.photo_add(
        actor=world.people[Role.COUNTY_OFFICIAL],
        upload=jpeg_with_exif(),
        kind="finding",
        hazard=hazard,
    )
    local = timezone.localtime(photo.taken_at)
    assert (local.year, local.month, local.day, local.hour) == (2025, 3, 4, 9)
    assert photo.latitude == Decimal("36.100000") and photo.longitude == Decimal("120.500000")


def test_place_typed_in_the_form_wins_and_is_checked(world: Any) -> None:
    hazard = report(world)
    photo = services.photo_add(
        actor=world.people[Role.COUNTY_OFFICIAL],
        upload=png(),
        kind="finding",
        hazard=hazard,
        latitude="35.9",
        longitude="120.1",
    )
    assert photo.latitude == Decimal("35.9")
    with pytest.raises(services.HazardInvalid) as exc:
        services.photo_add(
            actor=world.people[Role.COUNTY_OFFICIAL],
            upload=png(),
            kind="finding",
            hazard=hazard,
            latitude="95",
        )
    assert "latitude" in exc.value.errors


# --- escalation -----------------------------------------------------------------------------------


def test_escalation_rises_from_county_to_city_and_is_idempotent(world: Any) -> None:
    major = report(world, HazardLevel.MAJOR)
    overdue = report(world)
    ordinary = report(world)
    Hazard.objects.filter(pk=overdue.pk).update(
        deadline=timezone.localdate() - dt.timedelta(days=2)
    )
    now = timezone.now()
    assert escalate_hazards(now.isoformat()) == 2
    assert escalate_hazards(now.isoformat()) == 0  # idempotent
    county = Escalation.objects.get(hazard=major)
    assert county.level == "county" and county.region == world.enterprise.county
    assert not Escalation.objects.filter(hazard=ordinary).exists()
    assert Notification.objects.filter(recipient=world.people[Role.COUNTY_OFFICIAL]).exists()
    # Before the delay (72 h in hazards.yaml) nothing rises.
    assert escalate_hazards((now + dt.timedelta(hours=71)).isoformat()) == 0
    # The county answers one; the other rises to the city after the delay.
    services.escalation_answer(
        actor=world.people[Role.COUNTY_OFFICIAL], escalation=county, answer="已督办"
    )
    later = now + dt.timedelta(hours=73)
    assert escalate_hazards(later.isoformat()) == 1
    city = Escalation.objects.get(hazard=overdue, level="city")
    assert city.region == world.enterprise.city and city.round == 1
    assert escalate_hazards(later.isoformat()) == 0
    # An unanswered city escalation is sent again after the delay.
    assert escalate_hazards((later + dt.timedelta(hours=73)).isoformat()) == 1
    assert Escalation.objects.filter(hazard=overdue, level="city", round=2).exists()


def test_only_the_officials_escalated_to_may_answer(world: Any) -> None:
    report(world, HazardLevel.MAJOR)
    escalate_hazards()
    escalation = Escalation.objects.get()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.escalation_answer(
            actor=world.jinan_city_official, escalation=escalation, answer="x"
        )
    with pytest.raises(services.HazardInvalid):
        services.escalation_answer(
            actor=world.people[Role.COUNTY_OFFICIAL], escalation=escalation, answer=" "
        )


# --- notice -----------------------------------------------------------------------------------------


def test_rectification_notice_pdf_lists_hazards_in_chinese(world: Any) -> None:
    hazards = [report(world), report(world, HazardLevel.MAJOR)]
    notice = services.notice_issue(
        actor=world.people[Role.COUNTY_OFFICIAL], enterprise=world.enterprise, hazards=hazards
    )
    assert notice.number.startswith(f"ZG{timezone.localdate().year}-")
    data = notice_pdf(notice, base_url="https://yufang.example", compress=False)
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "隐患整改通知书" in text
    assert world.enterprise.name in text
    assert "配电箱未接地" in text and "重大隐患" in text
    assert hazards[0].deadline.isoformat() in text
    assert b"/Subtype /Image" in data  # the QR code


def test_notice_for_another_enterprises_hazard_is_refused(world: Any) -> None:
    other = report(world, enterprise=world.other_enterprise)
    with pytest.raises(services.HazardInvalid):
        services.notice_issue(
            actor=world.people[Role.COUNTY_OFFICIAL], enterprise=world.enterprise, hazards=[other]
        )
    assert RectificationNotice.objects.count() == 0


def test_public_verification_page_shows_status_without_personal_data(
    world: Any, client: Any
) -> None:
    hazard = report(world)
    notice = services.notice_issue(
        actor=world.people[Role.COUNTY_OFFICIAL], enterprise=world.enterprise, hazards=[hazard]
    )
    response = client.get(f"/hazards/notices/verify/{notice_token(notice)}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert notice.number in body and world.enterprise.name in body
    assert world.people[Role.COUNTY_OFFICIAL].full_name not in body
    assert client.get(f"/hazards/notices/verify/{notice.pk}/").status_code == 404


# --- statistics -------------------------------------------------------------------------------


def test_quarterly_statistics_count_found_closed_open_and_overdue(world: Any) -> None:
    tz = timezone.get_current_timezone()
    in_q1 = dt.datetime(2025, 2, 10, 9, tzinfo=tz)
    a, b, c = report(world), report(world, HazardLevel.MAJOR), report(world)
    Hazard.objects.filter(pk=a.pk).update(
        reported_at=in_q1, status="closed", closed_at=dt.datetime(2025, 3, 1, tzinfo=tz)
    )
    Hazard.objects.filter(pk=b.pk).update(reported_at=in_q1, deadline=dt.date(2025, 3, 10))
    Hazard.objects.filter(pk=c.pk).update(reported_at=dt.datetime(2025, 4, 2, tzinfo=tz))
    rows = services.statistics_generate(kind="quarter", year=2025, quarter=1)
    assert rows == 1
    stat = HazardStatistic.objects.get(period_start=dt.date(2025, 1, 1))
    assert (stat.found_ordinary, stat.found_major) == (1, 1)
    assert (stat.closed_ordinary, stat.open_at_end, stat.overdue_at_end) == (1, 1, 1)
    assert services.statistics_generate(kind="quarter", year=2025, quarter=1) == 1  # replaces
    assert HazardStatistic.objects.filter(period_start=dt.date(2025, 1, 1)).count() == 1
    assert services.statistics_due("quarter", dt.date(2025, 3, 31)) == dt.date(2025, 4, 15)
    assert services.statistics_due("year", dt.date(2025, 12, 31)) == dt.date(2026, 1, 31)


def test_the_periodic_task_generates_the_quarter_that_ended_and_in_january_the_year(
    world: Any,
) -> None:
    report(world)
    Hazard.objects.update(
        reported_at=dt.datetime(2025, 11, 5, tzinfo=timezone.get_current_timezone())
    )
    assert generate_previous_period_statistics("2026-01-01") == 2
    kinds = set(HazardStatistic.objects.values_list("kind", "period_start"))
    assert kinds == {("quarter", dt.date(2025, 10, 1)), ("year", dt.date(2025, 1, 1))}


def test_a_future_period_is_refused() -> None:
    with pytest.raises(services.HazardInvalid):
        services.statistics_generate(kind="year", year=timezone.localdate().year + 1)


def test_an_unknown_kind_of_photo_is_refused(world: Any) -> None:
    hazard = report(world)
    with pytest.raises(services.HazardInvalid) as exc:
        services.photo_add(
            actor=world.people[Role.COUNTY_OFFICIAL], upload=png(), kind="selfie", hazard=hazard
        )
    assert "kind" in exc.value.errors
