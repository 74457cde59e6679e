"""The audit log reads as a person would: record kinds and fields by name, values as the
pages show them, times in local time, in the reader's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.audit.services import audit_update, snapshot
from yufang.tests.factories import region

pytestmark = pytest.mark.django_db


def test_the_log_names_records_fields_and_values_in_chinese(client, world):
    official = world.people[Role.COUNTY_OFFICIAL]
    enterprise = world.enterprise
    before = snapshot(enterprise)
    enterprise.county = region("370281")
    enterprise.is_key_industry = False
    enterprise.save()
    audit_update(official, enterprise, before, reason="区划调整")
    entry = AuditEntry.objects.get(action="update", object_id=str(enterprise.pk))
    AuditEntry.objects.filter(pk=entry.pk).update(at=dt.datetime(2026, 3, 1, 1, 30, tzinfo=dt.UTC))

    client.force_login(world.people[Role.AUDITOR])
    html = client.get("/audit/?model=enterprises.Enterprise").content.decode()
    table = html[html.index('data-testid="audit-table"') :]
    assert "2026-03-01 09:30:00" in table  # Asia/Shanghai, not UTC
    assert "企业" in table and "enterprises.Enterprise" not in table
    assert "黄岛区 → 胶州市" in table  # the region by name, not its id
    assert "是 → 否" in table
    for raw in ("county_id", "is_key_industry", "None", "True", "False"):
        assert raw not in table, raw
    assert "区划调整" in table


def test_the_export_is_readable_too(client, world):
    from io import BytesIO

    from openpyxl import load_workbook

    official = world.people[Role.COUNTY_OFFICIAL]
    before = snapshot(world.enterprise)
    world.enterprise.county = region("370281")
    world.enterprise.save()
    audit_update(official, world.enterprise, before)
    client.force_login(world.people[Role.AUDITOR])
    response = client.get("/audit/?export=xlsx")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    row = next(r for r in rows[1:] if r[4] == str(world.enterprise.pk))
    assert row[3] == "企业"
    assert "黄岛区 → 胶州市" in row[6]
    local = timezone.localtime(AuditEntry.objects.get(action="update").at)
    assert row[0] == local.strftime("%Y-%m-%d %H:%M:%S")
