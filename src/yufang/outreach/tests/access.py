"""The outreach module's pages and API operations in the authorization matrix
(`accounts/tests/access.py` reads this file)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from yufang.accounts.tests.access_base import Op, Page, rule

RULES = {
    # Publicity's own pages: officials, grid workers, institution staff, auditor, admin.
    "publicity_roles": rule("ok/ok", safety_manager="403/403", liaison="403/403", worker="403/403"),
    # A campaign, activity, quiz or contest: the publicity roles in its city (province-wide
    # roles everywhere); the enterprises' people and liaisons have no business (404).
    "publicity_reader": rule(
        "ok/404",
        province="ok/ok",
        auditor="ok/ok",
        admin="ok/ok",
        safety_manager="404/404",
        liaison="404/404",
        worker="404/404",
    ),
    # Officials (county up) plan campaigns; grid workers and institution staff do not.
    "publicity_planner": rule(
        "403/403", province="ok/ok", city="ok/ok", county="ok/ok", admin="ok/ok"
    ),
    # Who records an activity of a campaign they read: officials, grid workers, institution
    # staff; the auditor reads only.
    "activity_recorder": rule(
        "ok/404",
        province="ok/ok",
        admin="ok/ok",
        auditor="403/403",
        safety_manager="404/404",
        liaison="404/404",
        worker="404/404",
    ),
    # The officials running a quiz or contest (the province's, or the city's own) draw,
    # moderate and publish; other publicity roles who read it 403.
    "programme_runner_write": rule(
        "403/404",
        province="ok/ok",
        city="ok/404",
        admin="ok/ok",
        auditor="403/403",
        safety_manager="404/404",
        liaison="404/404",
        worker="404/404",
    ),
    # A contest's judges (the Qingdao contest names the city official): their sheet.
    "contest_judge": rule("404/404", city="ok/404"),
    # A judge scores or recuses; those who read the entry but are not on its panel 403.
    "contest_judge_write": rule(
        "403/404",
        province="403/403",
        city="ok/404",
        admin="403/403",
        auditor="403/403",
        safety_manager="404/404",
        liaison="404/404",
        worker="404/404",
    ),
    # A list filtered to the caller's reach: empty, not refused, for roles with none.
    "scoped_list": rule("ok/ok"),
    # Needs the entrant's own quiz entry from their session or token: none here, 404 for all.
    "own_quiz_entry": rule("404/404", anonymous="404/404"),
}

THUMB = {"size": "thumb"}
PAGES = {
    "outreach:index": Page(None, "publicity_roles"),
    "outreach:campaigns": Page(None, "publicity_roles", "publicity_planner"),
    "outreach:campaign": Page("outreach_campaign", "publicity_reader"),
    "outreach:activity_new": Page("outreach_campaign", "activity_recorder", "activity_recorder"),
    "outreach:activity": Page("outreach_activity", "publicity_reader", "activity_recorder"),
    "outreach:activity_photo": Page("outreach_photo", "publicity_reader", args=THUMB),
    "outreach:statistics": Page(None, "officials_and_auditors_read"),
    "outreach:quizzes": Page(None, "publicity_roles", "campaign_planner"),
    "outreach:quiz": Page("quiz", "publicity_reader"),
    "outreach:quiz_draw": Page("quiz", "post_only", "programme_runner_write"),
    "outreach:contests": Page(None, "publicity_roles", "campaign_planner"),
    "outreach:contest": Page("contest", "publicity_reader", "programme_runner_write"),
    "outreach:judging": Page("contest", "contest_judge", "contest_judge"),
    "outreach:moderation": Page(None, "publicity_roles", "publicity_roles"),
    "outreach:entry_file": Page("contest_entry", "publicity_reader", args=THUMB),
    "outreach:public": Page(None, "public"),
    "outreach:public_quiz": Page("quiz", "public", "public"),
    "outreach:public_quiz_play": Page("quiz", "own_quiz_entry", "own_quiz_entry"),
    "outreach:public_quiz_result": Page("quiz", "own_quiz_entry"),
    "outreach:public_leaderboard": Page("quiz", "public"),
    "outreach:public_draw": Page("quiz", "public"),
    "outreach:public_contest": Page("contest", "public"),
    "outreach:public_entry_new": Page("contest", "public", "public"),
    "outreach:public_gallery": Page("contest", "public"),
    "outreach:public_results": Page("contest", "public"),
    "outreach:public_entry": Page("contest_entry", "public", "public"),
    "outreach:public_entry_media": Page("contest_entry", "public", args=THUMB),
}

API_PARAM_KINDS = {
    "publicity_campaign_id": "outreach_campaign",
    "activity_id": "outreach_activity",
    "quiz_id": "quiz",
    "contest_id": "contest",
    "entry_id": "contest_entry",
}


def _today() -> str:
    return timezone.localdate().isoformat()


P = "/api/v1/outreach"
OPERATIONS = {
    ("GET", f"{P}/campaigns"): Op("scoped_list"),
    ("POST", f"{P}/campaigns"): Op(
        "campaign_planner",
        body={
            "title": "宣传月",
            "region": "370200",
            "starts_on": "2026-01-01",
            "ends_on": "2030-12-31",
        },
    ),
    ("GET", f"{P}/campaigns/{{publicity_campaign_id}}"): Op("publicity_reader"),
    ("GET", f"{P}/campaigns/{{publicity_campaign_id}}/activities"): Op("publicity_reader"),
    ("POST", f"{P}/campaigns/{{publicity_campaign_id}}/activities"): Op(
        "activity_recorder",
        body={"kind": "lecture", "title": "讲座", "held_on": _today(), "people_reached": 10},
    ),
    ("GET", f"{P}/activities/{{activity_id}}"): Op("publicity_reader"),
    ("POST", f"{P}/activities/{{activity_id}}/photos"): Op("activity_recorder"),
    ("GET", f"{P}/statistics"): Op("officials_and_auditors_read"),
    ("GET", f"{P}/quizzes"): Op("scoped_list"),
    ("POST", f"{P}/quizzes"): Op(
        "campaign_planner",
        body={
            "title": "竞答",
            "region": "370200",
            "opens_at": "2026-01-01T08:00:00+08:00",
            "closes_at": "2030-01-01T08:00:00+08:00",
            "questions_per_entry": 5,
            "qualifying_score": 3,
            "prize_count": 1,
        },
    ),
    ("GET", f"{P}/quizzes/{{quiz_id}}"): Op("publicity_reader"),
    ("POST", f"{P}/quizzes/{{quiz_id}}/draw"): Op("programme_runner_write"),
    ("GET", f"{P}/contests"): Op("scoped_list"),
    ("POST", f"{P}/contests"): Op(
        "campaign_planner",
        body={
            "title": "大赛",
            "kind": "photo",
            "region": "370200",
            "rules": "原创",
            "opens_at": "2026-01-01T08:00:00+08:00",
            "deadline": "2030-01-01T08:00:00+08:00",
            "prizes": [1],
        },
    ),
    ("GET", f"{P}/contests/{{contest_id}}"): Op("publicity_reader"),
    ("GET", f"{P}/contests/{{contest_id}}/entries"): Op("publicity_reader"),
    ("POST", f"{P}/contests/{{contest_id}}/results"): Op("programme_runner_write"),
    ("POST", f"{P}/contests/{{contest_id}}/flagged-votes"): Op(
        "programme_runner_write", body={"decision": "count"}
    ),
    ("GET", f"{P}/moderation"): Op("scoped_list"),
    ("POST", f"{P}/entries/{{entry_id}}/moderation"): Op("programme_runner_write"),
    ("POST", f"{P}/entries/{{entry_id}}/scores"): Op(
        "contest_judge_write", body={"marks": {"message": 1}}
    ),
    ("POST", f"{P}/entries/{{entry_id}}/recusal"): Op(
        "contest_judge_write", body={"reason": "同事"}
    ),
    ("GET", f"{P}/public/quizzes"): Op("public"),
    ("GET", f"{P}/public/quizzes/{{quiz_id}}"): Op("public"),
    ("GET", f"{P}/public/quizzes/{{quiz_id}}/leaderboard"): Op("public"),
    ("GET", f"{P}/public/quizzes/{{quiz_id}}/draw"): Op("public"),
    ("POST", f"{P}/public/quizzes/{{quiz_id}}/entries"): Op(
        "public", body={"phone": "13800138000", "code": "000000"}
    ),
    ("POST", f"{P}/public/quiz-answers"): Op("own_quiz_entry", body={"token": "0" * 32}),
    ("GET", f"{P}/public/contests"): Op("public"),
    ("GET", f"{P}/public/contests/{{contest_id}}/entries"): Op("public"),
    ("POST", f"{P}/public/contests/{{contest_id}}/entries"): Op("public"),
    ("POST", f"{P}/public/entries/{{entry_id}}/votes"): Op(
        "public", body={"phone": "13800138000", "code": "000000"}
    ),
}


def build_records(world: Any, records: Any) -> None:
    """A Qingdao campaign, activity (with a photo), quiz and contest (with an approved entry,
    judged by the city official), and the same in Jinan, titled with `OUTSIDE`."""
    from yufang.accounts.models import Role
    from yufang.accounts.tests.records import OUTSIDE
    from yufang.outreach import services
    from yufang.outreach.models import EntryStatus
    from yufang.outreach.tests.factories import bank_load, mp4, png

    bank_load()
    now = timezone.now()
    today = timezone.localdate()
    city = world.people[Role.CITY_OFFICIAL]
    jinan = world.jinan_city_official
    for side, actor, region, county, marker in (
        ("inside", city, "370200", "370211", ""),
        ("outside", jinan, "370100", "370102", OUTSIDE),
    ):
        found = getattr(records, side)
        campaign = services.publicity_campaign_create(
            actor=actor,
            title=marker + "送法进企业",
            region_code=region,
            starts_on=today - dt.timedelta(days=30),
            ends_on=today + dt.timedelta(days=30),
        )
        activity = services.outreach_activity_record(
            actor=actor,
            campaign=campaign,
            kind="visit_factory",
            title=marker + "进车间",
            held_on=today,
            county_code=county,
            people_reached=30,
            photos=[png((10, 20, 30) if side == "inside" else (30, 20, 10))],
        )
        quiz = services.quiz_create(
            actor=actor,
            title=marker + "有奖竞答",
            region_code=region,
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=5),
            questions_per_entry=3,
            qualifying_score=2,
            prize_count=1,
        )
        contest = services.contest_create(
            actor=actor,
            title=marker + "微视频大赛",
            kind="video",
            region_code=region,
            rules="原创",
            opens_at=now - dt.timedelta(days=1),
            deadline=now + dt.timedelta(days=5),
            prizes=[1],
            voting=True,
            judges=[actor.username],
        )
        entry = services.entry_submit(
            contest=contest,
            phone="13800138000",
            title=marker + "安全帽",
            author_name="李明",
            declaration=True,
            upload=mp4(10 if side == "inside" else 11),
        )
        services.entry_moderate(actor=actor, entry=entry, decision=EntryStatus.APPROVED)
        found["outreach_campaign"] = campaign.pk
        found["outreach_activity"] = activity.pk
        found["outreach_photo"] = activity.photos.get().pk
        found["quiz"] = quiz.pk
        found["contest"] = contest.pk
        found["contest_entry"] = entry.pk
