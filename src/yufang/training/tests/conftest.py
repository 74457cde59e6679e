"""Training fixtures: a base in Qingdao run by the world's institution, and trainees."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.lib.identifiers import id_number_check_character
from yufang.tests.factories import region
from yufang.training import services as svc
from yufang.training.models import Hall, SessionKind, Trainee, TrainingBase, TrainingSession

DATA = Path(__file__).resolve().parents[2] / "data" / "question_bank.json"


def id_number(n: int, born: str = "19850101") -> str:
    body = f"370211{born}{n % 1000:03d}"
    return body + id_number_check_character(body)


@pytest.fixture
def staff(world: Any) -> Any:
    return world.people[Role.INSTITUTION_STAFF]


@pytest.fixture
def base(world: Any, staff: Any) -> TrainingBase:
    return svc.base_create(
        actor=staff,
        name="青岛市工伤预防培训基地",
        city=region("370200"),
        address="黄岛区",
        institution=staff.institution,
    )


@pytest.fixture
def hall(base: TrainingBase, staff: Any) -> Hall:
    return svc.hall_create(actor=staff, base=base, name="消防体验馆", topic="fire", capacity=3)


def at(days: int = 0, hour: int = 9) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def today_whole() -> tuple[dt.datetime, dt.datetime]:
    """Today in Shanghai from midnight to midnight.

    A session on the day can be checked into and is still open for booking at any hour
    the suite runs, including the minutes around midnight.
    """
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(0, 0)))
    return start, timezone.make_aware(
        dt.datetime.combine(timezone.localdate(start + dt.timedelta(days=1)), dt.time(0, 0))
    )


def schedule(
    actor: Any,
    hall: Hall,
    *,
    days: int = 1,
    hour: int = 9,
    trainer: str = "王老师",
    capacity: int | None = None,
) -> TrainingSession:
    return svc.session_schedule(
        actor=actor,
        data=svc.SessionFields(
            kind=SessionKind.HALL,
            title="消防安全体验",
            topic="fire",
            trainer=trainer,
            starts_at=at(days, hour),
            ends_at=at(days, hour + 3),
            class_hours=Decimal("4"),
            capacity=capacity,
            hall=hall,
        ),
    )


def trainee(
    actor: Any, enterprise: Any, n: int, *, key_role: str = "", user: Any = None
) -> Trainee:
    return svc.trainee_upsert(
        actor=actor,
        name=f"学员{n}",
        id_number=id_number(n),
        enterprise=enterprise,
        key_role=key_role,
        user=user,
    )


@pytest.fixture
def bank(world: Any) -> int:
    return svc.question_bank_import(
        actor=world.people[Role.ADMIN], document=json.loads(DATA.read_text(encoding="utf-8"))
    )
