"""Records and files for the outreach tests: a question bank, quizzes, contests, entries, and
the files an entrant sends (a photo made by Pillow, a tiny MP4 made from its boxes)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from yufang.accounts.models import Role
from yufang.outreach import services
from yufang.outreach.demo import mp4_bytes
from yufang.outreach.models import Contest, Entry, EntryStatus, Quiz

BANK = Path(__file__).resolve().parents[2] / "data" / "question_bank.json"
PHONE = "13800138000"


def bank_load() -> None:
    """The seed question bank, loaded through training's own service."""
    from yufang.tests.factories import persona
    from yufang.training.services import question_bank_import

    admin = persona(Role.ADMIN, is_staff=True, is_superuser=True)
    question_bank_import(actor=admin, document=json.loads(BANK.read_text(encoding="utf-8")))


def png_bytes(colour: tuple[int, int, int] = (200, 30, 30), size: int = 64) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def png(
    colour: tuple[int, int, int] = (200, 30, 30), name: str = "photo.png"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(colour), content_type="image/png")


def mp4(seconds: int = 12, name: str = "clip.mp4") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, mp4_bytes(seconds), content_type="video/mp4")


def quiz_make(actor: Any, *, open_now: bool = True, **overrides: Any) -> Quiz:
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "十二月工伤预防有奖竞答",
        "region_code": "370200",
        "opens_at": now - dt.timedelta(days=1) if open_now else now - dt.timedelta(days=10),
        "closes_at": now + dt.timedelta(days=5) if open_now else now - dt.timedelta(days=1),
        "questions_per_entry": 5,
        "qualifying_score": 3,
        "prize_count": 2,
    }
    values.update(overrides)
    return services.quiz_create(actor=actor, **values)


def contest_make(
    actor: Any, *, kind: str = "photo", judges: tuple[str, ...] = (), **overrides: Any
) -> Contest:
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "安全生产随手拍摄影大赛" if kind == "photo" else "工伤预防微视频大赛",
        "kind": kind,
        "region_code": "370200",
        "rules": "作品须为原创。",
        "opens_at": now - dt.timedelta(days=3),
        "deadline": now + dt.timedelta(days=10),
        "prizes": [1, 1],
        "voting": True,
        "judges": judges,
    }
    values.update(overrides)
    return services.contest_create(actor=actor, **values)


def entry_make(
    contest: Contest,
    *,
    colour: tuple[int, int, int] = (10, 120, 200),
    phone: str = PHONE,
    approve_by: Any = None,
    title: str = "车间里的安全帽",
) -> Entry:
    entry = services.entry_submit(
        contest=contest,
        phone=phone,
        title=title,
        author_name="李明",
        declaration=True,
        upload=png(colour) if contest.kind == "photo" else mp4(),
        city_code="370200",
    )
    if approve_by is not None:
        entry = services.entry_moderate(
            actor=approve_by, entry=entry, decision=EntryStatus.APPROVED
        )
    return entry


def contest_close(contest: Contest) -> Contest:
    """Moves a contest's deadline (and voting) into the past, as time would."""
    past = timezone.now() - dt.timedelta(minutes=1)
    Contest.objects.filter(pk=contest.pk).update(
        opens_at=past - dt.timedelta(days=5), deadline=past, voting_closes_at=past
    )
    contest.refresh_from_db()
    return contest
