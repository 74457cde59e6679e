"""The working-day calendar as the province's official keeps it: the page (list, add,
remove, import, export), the API with a bearer token, who may write and who may only read.
The dates are the tests' own, not any year's official holidays."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from yufang.accounts.models import Role

CSV = "日期,类别,名称\n2030-10-01,放假,国庆节\n2030-10-02,放假,国庆节\n2030-10-12,调休上班,国庆节调休\n"


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("days.csv", text.encode(), content_type="text/csv")


def _days() -> list[tuple[str, str]]:
    from yufang.policy.models import CalendarDay

    return [(d.day.isoformat(), d.kind) for d in CalendarDay.objects.order_by("day")]


@pytest.mark.django_db
def test_the_province_official_records_imports_and_removes_days(client: Any, world: Any) -> None:
    from yufang.policy.models import CalendarDay

    client.force_login(world.people[Role.PROVINCE_OFFICIAL])
    page = reverse("policy:days")
    empty = client.get(page).content.decode()
    assert "工作日历" in empty and "尚未登记任何日期" in empty
    new = reverse("policy:day_new")
    weekday = client.submit(
        page, action=new, data={"day": "2030-10-09", "kind": "working_day", "name": "x"}
    )
    assert weekday.status_code == 200 and "本来就是工作日" in weekday.content.decode()
    bad = client.submit(page, action=new, data={"day": "2030-13-01", "kind": "rest_day"})
    assert "YYYY-MM-DD" in bad.content.decode()
    done = client.submit(
        page, action=new, data={"day": "2030-10-03", "kind": "rest_day", "name": "国庆节"}
    )
    assert done.status_code == 302
    again = client.submit(page, action=new, data={"day": "2030-10-03", "kind": "rest_day"})
    assert "已在日历中" in again.content.decode()
    # A file with one bad row is refused whole, naming the row.
    broken = CSV + "2030-10-15,调休上班,周二\n"
    imports = reverse("policy:days_import")
    refused = client.submit(page, {"file": _csv(broken)}, action=imports)
    assert "第 5 行" in refused.content.decode() and "本来就是工作日" in refused.content.decode()
    assert _days() == [("2030-10-03", "rest_day")]
    imported = client.submit(page, {"file": _csv(CSV)}, action=imports)
    assert imported.status_code == 302
    assert len(_days()) == 4
    listed = client.get(page + "?year=2030&kind=working_day").content.decode()
    assert "国庆节调休" in listed and "调休上班日" in listed and "2030-10-03" not in listed
    export = client.get(page + "?year=2030&export=xlsx")
    assert export.status_code == 200 and export.content.startswith(b"PK")
    day = CalendarDay.objects.get(day=dt.date(2030, 10, 3))
    removed = client.submit(page, {}, action=reverse("policy:day_delete", args=[day.pk]))
    assert removed.status_code == 302 and len(_days()) == 3
    assert client.get(reverse("policy:day_delete", args=[day.pk])).status_code == 405


@pytest.mark.django_db
def test_other_officials_read_the_calendar_and_may_not_change_it(client: Any, world: Any) -> None:
    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    shown = client.get(reverse("policy:days")).content.decode()
    assert "工作日历" in shown and "登记日期" not in shown
    refused = client.submit(
        reverse("policy:days"),
        {"day": "2030-10-03", "kind": "rest_day"},
        action=reverse("policy:day_new"),
    )
    assert refused.status_code == 403 and _days() == []
    client.force_login(world.people[Role.SAFETY_MANAGER])
    assert client.get(reverse("policy:days")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_calendar_over_the_api_with_a_token(
    reference_data: None, world: Any, api_client: Any
) -> None:
    keeper = api_client(world.people[Role.PROVINCE_OFFICIAL])
    reader = api_client(world.people[Role.CITY_OFFICIAL])
    made = keeper.post(
        "/policy/calendar-days", json={"day": "2030-10-01", "kind": "rest_day", "name": "国庆节"}
    )
    assert made.status_code == 201, made.text
    assert made.json()["kind_label"] == "法定节假日（休息日）"
    twice = keeper.post("/policy/calendar-days", json={"day": "2030-10-01", "kind": "rest_day"})
    assert twice.status_code == 422
    assert twice.json()["detail"][0]["loc"][-1] == "day"
    assert "已在日历中" in twice.json()["detail"][0]["msg"]
    assert (
        reader.post(
            "/policy/calendar-days", json={"day": "2030-10-02", "kind": "rest_day"}
        ).status_code
        == 403
    )
    file = {"file": ("days.csv", CSV.replace("2030-10-01,放假,国庆节\n", "").encode(), "text/csv")}
    imported = keeper.post("/policy/calendar-days/import", files=file)
    assert imported.status_code == 201 and imported.json() == {"recorded": 2}
    listed = reader.get("/policy/calendar-days", params={"year": 2030})
    assert listed.status_code == 200 and listed.json()["count"] == 3
    assert [d["day"] for d in listed.json()["items"]] == ["2030-10-01", "2030-10-02", "2030-10-12"]
    due = reader.get("/policy/working-days", params={"start": "2030-09-30", "days": 3})
    # 1 and 2 October rest: 3, 4 October, then Monday 7.
    assert due.json()["due"] == "2030-10-07"
    day_id = listed.json()["items"][0]["id"]
    assert reader.delete(f"/policy/calendar-days/{day_id}").status_code == 403
    assert keeper.delete(f"/policy/calendar-days/{day_id}").status_code == 204
    assert keeper.delete(f"/policy/calendar-days/{day_id}").status_code == 404
    outsider = api_client(world.people[Role.SAFETY_MANAGER])
    assert outsider.get("/policy/calendar-days").status_code == 403


@pytest.mark.django_db
def test_each_change_to_the_calendar_is_in_the_audit_log(world: Any) -> None:
    from yufang.audit.models import AuditEntry
    from yufang.policy import services

    keeper = world.people[Role.PROVINCE_OFFICIAL]
    day = services.calendar_day_add(actor=keeper, day=dt.date(2030, 10, 3), kind="rest_day")
    services.calendar_import(actor=keeper, data=CSV.encode())
    services.calendar_day_remove(actor=keeper, day=day)
    actions = list(
        AuditEntry.objects.filter(actor=keeper, model__icontains="calendarday")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "create", "create", "create", "delete"]


@pytest.mark.parametrize(
    ("role", "keeps", "reads"),
    [
        (Role.PROVINCE_OFFICIAL, True, True),
        (Role.ADMIN, True, True),
        (Role.CITY_OFFICIAL, False, True),
        (Role.COUNTY_OFFICIAL, False, True),
        (Role.AUDITOR, False, True),
        (Role.SAFETY_MANAGER, False, False),
        (Role.GRID_WORKER, False, False),
        (Role.WORKER, False, False),
    ],
)
@pytest.mark.django_db
def test_who_keeps_and_who_reads_the_calendar(world: Any, role: str, keeps: bool, reads: bool):
    from yufang.accounts.scoping.policy import may_keep_calendar, may_read_calendar

    user = world.people[role]
    assert may_keep_calendar(user) is keeps
    assert may_read_calendar(user) is reads
