"""Every outreach page, with records in it, opened in Simplified Chinese by the city official,
a judge, a grid worker and the public, asks for no message without a Chinese translation (the
platform-wide test opens only the pages without arguments)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from yufang.accounts.models import Role
from yufang.accounts.tests.records import Records
from yufang.outreach.tests.access import PAGES, build_records
from yufang.tests.test_every_page_in_chinese import untranslated  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_outreach_pages_are_all_in_chinese(client: Any, world: Any, untranslated: Any) -> None:  # noqa: F811
    records = Records()
    build_records(world, records)
    opened = 0
    people = [
        world.people[Role.CITY_OFFICIAL],
        world.people[Role.GRID_WORKER],
        world.people[Role.PROVINCE_OFFICIAL],
        None,
    ]
    for user in people:
        if user is None:
            client.logout()
        else:
            client.force_login(user)
        for name, page in PAGES.items():
            kwargs: dict[str, Any] = dict(page.args)
            if page.kind is not None:
                kwargs["pk"] = records.inside[page.kind]
            path = reverse(name, kwargs=kwargs)
            untranslated.page = f"{path} ({getattr(user, 'role', 'public')})"
            response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
            opened += response.status_code == 200
    assert opened > 40, opened
    report = "\n".join(
        f"{msgid!r} on {', '.join(sorted(pages)[:3])}"
        for msgid, pages in sorted(untranslated.seen.items())
    )
    assert not untranslated.seen, report
