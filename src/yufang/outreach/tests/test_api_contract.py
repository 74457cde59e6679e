"""The outreach API as an outside system calls it: a live server, httpx and a bearer token for
the officials and judges, no account for the public (a phone proved by its SMS code). Each
write answers its happy path, refuses bad input with a 422 naming the field, and answers 404
for a record outside the caller's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.notifications.phone import code_in
from yufang.outreach.models import Contest, Quiz, Vote
from yufang.outreach.tests.factories import bank_load, mp4_bytes, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.text
    return {str(e["loc"][-1]) for e in response.json()["detail"]}


def code_for(public: Any, outbox: list[tuple[str, str]], phone: str, purpose: str) -> str:
    sent = public.post("/notifications/phone-codes", json={"phone": phone, "purpose": purpose})
    assert sent.status_code == 202, sent.text
    return code_in(outbox[-1][1])


def test_campaigns_and_activities(reference_data: None, world: Any, api_client: Any) -> None:
    city = api_client(world.people[Role.CITY_OFFICIAL])
    grid = api_client(world.people[Role.GRID_WORKER])
    outsider = api_client(world.jinan_city_official)
    today = timezone.localdate()
    body = {
        "title": "送法进校园",
        "region": "370200",
        "starts_on": (today - dt.timedelta(days=3)).isoformat(),
        "ends_on": (today + dt.timedelta(days=30)).isoformat(),
    }
    assert fields_of(city.post("/outreach/campaigns", json={**body, "region": "999"})) == {"region"}
    assert fields_of(city.post("/outreach/campaigns", json={**body, "starts_on": "x"})) == {
        "starts_on"
    }
    assert outsider.post("/outreach/campaigns", json=body).status_code == 403
    made = city.post("/outreach/campaigns", json=body)
    assert made.status_code == 201, made.text
    cid = made.json()["id"]
    assert outsider.get(f"/outreach/campaigns/{cid}").status_code == 404

    activity = {
        "kind": "visit_school",
        "title": "安全课进校园",
        "held_on": today.isoformat(),
        "people_reached": 300,
    }
    assert fields_of(
        grid.post(f"/outreach/campaigns/{cid}/activities", json={**activity, "kind": "x"})
    ) == {"kind"}
    assert outsider.post(f"/outreach/campaigns/{cid}/activities", json=activity).status_code == 404
    recorded = grid.post(f"/outreach/campaigns/{cid}/activities", json=activity)
    assert recorded.status_code == 201, recorded.text
    aid = recorded.json()["id"]
    assert recorded.json()["county"] == "370211"
    bad_photo = grid.post(
        f"/outreach/activities/{aid}/photos", files={"photo": ("a.png", b"nope", "image/png")}
    )
    assert fields_of(bad_photo) == {"photo"}
    photo = grid.post(
        f"/outreach/activities/{aid}/photos", files={"photo": ("a.png", png_bytes(), "image/png")}
    )
    assert photo.status_code == 201 and len(photo.json()["photo_urls"]) == 1
    listed = city.get(f"/outreach/campaigns/{cid}").json()
    assert listed["people_reached"] == 300 and listed["activity_count"] == 1
    figures = city.get("/outreach/statistics", params={"year": today.year})
    assert figures.status_code == 200 and figures.json()["totals"]["people_reached"] == 300
    assert grid.get("/outreach/statistics").status_code == 403


def test_a_quiz_entered_over_the_api_and_its_draw_checked(
    reference_data: None, world: Any, api_client: Any, sms_outbox: Any
) -> None:
    bank_load()
    city = api_client(world.people[Role.CITY_OFFICIAL])
    public = api_client()
    now = timezone.now()
    body = {
        "title": "月度竞答",
        "region": "370200",
        "opens_at": (now - dt.timedelta(hours=1)).isoformat(),
        "closes_at": (now + dt.timedelta(days=3)).isoformat(),
        "questions_per_entry": 4,
        "qualifying_score": 2,
        "prize_count": 1,
    }
    assert fields_of(city.post("/outreach/quizzes", json={**body, "qualifying_score": 9})) == {
        "qualifying_score"
    }
    made = city.post("/outreach/quizzes", json=body)
    assert made.status_code == 201, made.text
    qid = made.json()["id"]
    assert made.json()["seed"] is None and len(made.json()["seed_hash"]) == 64

    phone = "13700001111"
    wrong = public.post(
        f"/outreach/public/quizzes/{qid}/entries", json={"phone": phone, "code": "000000"}
    )
    assert fields_of(wrong) == {"code"}
    code = code_for(public, sms_outbox, phone, "quiz")
    started = public.post(
        f"/outreach/public/quizzes/{qid}/entries",
        json={"phone": phone, "code": code, "nickname": "阿强"},
    )
    assert started.status_code == 201, started.text
    token = started.json()["token"]
    questions = started.json()["questions"]
    assert len(questions) == 4 and "answer" not in questions[0]
    from yufang.outreach.models import QuizQuestion

    right = {
        str(q["number"]): QuizQuestion.objects.get(quiz_id=qid, number=q["number"]).answer
        for q in questions
    }
    result = public.post("/outreach/public/quiz-answers", json={"token": token, "answers": right})
    assert result.status_code == 200 and result.json() == {
        "entry": started.json()["entry"],
        "score": 4,
        "timed_out": False,
        "qualified": True,
    }
    again = public.post("/outreach/public/quiz-answers", json={"token": token, "answers": right})
    assert fields_of(again) == {"answers"}
    board = public.get(f"/outreach/public/quizzes/{qid}/leaderboard").json()
    assert board[0]["phone"] == "137****1111"

    assert fields_of(city.post(f"/outreach/quizzes/{qid}/draw")) == {"quiz"}  # still open
    Quiz.objects.filter(pk=qid).update(
        closes_at=now - dt.timedelta(minutes=1), opens_at=now - dt.timedelta(days=1)
    )
    assert (
        api_client(world.jinan_city_official).post(f"/outreach/quizzes/{qid}/draw").status_code
        == 404
    )
    drawn = city.post(f"/outreach/quizzes/{qid}/draw")
    assert drawn.status_code == 200, drawn.text
    checked = public.get(f"/outreach/public/quizzes/{qid}/draw").json()
    import hashlib

    from yufang.outreach.draw import draw_winners

    assert hashlib.sha256(checked["seed"].encode()).hexdigest() == made.json()["seed_hash"]
    assert [str(w) for w in checked["winners"]] == draw_winners(
        checked["seed"], checked["qualified"], checked["prize_count"]
    )


def test_a_contest_entered_moderated_judged_voted_and_published(
    reference_data: None, world: Any, api_client: Any, sms_outbox: Any
) -> None:
    official = world.people[Role.CITY_OFFICIAL]
    judge_user = world.people[Role.INSTITUTION_STAFF]
    city = api_client(official)
    judge = api_client(judge_user)
    public = api_client()
    now = timezone.now()
    body = {
        "title": "工伤预防微视频大赛",
        "kind": "video",
        "region": "370200",
        "rules": "原创，5分钟以内。",
        "opens_at": (now - dt.timedelta(hours=1)).isoformat(),
        "deadline": (now + dt.timedelta(days=3)).isoformat(),
        "prizes": [1],
        "voting": True,
        "judges": [judge_user.username],
    }
    assert fields_of(city.post("/outreach/contests", json={**body, "kind": "poem"})) == {"kind"}
    assert fields_of(city.post("/outreach/contests", json={**body, "judges": ["nobody"]})) == {
        "judges"
    }
    made = city.post("/outreach/contests", json=body)
    assert made.status_code == 201, made.text
    cid = made.json()["id"]

    phone = "13600002222"
    code = code_for(public, sms_outbox, phone, "contest_entry")
    form = {
        "phone": phone,
        "code": code,
        "title": "一顶安全帽",
        "author_name": "王五",
        "declaration": "true",
        "city": "370200",
    }
    not_video = public.post(
        f"/outreach/public/contests/{cid}/entries",
        data=form,
        files={"file": ("a.mp4", png_bytes(), "video/mp4")},
    )
    assert fields_of(not_video) == {"file"}
    assert "MP4" in not_video.text
    code = code_for(public, sms_outbox, "13600002223", "contest_entry")
    sent = public.post(
        f"/outreach/public/contests/{cid}/entries",
        data={**form, "phone": "13600002223", "code": code},
        files={"file": ("a.mp4", mp4_bytes(30), "video/mp4")},
    )
    assert sent.status_code == 201, sent.text
    eid = sent.json()["id"]
    assert sent.json()["status"] == "pending" and sent.json()["file_url"] is None
    assert public.get(f"/outreach/public/contests/{cid}/entries").json() == []

    assert (
        api_client(world.jinan_city_official)
        .post(f"/outreach/entries/{eid}/moderation", json={"decision": "approved"})
        .status_code
        == 404
    )
    assert fields_of(
        city.post(f"/outreach/entries/{eid}/moderation", json={"decision": "maybe"})
    ) == {"decision"}
    approved = city.post(f"/outreach/entries/{eid}/moderation", json={"decision": "approved"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert [e["id"] for e in public.get(f"/outreach/public/contests/{cid}/entries").json()] == [eid]

    assert (
        city.post(f"/outreach/entries/{eid}/scores", json={"marks": {"message": 30}}).status_code
        == 403
    )
    assert fields_of(
        judge.post(f"/outreach/entries/{eid}/scores", json={"marks": {"message": 30}})
    ) == {"marks.creativity", "marks.craft"}
    scored = judge.post(
        f"/outreach/entries/{eid}/scores",
        json={"marks": {"message": 30, "creativity": 20, "craft": 25}},
    )
    assert scored.status_code == 200 and scored.json()["total"] in ("75", "75.00")

    voter = "13500003333"
    code = code_for(public, sms_outbox, voter, "vote")
    voted = public.post(
        f"/outreach/public/entries/{eid}/votes", json={"phone": voter, "code": code}
    )
    assert voted.status_code == 201 and voted.json()["counted"] is True
    code = code_for(public, sms_outbox, "13500003334", "vote")
    Vote.objects.update(phone_digest=Vote.objects.get().phone_digest)
    from yufang.lib.protected import phone_digest

    Vote.objects.update(phone_digest=phone_digest("13500003334"))
    twice = public.post(
        f"/outreach/public/entries/{eid}/votes", json={"phone": "13500003334", "code": code}
    )
    assert fields_of(twice) == {"phone"}
    assert Vote.objects.count() == 1

    assert fields_of(city.post(f"/outreach/contests/{cid}/results")) == {
        "contest"
    }  # before the deadline
    Contest.objects.filter(pk=cid).update(
        deadline=now - dt.timedelta(minutes=1), voting_closes_at=now - dt.timedelta(minutes=1)
    )
    late_code = code_for(public, sms_outbox, "13500003335", "vote")
    late = public.post(
        f"/outreach/public/entries/{eid}/votes", json={"phone": "13500003335", "code": late_code}
    )
    assert fields_of(late) == {"entry"}
    published = city.post(f"/outreach/contests/{cid}/results")
    assert published.status_code == 200, published.text
    assert published.json()[0]["award"] == "1"
