"""Every council page with records on it, opened in Chinese by the city official and the
liaison, asks for no message without a Chinese translation."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.council import services
from yufang.council.tests.factories import council_for
from yufang.council.tests.test_meetings_and_tasks import png
from yufang.tests.factories import region
from yufang.tests.test_every_page_in_chinese import untranslated  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_council_pages_ask_for_no_untranslated_message(
    client: Any,
    world: Any,
    untranslated: Any,  # noqa: F811 - the imported fixture
) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    liaison = world.people[Role.DEPARTMENT_LIAISON]
    c = council_for(city)
    services.attachment_add(actor=city, meeting=c.meeting, upload=png())
    services.attendance_record(actor=city, meeting=c.meeting, department=c.health, status="present")
    report = services.progress_report(actor=liaison, task=c.task, note="进展", evidence=png())
    year = timezone.localdate().year
    plan = services.work_plan_create(actor=city, region=region("370200"), year=year)
    services.work_plan_item_add(actor=city, plan=plan, title="事项", source="council_tasks")
    yearly = services.yearly_report_create(actor=city, region=region("370200"), year=year)
    pages = [
        "/council/",
        f"/council/{c.joint_meeting.pk}/",
        f"/council/meetings/{c.meeting.pk}/",
        f"/council/tasks/{c.task.pk}/",
        "/council/board/",
        "/council/plans/",
        f"/council/plans/{plan.pk}/",
        "/council/shared/",
        "/council/exchange/",
        "/council/reports/",
        f"/council/reports/{yearly.pk}/",
    ]
    for user in (city, liaison, world.people[Role.COUNTY_OFFICIAL]):
        client.force_login(user)
        for path in pages:
            untranslated.page = f"{path} ({user.role})"
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert response.status_code == 200, (path, user.role, response.status_code)
    assert report.pk
    services.meeting_update(actor=city, meeting=c.meeting, minutes="纪要")
    services.meeting_close(actor=city, meeting=c.meeting)
    client.force_login(city)
    untranslated.page = "closed meeting"
    client.get(f"/council/meetings/{c.meeting.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    report_text = "\n".join(
        f"{m!r} on {', '.join(sorted(p)[:3])}" for m, p in sorted(untranslated.seen.items())
    )
    assert not untranslated.seen, report_text
