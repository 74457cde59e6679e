"""The outreach rules, service by service: who plans and records, a quiz entry a day and its
time limit, the draw anyone can re-run, files checked by content, judging with recusal and
normalised scores, one vote a day and bursts flagged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.lib.errors import InvalidInput
from yufang.outreach import draw, fairness, selectors, services
from yufang.outreach.models import EntryStatus, QuizEntry, Vote
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


def _campaign(world: Any) -> Any:
    today = timezone.localdate()
    return services.publicity_campaign_create(
        actor=world.people[Role.CITY_OFFICIAL],
        title="送法进企业",
        region_code="370200",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=20),
    )


def test_city_official_plans_a_campaign_and_the_grid_worker_records_a_visit_with_photos(
    world: Any,
) -> None:
    campaign = _campaign(world)
    grid_worker = world.people[Role.GRID_WORKER]
    activity = services.outreach_activity_record(
        actor=grid_worker,
        campaign=campaign,
        kind="visit_factory",
        title="进车间讲工伤预防",
        held_on=timezone.localdate(),
        people_reached="45",
        enterprises_reached="1",
        photos=[png(), png((0, 200, 0))],
    )
    assert activity.county.code == "370211"
    assert activity.grid_id == grid_worker.grid_id
    assert activity.photos.count() == 2
    assert activity.photos.first().thumbnail_path.endswith("-thumb.jpg")
    seen = selectors.campaign_get(world.people[Role.COUNTY_OFFICIAL], campaign.pk)
    assert seen.people == 45


def test_jinan_official_neither_sees_nor_records_in_a_qingdao_campaign(world: Any) -> None:
    campaign = _campaign(world)
    outsider = world.jinan_city_official
    assert not selectors.campaigns_visible(outsider).filter(pk=campaign.pk).exists()
    with pytest.raises(PermissionDenied):
        services.outreach_activity_record(
            actor=outsider,
            campaign=campaign,
            kind="lecture",
            title="讲座",
            held_on=timezone.localdate(),
        )
    with pytest.raises(PermissionDenied):
        services.publicity_campaign_create(
            actor=world.people[Role.COUNTY_OFFICIAL],
            title="全市活动",
            region_code="370200",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
        )


def test_bad_activity_input_names_each_field_and_writes_nothing(world: Any) -> None:
    campaign = _campaign(world)
    with pytest.raises(InvalidInput) as caught:
        services.outreach_activity_record(
            actor=world.people[Role.CITY_OFFICIAL],
            campaign=campaign,
            kind="party",
            title="",
            held_on="yesterday",
            people_reached="-3",
            photos=[SimpleUploadedFile("x.png", b"not an image")],
        )
    assert {"kind", "title", "held_on", "people_reached"} <= set(caught.value.errors)
    with pytest.raises(InvalidInput) as caught:
        services.outreach_activity_record(
            actor=world.people[Role.CITY_OFFICIAL],
            campaign=campaign,
            kind="lecture",
            title="讲座",
            held_on=campaign.ends_on + dt.timedelta(days=1),
        )
    assert set(caught.value.errors) == {"held_on"}
    with pytest.raises(InvalidInput) as caught:
        services.outreach_activity_record(
            actor=world.people[Role.CITY_OFFICIAL],
            campaign=campaign,
            kind="lecture",
            title="讲座",
            held_on=timezone.localdate(),
            photos=[SimpleUploadedFile("x.png", b"not an image")],
        )
    assert set(caught.value.errors) == {"photos"}
    assert campaign.activities.count() == 0


# --- quizzes ------------------------------------------------------------------------------------


def test_one_quiz_entry_per_phone_per_day_scored_on_the_server(world: Any, bank: None) -> None:
    quiz = quiz_make(world.people[Role.CITY_OFFICIAL])
    assert quiz.questions.count() >= 5
    entry = services.quiz_entry_start(quiz=quiz, phone=PHONE, nickname="小王")
    assert len(entry.question_numbers) == 5
    with pytest.raises(InvalidInput) as caught:
        services.quiz_entry_start(quiz=quiz, phone=PHONE)
    assert "already entered" in caught.value.errors["phone"]
    questions = services.quiz_entry_questions(entry)
    right = {q.number: list(q.answer) for q in questions[:4]}
    done = services.quiz_entry_submit(entry=entry, answers=right)
    assert done.score == 4
    with pytest.raises(InvalidInput):
        services.quiz_entry_submit(entry=done, answers=right)
    board = list(selectors.leaderboard(quiz))
    assert board[0].phone_masked == "138****8000"
    # The next day the same phone may enter again.
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert services.quiz_entry_start(quiz=quiz, phone=PHONE, now=tomorrow).day > entry.day


def test_answers_after_the_time_limit_score_nothing(world: Any, bank: None) -> None:
    quiz = quiz_make(world.people[Role.CITY_OFFICIAL])
    entry = services.quiz_entry_start(quiz=quiz, phone=PHONE)
    late = entry.deadline_at + dt.timedelta(minutes=5)
    right = {q.number: list(q.answer) for q in services.quiz_entry_questions(entry)}
    with pytest.raises(InvalidInput) as caught:
        services.quiz_entry_submit(entry=entry, answers=right, now=late)
    assert "Time was up" in caught.value.errors["answers"]
    entry.refresh_from_db()
    assert entry.timed_out and entry.score == 0
    assert not services.quiz_qualified(quiz)


def test_the_draw_is_committed_before_and_can_be_rerun_by_anyone(world: Any, bank: None) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    quiz = quiz_make(city)
    for n in range(6):
        entry = services.quiz_entry_start(quiz=quiz, phone=f"1390000000{n}")
        right = {q.number: list(q.answer) for q in services.quiz_entry_questions(entry)}
        services.quiz_entry_submit(entry=entry, answers=right if n % 2 == 0 else {})
    with pytest.raises(InvalidInput):
        services.quiz_draw(actor=city, quiz=quiz)  # not closed yet
    hash_before = quiz.seed_hash
    assert quiz.seed == ""
    after_close = quiz.closes_at + dt.timedelta(minutes=1)
    with pytest.raises(PermissionDenied):
        services.quiz_draw(actor=world.jinan_city_official, quiz=quiz, now=after_close)
    drawn = services.quiz_draw(actor=city, quiz=quiz, now=after_close)
    assert draw.seed_hash(drawn.seed) == hash_before
    codes = [str(e.pk) for e in services.quiz_qualified(drawn)]
    assert len(codes) == 3
    assert [str(w) for w in drawn.winners] == draw.draw_winners(drawn.seed, codes, 2)
    namespace: dict[str, Any] = {}
    script = draw.check_script(drawn.seed, codes, 2).replace("print(", "found.append(")
    exec("found = []\n" + script, namespace)  # noqa: S102 - the published program, run as anyone would
    assert namespace["found"] == [str(w) for w in drawn.winners]
    with pytest.raises(InvalidInput):
        services.quiz_draw(actor=city, quiz=drawn, now=after_close)


def test_a_quiz_needs_enough_bank_questions(world: Any, bank: None) -> None:
    with pytest.raises(InvalidInput) as caught:
        quiz_make(world.people[Role.CITY_OFFICIAL], questions_per_entry=50, qualifying_score=60)
    assert "qualifying_score" in caught.value.errors or "questions_per_entry" in caught.value.errors


# --- contests -----------------------------------------------------------------------------------


def test_a_photo_entry_is_re_encoded_with_a_thumbnail_and_waits_for_moderation(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    contest = contest_make(city)
    entry = entry_make(contest)
    assert entry.status == EntryStatus.PENDING
    assert entry.file_path.endswith(".jpg") and entry.thumbnail_path.endswith("-thumb.jpg")
    assert not selectors.entries_public(contest).exists()
    assert [e.pk for e in selectors.moderation_queue(city)] == [entry.pk]
    assert selectors.moderation_queue(world.jinan_city_official) == []
    services.entry_moderate(actor=city, entry=entry, decision="approved")
    assert list(selectors.entries_public(contest)) == [entry]


def test_files_whose_content_does_not_match_are_refused_and_nothing_is_counted(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    photo_contest = contest_make(city)
    video_contest = contest_make(city, kind="video", title="微视频大赛")

    def refused(contest: Any, upload: Any) -> str:
        with pytest.raises(InvalidInput) as caught:
            services.entry_submit(
                contest=contest,
                phone=PHONE,
                title="作品",
                author_name="李明",
                declaration=True,
                upload=upload,
            )
        return caught.value.errors["file"]

    assert "not a photo" in refused(photo_contest, SimpleUploadedFile("a.jpg", b"GIF89a-fake"))
    assert "not a photo" in refused(photo_contest, mp4())
    assert "not an MP4" in refused(video_contest, png())
    assert "not an MP4" in refused(
        video_contest, SimpleUploadedFile("a.mp4", b"\0\0\0\x18ftypjunk")
    )
    assert "seconds" in refused(video_contest, mp4(seconds=3600))
    with override_settings():
        big = SimpleUploadedFile("big.png", b"\x89PNG" + b"\0" * (11 * 1024 * 1024))
        assert "larger than" in refused(photo_contest, big)
    with pytest.raises(InvalidInput) as caught:
        services.entry_submit(
            contest=photo_contest,
            phone=PHONE,
            title="作品",
            author_name="李明",
            declaration=False,
            upload=png(),
        )
    assert "declaration" in caught.value.errors
    assert photo_contest.entries.count() == 0 and video_contest.entries.count() == 0
    assert services.entry_submit(
        contest=video_contest,
        phone=PHONE,
        title="短片",
        author_name="李明",
        declaration=True,
        upload=mp4(20),
    ).duration_seconds == Decimal("20.00")


def test_the_same_file_twice_in_a_contest_is_refused(world: Any) -> None:
    contest = contest_make(world.people[Role.CITY_OFFICIAL])
    entry_make(contest, colour=(1, 2, 3))
    with pytest.raises(InvalidInput) as caught:
        entry_make(contest, colour=(1, 2, 3), phone="13900000001")
    assert "already been entered" in caught.value.errors["file"]
    assert contest.entries.count() == 1


def test_a_judge_who_recused_cannot_score_and_scores_are_normalised(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    staff = world.people[Role.INSTITUTION_STAFF]
    contest = contest_make(city, judges=(city.username, staff.username))
    a = entry_make(contest, colour=(1, 1, 1), approve_by=city, title="甲")
    b = entry_make(contest, colour=(2, 2, 2), approve_by=city, title="乙")
    c = entry_make(contest, colour=(3, 3, 3), approve_by=city, title="丙")
    services.recusal_declare(actor=staff, entry=a, reason="作者是我的同事")
    with pytest.raises(InvalidInput) as caught:
        services.score_record(
            actor=staff, entry=a, marks={"message": 40, "creativity": 30, "craft": 30}
        )
    assert "recused" in caught.value.errors["entry"]
    with pytest.raises(PermissionDenied):
        services.score_record(actor=world.people[Role.COUNTY_OFFICIAL], entry=a, marks={})
    with pytest.raises(InvalidInput) as caught:
        services.score_record(actor=city, entry=a, marks={"message": 99})
    assert {"marks.message", "marks.creativity", "marks.craft"} == set(caught.value.errors)
    # A lenient judge (staff) and a strict one (city) agree on the order b > c.
    for judge, entry, marks in (
        (city, a, (30, 20, 20)),
        (city, b, (20, 15, 15)),
        (city, c, (10, 10, 10)),
        (staff, b, (40, 30, 30)),
        (staff, c, (38, 29, 29)),
    ):
        services.score_record(
            actor=judge,
            entry=entry,
            marks=dict(zip(("message", "creativity", "craft"), marks, strict=True)),
        )
    with pytest.raises(InvalidInput):
        services.contest_results_publish(actor=city, contest=contest)  # before the deadline
    contest = contest_close(contest)
    services.contest_results_publish(actor=city, contest=contest)
    standings = selectors.contest_standings(contest)
    assert [e.title for e in standings] == ["甲", "乙", "丙"]
    assert [e.award for e in standings] == ["1", "2", ""]
    with pytest.raises(InvalidInput):
        services.score_record(
            actor=city, entry=a, marks={"message": 1, "creativity": 1, "craft": 1}
        )


def test_normalisation_is_the_mean_of_per_judge_z_scores() -> None:
    rows = [(1, 10, Decimal(90)), (1, 11, Decimal(70)), (2, 10, Decimal(50)), (2, 11, Decimal(49))]
    result = fairness.normalised(rows)
    assert result[10] == pytest.approx(1.0) and result[11] == pytest.approx(-1.0)
    assert fairness.normalised([(1, 10, Decimal(5))]) == {10: 0.0}


def test_one_vote_per_phone_per_day_after_the_deadline_none(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    contest = contest_make(city)
    a = entry_make(contest, colour=(4, 4, 4), approve_by=city)
    b = entry_make(contest, colour=(5, 5, 5), approve_by=city, phone="13900000002")
    services.vote_cast(entry=a, phone=PHONE, source="10.0.0.1")
    with pytest.raises(InvalidInput) as caught:
        services.vote_cast(entry=b, phone=PHONE, source="10.0.0.1")
    assert "already voted" in caught.value.errors["phone"]
    tomorrow = timezone.now() + dt.timedelta(days=1)
    services.vote_cast(entry=b, phone=PHONE, source="10.0.0.1", now=tomorrow)
    contest_close(contest)
    a.refresh_from_db()
    with pytest.raises(InvalidInput) as caught:
        services.vote_cast(entry=a, phone="13900000003", source="10.0.0.1")
    assert "closed" in caught.value.errors["entry"]
    assert Vote.objects.count() == 2


def test_a_burst_of_votes_from_one_address_is_flagged_not_counted(world: Any) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    contest = contest_make(city)
    entry = entry_make(contest, approve_by=city)
    for n in range(22):
        services.vote_cast(entry=entry, phone=f"137{n:08d}", source="203.0.113.9")
    flagged = Vote.objects.filter(flagged=True).count()
    assert flagged == 2
    assert selectors.entries_public(contest).get().vote_count == 20
    assert selectors.flagged_votes(contest) == 2
    with pytest.raises(PermissionDenied):
        services.flagged_votes_decide(
            actor=world.people[Role.COUNTY_OFFICIAL], contest=contest, decision="count"
        )
    assert services.flagged_votes_decide(actor=city, contest=contest, decision="count") == 2
    assert selectors.entries_public(contest).get().vote_count == 22
    assert selectors.flagged_votes(contest) == 0


def test_engagement_counts_voluntary_participation_apart(world: Any, bank: None) -> None:
    city = world.people[Role.CITY_OFFICIAL]
    quiz = quiz_make(city)
    services.quiz_entry_start(quiz=quiz, phone=PHONE, city_code="370200")
    services.quiz_entry_start(
        quiz=quiz, phone="13900000009", city_code="370200", organised_by_employer=True
    )
    figures = selectors.engagement(city, year=timezone.localdate().year)
    assert figures["totals"]["voluntary_entries"] == 1
    assert figures["totals"]["organised_entries"] == 1
    assert figures["participants"]["quiz"] == 2
    assert (
        selectors.engagement(world.jinan_city_official, year=timezone.localdate().year)["totals"][
            "quiz_entries"
        ]
        == 0
    )
    assert QuizEntry.objects.count() == 2
