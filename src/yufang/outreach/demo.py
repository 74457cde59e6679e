"""Demo publicity: a Qingdao campaign with its activities (visits into factories, workshops,
sites and schools, lectures, an exhibition, media items) and photos; last month's prize quiz
with its entries and a checked draw, this month's open for the public; a photo contest judged
and published, and an open micro-video contest with entries, judges (`city`, `institution`)
and public votes. Runs after training (ORDER 95), whose question bank the quizzes draw from."""

from __future__ import annotations

import datetime as dt
import io
import struct
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from yufang.accounts.models import User
from yufang.outreach import services
from yufang.outreach.models import ActivityKind, Contest, EntryStatus, Quiz
from yufang.support.demo import DemoContext

ORDER = 96

ACTIVITIES = [
    (ActivityKind.VISIT_ONE_ON_ONE, "上门讲解工伤保险政策", "黄岛区", 12, 6),
    (ActivityKind.VISIT_FACTORY, "送法进工厂：机械伤害预防", "黄岛区", 180, 1),
    (ActivityKind.VISIT_WORKSHOP, "车间班前会讲有限空间作业", "黄岛区", 65, 1),
    (ActivityKind.VISIT_SITE, "建筑工地高处坠落警示教育", "黄岛区", 240, 3),
    (ActivityKind.VISIT_SCHOOL, "职业院校安全第一课", "黄岛区", 420, 0),
    (ActivityKind.LECTURE, "工伤预防政策专题讲座", "市南区", 150, 38),
    (ActivityKind.EXHIBITION, "工伤预防成果展", "市北区", 1300, 52),
    (ActivityKind.MEDIA, "电视台《安全你我他》专题节目", "市南区", 52000, 0),
    (ActivityKind.MEDIA, "微信公众号案例警示推文", "市北区", 18600, 0),
    (ActivityKind.VISIT_FACTORY, "送法进企业：粉尘防爆", "即墨区", 95, 2),
    (ActivityKind.VISIT_SITE, "地铁工地安全宣讲", "李沧区", 130, 2),
    (ActivityKind.LECTURE, "危化品企业负责人培训讲座", "黄岛区", 88, 41),
]
COLOURS = [(32, 107, 196), (214, 57, 57), (47, 179, 68), (247, 103, 7), (174, 62, 201)]


def _picture(colour: tuple[int, int, int], label: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (640, 480), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40 + label * 7, 60, 600 - label * 5, 420), outline=(255, 255, 255), width=8)
    draw.ellipse((220, 140, 420, 340), fill=(255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(f"photo{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _video(seconds: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("clip.mp4", mp4_bytes(seconds), content_type="video/mp4")


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def mp4_bytes(seconds: int = 12, *, video: bool = True) -> bytes:
    """A minimal MP4: ftyp, and a moov with mvhd (timescale, duration) and one track whose
    handler is video (or sound). Enough for a reader of the boxes, not for a player."""
    ftyp = _box(b"ftyp", b"isom" + struct.pack(">I", 512) + b"isomiso2mp41")
    timescale = 1000
    mvhd = _box(
        b"mvhd",
        struct.pack(">B3sIIII", 0, b"\0\0\0", 0, 0, timescale, seconds * timescale) + b"\0" * 80,
    )
    handler = b"vide" if video else b"soun"
    hdlr = _box(b"hdlr", b"\0\0\0\0" + b"\0\0\0\0" + handler + b"\0" * 12 + b"video\0")
    mdhd = _box(
        b"mdhd",
        struct.pack(">B3sIIII", 0, b"\0\0\0", 0, 0, timescale, seconds * timescale) + b"\0\0\0\0",
    )
    trak = _box(b"trak", _box(b"mdia", mdhd + hdlr))
    return ftyp + _box(b"moov", mvhd + trak)


def _phone(n: int) -> str:
    return f"13{5 + n % 5}{(n * 7919) % 100_000_000:08d}"


def seed(ctx: DemoContext) -> None:
    city = User.objects.get(username="city")
    gridworker = User.objects.get(username="gridworker")
    institution = User.objects.get(username="institution")
    now = timezone.now()
    today = ctx.today
    campaign = _campaign(ctx, city, gridworker, institution, today)
    quizzes = _quizzes(ctx, city, now)
    contests = _contests(ctx, city, institution, now)
    ctx.log.write(
        f"outreach: campaign {campaign.activities.count()} activities, "
        f"{len(quizzes)} quizzes, {len(contests)} contests"
    )


def _campaign(
    ctx: DemoContext, city: User, gridworker: User, institution: User, today: dt.date
) -> Any:
    from yufang.regions.models import Region

    campaign = services.publicity_campaign_create(
        actor=city,
        title=f"{today.year}年青岛市工伤预防宣传季：送法进企业",
        region_code="370200",
        starts_on=today - dt.timedelta(days=150),
        ends_on=today + dt.timedelta(days=60),
        description="一对一上门、进工厂车间工地校园、专题讲座、成果展与媒体宣传，推动从“要我预防”到“我要预防”。",
    )
    counties = {
        r.name: r.code
        for r in Region.objects.filter(level=Region.Level.COUNTY, city__code="370200")
    }
    for n, (kind, title, county, people, firms) in enumerate(ACTIVITIES):
        held = today - dt.timedelta(days=(n * 11) % 140)
        actor = gridworker if kind.startswith("visit") and county == "黄岛区" else city
        if kind == ActivityKind.LECTURE:
            actor = institution
        services.outreach_activity_record(
            actor=actor,
            campaign=campaign,
            kind=kind,
            title=title,
            held_on=held,
            place=title[:20],
            county_code="" if actor is not city else counties.get(county, ""),
            people_reached=people,
            enterprises_reached=firms,
            photos=[_picture(COLOURS[n % len(COLOURS)], n)] if n % 3 == 0 else [],
        )
    return campaign


def _quizzes(ctx: DemoContext, city: User, now: dt.datetime) -> list[Quiz]:
    last_month = services.quiz_create(
        actor=city,
        title="上月工伤预防有奖知识竞答",
        region_code="370200",
        opens_at=now - dt.timedelta(days=40),
        closes_at=now - dt.timedelta(days=10),
        questions_per_entry=10,
        qualifying_score=7,
        prize_count=5,
        description="每月一期，答对7题以上参加抽奖。",
    )
    for n in range(60):
        at = last_month.opens_at + dt.timedelta(hours=9 + n * 11)
        entry = services.quiz_entry_start(
            quiz=last_month,
            phone=_phone(n),
            nickname=["小王", "老李", "阿强", "小张", "刘师傅", ""][n % 6],
            city_code=["370200", "370200", "370200", "370100", "370600"][n % 5],
            organised_by_employer=n % 4 == 0,
            now=at,
        )
        questions = services.quiz_entry_questions(entry)
        skill = 0.5 + (n % 5) / 10
        answers = {q.number: list(q.answer) if ctx.rng.random() < skill else [] for q in questions}
        services.quiz_entry_submit(
            entry=entry, answers=answers, now=at + dt.timedelta(seconds=60 + n * 3)
        )
    services.quiz_draw(actor=city, quiz=last_month)
    this_month = services.quiz_create(
        actor=city,
        title="本月工伤预防有奖知识竞答",
        region_code="370200",
        opens_at=now - dt.timedelta(days=5),
        closes_at=now + dt.timedelta(days=25),
        questions_per_entry=10,
        qualifying_score=7,
        prize_count=10,
        description="手机验证后即可答题，每天一次，10道题限时5分钟。",
    )
    for n in range(12):
        entry = services.quiz_entry_start(
            quiz=this_month,
            phone=_phone(100 + n),
            nickname=["安全员小周", "焊工老赵", "", "小陈"][n % 4],
            city_code="370200",
            organised_by_employer=n % 3 == 0,
            now=now - dt.timedelta(hours=n * 7 + 1),
        )
        answers = {
            q.number: list(q.answer) if ctx.rng.random() < 0.75 else []
            for q in services.quiz_entry_questions(entry)
        }
        services.quiz_entry_submit(
            entry=entry, answers=answers, now=entry.started_at + dt.timedelta(seconds=90)
        )
    return [last_month, this_month]


def _contests(ctx: DemoContext, city: User, institution: User, now: dt.datetime) -> list[Contest]:
    judges = (city.username, institution.username)
    photo = services.contest_create(
        actor=city,
        title="“安全在身边”摄影作品征集",
        kind="photo",
        region_code="370200",
        rules="以工作场所的安全防护、隐患排查、岗位操作为题材，作品须为本人原创，画面中人员须知情同意。",
        opens_at=now - dt.timedelta(days=60),
        deadline=now - dt.timedelta(hours=1),
        prizes=[1, 2, 3],
        voting=True,
        voting_closes_at=now - dt.timedelta(hours=1),
        judges=judges,
    )
    video = services.contest_create(
        actor=city,
        title="工伤预防微视频大赛",
        kind="video",
        region_code="370200",
        rules="时长5分钟以内的MP4短视频，讲述一个预防工伤的真实故事；作品须为原创。",
        opens_at=now - dt.timedelta(days=20),
        deadline=now + dt.timedelta(days=40),
        prizes=[1, 2, 3],
        voting=True,
        judges=judges,
    )
    titles = [
        "安全帽下的笑脸",
        "护目镜",
        "班前会",
        "有限空间三不进",
        "叉车通道",
        "高处作业挂好安全带",
        "车间的一角",
        "应急演练",
    ]
    photo_entries = []
    for n, title in enumerate(titles):
        entry = services.entry_submit(
            contest=photo,
            phone=_phone(300 + n),
            title=title,
            author_name=["李明", "王芳", "赵磊", "孙丽", "周杰", "吴昊", "郑爽", "钱进"][n],
            declaration=True,
            upload=_picture(COLOURS[n % len(COLOURS)], n + 20),
            city_code="370200",
            organised_by_employer=n % 3 == 0,
            now=photo.opens_at + dt.timedelta(days=n * 5 + 1),
        )
        photo_entries.append(
            services.entry_moderate(actor=city, entry=entry, decision=EntryStatus.APPROVED)
        )
    for n, entry in enumerate(photo_entries):
        for v in range(3 + (n * 5) % 9):
            services.vote_cast(
                entry=entry,
                phone=_phone(500 + n * 20 + v),
                source=f"10.1.{n}.{v}",
                now=photo.opens_at + dt.timedelta(days=40, hours=v),
            )
    for judge in (city, institution):
        for n, entry in enumerate(photo_entries):
            if judge is institution and n == 2:
                services.recusal_declare(actor=judge, entry=entry, reason="作者是本机构学员")
                continue
            base = 20 + ((n * 13 + (7 if judge is city else 3)) % 18)
            services.score_record(
                actor=judge,
                entry=entry,
                marks={
                    "message": min(40, base + 10),
                    "creativity": min(30, base - 5),
                    "craft": min(30, base - 3),
                },
            )
    services.contest_results_publish(actor=city, contest=photo)

    for n, title in enumerate(["一次差点发生的事故", "老师傅的安全经", "工地上的一天", "下班回家"]):
        entry = services.entry_submit(
            contest=video,
            phone=_phone(700 + n),
            title=title,
            author_name=["陈晨", "刘洋", "黄伟", "杨帆"][n],
            declaration=True,
            upload=_video(30 + n * 17),
            description="手机拍摄，讲述身边的安全故事。",
            city_code="370200",
            organised_by_employer=n == 1,
            now=now - dt.timedelta(days=10 - n),
        )
        if n < 3:
            entry = services.entry_moderate(actor=city, entry=entry, decision=EntryStatus.APPROVED)
            for v in range(n + 2):
                services.vote_cast(
                    entry=entry,
                    phone=_phone(900 + n * 10 + v),
                    source=f"10.2.{n}.{v}",
                    now=now - dt.timedelta(hours=v + 1),
                )
            if n == 0:
                services.score_record(
                    actor=institution,
                    entry=entry,
                    marks={"message": 35, "creativity": 26, "craft": 24},
                )
    return [photo, video]
