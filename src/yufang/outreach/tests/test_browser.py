"""The journeys of issue 21 in chromium: the public entrant on a 390-px phone (a phone code,
the quiz, the leaderboard, a contest entry, one vote a day), a judge who scores and recuses,
and the city official who reads the campaign's figures, moderates and publishes the results."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.conftest import assert_fits_phone, browser_login
from yufang.notifications.models import PhoneCode
from yufang.notifications.phone import code_in
from yufang.outreach import services
from yufang.outreach.models import Entry, QuizEntry, Vote
from yufang.outreach.tests.factories import (
    bank_load,
    contest_close,
    contest_make,
    entry_make,
    png_bytes,
    quiz_make,
)
from yufang.tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = "13912345678"
SHOTS = "/tmp/outreach"  # noqa: S108 - screenshots to look at while developing


def prove_phone(page: Any, outbox: list[tuple[str, str]]) -> None:
    """On the verification page: the number, the code from the SMS, back to the page."""
    page.click("[data-testid=verify-phone]")
    page.fill("#phone", PHONE)
    page.click("button[name=action][value=send]")
    page.wait_for_selector("[data-testid=code-sent]")
    page.fill("#code", code_in(outbox[-1][1]))
    page.click("button[name=action][value=check]")
    page.wait_for_selector("[data-testid=verified-phone]")
    # A minute passes before the next code may be sent to the same number.
    PhoneCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))


def test_the_public_enters_a_quiz_sends_an_entry_and_votes_once_on_a_phone(
    phone_page: Any, reference_data: None, world: Any, sms_outbox: Any, tmp_path: Any
) -> None:
    page = phone_page
    bank_load()
    city = world.people[Role.CITY_OFFICIAL]
    quiz = quiz_make(city, questions_per_entry=3, qualifying_score=2)
    contest = contest_make(city)
    shown = entry_make(contest, colour=(9, 9, 9), approve_by=city, title="班前会")

    page.goto(f"{page.base_url}/outreach/public/")
    assert_fits_phone(page)
    page.click(f"text={quiz.title}")
    assert quiz.seed_hash in page.inner_text("[data-testid=seed-hash]")
    prove_phone(page, sms_outbox)
    page.fill("#nickname", "小李")
    page.click("[data-testid=quiz-start]")
    page.wait_for_selector("[data-testid=quiz-form]")
    assert_fits_phone(page)
    entry = QuizEntry.objects.get()
    for q in services.quiz_entry_questions(entry):
        for key in q.answer:
            page.check(f"input[name=q{q.number}][value='{key}']")
    page.click("[data-testid=quiz-submit]")
    assert "您答对了 3 题（共 3 题）" in page.inner_text("[data-testid=quiz-result]")
    page.click("text=排行榜")
    board = page.inner_text("[data-testid=leaderboard]")
    assert "小李" in board and "139****5678" in board and PHONE not in board
    page.screenshot(path=f"{SHOTS}-quiz-phone.png", full_page=True)

    page.goto(f"{page.base_url}/outreach/public/contests/{contest.pk}/")
    page.click("[data-testid=enter]")
    prove_phone(page, sms_outbox)
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes((120, 60, 200)))
    page.fill("#title", "护目镜")
    page.fill("#author_name", "李华")
    page.set_input_files("#file", str(photo))
    page.click("[data-testid=entry-submit]")
    assert "请确认声明" in page.inner_text("[data-testid=form-errors]")
    assert not Entry.objects.filter(title="护目镜").exists()
    page.set_input_files("#file", str(photo))
    page.check("[data-testid=declaration]")
    page.click("[data-testid=entry-submit]")
    page.wait_for_selector("text=审核通过后将公开展示")
    assert Entry.objects.get(title="护目镜").status == "pending"

    page.goto(f"{page.base_url}/outreach/public/contests/{contest.pk}/gallery/")
    assert "护目镜" not in page.inner_text("[data-testid=gallery]")
    page.click(f"text={shown.title}")
    prove_phone(page, sms_outbox)
    page.click("[data-testid=vote]")
    assert "有效票数：1" in page.inner_text("[data-testid=vote-count]")
    page.click("[data-testid=vote]")
    assert "今天已在本次大赛中投过票" in page.inner_text("[data-testid=form-errors]")
    assert_fits_phone(page)
    page.screenshot(path=f"{SHOTS}-vote-phone.png", full_page=True)
    assert Vote.objects.count() == 1


def test_a_judge_scores_one_entry_and_recuses_from_another(
    page: Any, reference_data: None, world: Any
) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    judge = world.people[Role.INSTITUTION_STAFF]
    contest = contest_make(city, judges=(judge.username,))
    mine = entry_make(contest, colour=(1, 2, 3), approve_by=city, title="安全出口")
    friend = entry_make(contest, colour=(3, 2, 1), approve_by=city, title="同事的作品")
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, judge.username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/outreach/contests/")
    page.click(f"[data-testid=judging-list] >> text={contest.title}")
    card = page.locator(f"[data-testid=judge-entry-{mine.pk}]")
    card.locator("input[name=mark_message]").fill("36")
    card.locator("input[name=mark_creativity]").fill("25")
    card.locator("input[name=mark_craft]").fill("27")
    card.locator(f"[data-testid=score-{mine.pk}]").click()
    assert "总分 88" in page.inner_text(f"[data-testid=total-{mine.pk}]")
    other = page.locator(f"[data-testid=judge-entry-{friend.pk}]")
    other.locator("input[name=reason]").fill("作者是我的同事")
    other.locator(f"[data-testid=recuse-{friend.pk}]").click()
    assert "作者是我的同事" in page.inner_text(f"[data-testid=judge-entry-{friend.pk}]")
    assert page.locator(f"[data-testid=score-{friend.pk}]").count() == 0
    page.screenshot(path=f"{SHOTS}-judging.png", full_page=True)


def test_the_city_official_reads_the_figures_moderates_and_publishes_results(
    page: Any, reference_data: None, world: Any
) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    judge = world.people[Role.INSTITUTION_STAFF]
    today = timezone.localdate()
    campaign = services.publicity_campaign_create(
        actor=city,
        title="安全生产月",
        region_code="370200",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=10),
    )
    services.outreach_activity_record(
        actor=world.people[Role.GRID_WORKER],
        campaign=campaign,
        kind="visit_workshop",
        title="车间宣讲",
        held_on=today,
        people_reached=120,
        enterprises_reached=3,
    )
    contest = contest_make(city, judges=(judge.username,))
    waiting = entry_make(contest, colour=(7, 7, 7), title="叉车安全")
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, city.username, TEST_PASSWORD)
    page.goto(f"{page.base_url}/outreach/")
    assert "120" in page.inner_text("[data-testid=engagement-totals]")
    assert "青岛市" in page.inner_text("[data-testid=reach]")
    page.screenshot(path=f"{SHOTS}-statistics.png", full_page=True)
    page.click("[data-testid=outreach-tabs] >> text=宣传活动")
    page.click("text=安全生产月")
    assert "120" in page.inner_text("[data-testid=people-reached]")

    page.click("[data-testid=outreach-tabs] >> text=内容审核")
    assert "叉车安全" in page.inner_text("[data-testid=moderation-queue]")
    page.click("[data-testid=approve]")
    assert "没有待审核的内容" in page.inner_text("[data-testid=moderation-queue]")
    waiting.refresh_from_db()
    services.score_record(
        actor=judge, entry=waiting, marks={"message": 30, "creativity": 20, "craft": 20}
    )
    contest_close(contest)
    page.goto(f"{page.base_url}/outreach/contests/{contest.pk}/")
    page.click("[data-testid=publish-results]")
    assert "结果已于" in page.inner_text("[data-testid=results-published]")
    page.click("text=结果页面")
    assert "一等奖" in page.inner_text("[data-testid=results]")


def test_a_grid_worker_records_a_visit_on_site_on_a_phone(
    phone_page: Any, reference_data: None, world: Any, tmp_path: Any
) -> None:
    page = phone_page
    worker = world.people[Role.GRID_WORKER]
    today = timezone.localdate()
    campaign = services.publicity_campaign_create(
        actor=world.people[Role.CITY_OFFICIAL],
        title="送法进企业",
        region_code="370200",
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=3),
    )
    # The grid worker's home may be another module's page: sign in and go to publicity.
    page.goto(f"{page.base_url}/accounts/login/")
    page.fill("#id_username", worker.username)
    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("[data-testid=login-submit]")
    page.goto(f"{page.base_url}/outreach/")
    with page.expect_navigation():
        page.click("text=送法进企业")
    with page.expect_navigation():
        page.click("[data-testid=record-activity]")
    page.wait_for_selector("#kind")
    assert_fits_phone(page)
    photo = tmp_path / "site.png"
    photo.write_bytes(png_bytes((20, 140, 60)))
    page.select_option("#kind", "visit_workshop")
    page.fill("#title", "车间班前会宣讲")
    page.fill("#people_reached", "35")
    page.fill("#enterprises_reached", "1")
    page.set_input_files("#photos", str(photo))
    page.click("[data-testid=activity-form] button[type=submit]")
    facts = page.inner_text("[data-testid=activity-facts]")
    assert "进车间" in facts and "35" in facts and "黄岛区" in facts
    assert page.locator("[data-testid=activity-photos] img").count() == 1
    assert_fits_phone(page)
    page.screenshot(path=f"{SHOTS}-activity-phone.png", full_page=True)
    assert campaign.activities.get().grid_id == worker.grid_id
