"""The outreach pages as people use them (CSRF enforced, forms opened first), asserting what
each page says: the official's campaign, quiz and contest pages, the judge's sheet, and the
public's quiz, entry and vote after proving a phone by its code."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.notifications.phone import code_in
from yufang.outreach import services
from yufang.outreach.models import Entry, EntryStatus, OutreachActivity, QuizEntry, Vote
from yufang.outreach.tests.factories import (
    PHONE,
    contest_close,
    contest_make,
    entry_make,
    mp4,
    png,
    quiz_make,
)

pytestmark = pytest.mark.django_db


def verify(
    client: Any, outbox: list[tuple[str, str]], purpose: str, next_url: str, phone: str = PHONE
) -> None:
    """Proves a phone number on the notifications page, as the public does."""
    page = (
        reverse("notifications:phone_verify")
        + "?"
        + urlencode({"purpose": purpose, "next": next_url})
    )
    action = reverse("notifications:phone_verify")
    sent = client.submit(
        page,
        {"purpose": purpose, "next": next_url, "phone": phone, "action": "send"},
        action=action,
    )
    assert sent.status_code == 200, sent.content.decode()
    code = code_in(outbox[-1][1])
    done = client.post(
        action,
        {"purpose": purpose, "next": next_url, "phone": phone, "action": "check", "code": code},
    )
    assert done.status_code == 302 and done["Location"] == next_url


def text(response: Any) -> str:
    return str(response.content.decode())


def test_city_official_plans_a_campaign_and_a_grid_worker_records_a_visit(
    client: Any, world: Any
) -> None:
    client.force_login(world.people[Role.CITY_OFFICIAL])
    today = timezone.localdate()
    page = reverse("outreach:campaigns")
    bad = client.submit(page, {"title": "", "region": "370200", "starts_on": "x", "ends_on": ""})
    assert bad.status_code == 200 and "请填写此项" in text(bad)
    made = client.submit(
        page,
        {
            "title": "安全生产月送法进企业",
            "region": "370200",
            "starts_on": (today - dt.timedelta(days=5)).isoformat(),
            "ends_on": (today + dt.timedelta(days=25)).isoformat(),
        },
    )
    assert made.status_code == 302
    campaign_url = made["Location"]
    client.force_login(world.people[Role.GRID_WORKER])
    opened = client.get(campaign_url)
    assert "安全生产月送法进企业" in text(opened) and "记录活动" in text(opened)
    new = campaign_url + "activities/new/"
    refused = client.submit(
        new,
        {
            "kind": "visit_site",
            "title": "工地宣讲",
            "held_on": today.isoformat(),
            "photos": [mp4()],
        },
    )
    assert "不是照片" in text(refused)
    assert not OutreachActivity.objects.exists()
    saved = client.submit(
        new,
        {
            "kind": "visit_site",
            "title": "工地宣讲",
            "held_on": today.isoformat(),
            "people_reached": "60",
            "enterprises_reached": "2",
            "photos": [png()],
        },
    )
    assert saved.status_code == 302
    detail = client.get(saved["Location"])
    assert "进工地" in text(detail) and "60" in text(detail)
    photo = OutreachActivity.objects.get().photos.get()
    assert (
        client.get(reverse("outreach:activity_photo", args=[photo.pk, "thumb"])).status_code == 200
    )
    client.force_login(world.jinan_city_official)
    assert client.get(campaign_url).status_code == 404
    assert (
        client.get(reverse("outreach:activity_photo", args=[photo.pk, "thumb"])).status_code == 404
    )


def test_statistics_show_voluntary_participation_apart_and_export(
    client: Any, world: Any, bank: None
) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    quiz = quiz_make(city)
    services.quiz_entry_start(quiz=quiz, phone=PHONE, city_code="370200")
    services.quiz_entry_start(
        quiz=quiz, phone="13900000001", city_code="370200", organised_by_employer=True
    )
    client.force_login(city)
    page = client.get(reverse("outreach:statistics"))
    body = text(page)
    assert "我要预防：自发参与" in body
    assert "1 人次自发参与；1 人次由单位组织参加" in body
    assert "青岛市" in body
    export = client.get(reverse("outreach:statistics") + "?export=xlsx")
    assert export.status_code == 200 and "spreadsheetml" in export["Content-Type"]
    client.force_login(world.people[Role.GRID_WORKER])
    assert client.get(reverse("outreach:statistics")).status_code == 403


def test_the_public_enters_a_quiz_once_a_day_and_sees_the_leaderboard(
    client: Any, world: Any, bank: None, sms_outbox: Any
) -> None:
    quiz = quiz_make(world.people[Role.CITY_OFFICIAL])
    page = reverse("outreach:public_quiz", args=[quiz.pk])
    first = client.get(page)
    assert "验证手机号" in text(first) and quiz.seed_hash in text(first)
    verify(client, sms_outbox, "quiz", page)
    started = client.submit(page, {"nickname": "小王", "city": "370200"})
    assert started.status_code == 302
    play = client.get(started["Location"])
    entry = QuizEntry.objects.get()
    questions = services.quiz_entry_questions(entry)
    assert questions[0].stem in text(play)
    answers = {f"q{q.number}": q.answer for q in questions}
    result = client.submit(started["Location"], answers)
    shown = client.get(result["Location"])
    assert "您答对了 5 题（共 5 题）" in text(shown) and "您已入围抽奖" in text(shown)
    again = client.submit(page, {"nickname": "小王"})
    assert again.status_code == 422 and "今天已参加过本次竞答" in text(again)
    board = client.get(reverse("outreach:public_leaderboard", args=[quiz.pk]))
    assert "138****8000" in text(board) and PHONE not in text(board)
    assert QuizEntry.objects.count() == 1


def test_the_public_sends_an_entry_which_shows_only_after_moderation_and_votes_once(
    client: Any, world: Any, sms_outbox: Any
) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    contest = contest_make(city)
    enter = reverse("outreach:public_entry_new", args=[contest.pk])
    verify(client, sms_outbox, "contest_entry", enter)
    refused = client.submit(
        enter, {"title": "我的车间一角", "author_name": "张三", "declaration": "1", "file": mp4()}
    )
    assert refused.status_code == 422 and "不是照片" in text(refused)
    no_declaration = client.submit(
        enter, {"title": "我的车间一角", "author_name": "张三", "file": png()}
    )
    assert "请确认声明" in text(no_declaration)
    sent = client.submit(
        enter, {"title": "我的车间一角", "author_name": "张三", "declaration": "1", "file": png()}
    )
    assert sent.status_code == 302
    entry = Entry.objects.get()
    gallery = reverse("outreach:public_gallery", args=[contest.pk])
    assert "我的车间一角" not in text(client.get(gallery))
    assert client.get(reverse("outreach:public_entry", args=[entry.pk])).status_code == 404

    official = type(client)()
    official.force_login(city)
    moderated = official.submit(
        reverse("outreach:moderation"), {"entry": entry.pk, "decision": "approved"}
    )
    assert moderated.status_code == 302
    assert "我的车间一角" in text(client.get(gallery))

    entry_page = reverse("outreach:public_entry", args=[entry.pk])
    # A second code to the same number within a minute is refused: a friend's phone votes.
    verify(client, sms_outbox, "vote", entry_page, phone="13900000077")
    voted = client.submit(entry_page, {})
    assert voted.status_code == 302
    assert "有效票数：1" in text(client.get(entry_page))
    second = client.submit(entry_page, {})
    assert second.status_code == 422 and "今天已在本次大赛中投过票" in text(second)
    assert Vote.objects.count() == 1


def test_a_judge_scores_recuses_and_the_city_official_publishes_results(
    client: Any, world: Any
) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    staff = world.people[Role.INSTITUTION_STAFF]
    contest = contest_make(city, judges=(staff.username,))
    a = entry_make(contest, colour=(1, 1, 1), approve_by=city, title="甲")
    b = entry_make(contest, colour=(2, 2, 2), approve_by=city, title="乙")
    client.force_login(staff)
    sheet = reverse("outreach:judging", args=[contest.pk])
    assert "甲" in text(client.get(sheet))
    client.submit(sheet, {"entry": a.pk, "action": "recuse", "reason": "作者是同事"})
    assert "您已回避" in text(client.get(sheet))
    refused = client.post_direct(
        sheet,
        {
            "entry": a.pk,
            "action": "score",
            "mark_message": "30",
            "mark_creativity": "20",
            "mark_craft": "20",
        },
    )
    assert "不能为其评分" in text(refused)
    saved = client.submit(
        sheet,
        {
            "entry": b.pk,
            "action": "score",
            "mark_message": "35",
            "mark_creativity": "25",
            "mark_craft": "20",
        },
    )
    assert saved.status_code == 302
    assert "总分 80" in text(client.get(sheet))
    client.force_login(world.jinan_city_official)
    assert client.get(sheet).status_code == 404

    contest_close(contest)
    client.force_login(city)
    page = reverse("outreach:contest", args=[contest.pk])
    published = client.submit(page, {})
    assert published.status_code == 302
    results = client.get(reverse("outreach:public_results", args=[contest.pk]))
    assert "一等奖" in text(results) and "乙" in text(results)
    b.refresh_from_db()
    assert b.award == "1" and b.status == EntryStatus.APPROVED
