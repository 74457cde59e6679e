"""Proving a phone number with a code sent by SMS, for the public's pages (a prize quiz, a
vote, a worker's own injury-recognition application).

A number gets at most one code a minute for each purpose and `HOURLY_PER_PHONE` an hour; one address asks for at
most `HOURLY_PER_SOURCE` an hour (a bulk sender is stopped without locking out a shared office
address at once). A code lives `CODE_MINUTES` and allows `TRIES` wrong guesses. A proved number
is kept in the session for `VERIFIED_MINUTES`, per purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from yufang.lib.errors import InvalidInput
from yufang.lib.protected import phone_digest
from yufang.notifications.models import PhoneCode

CODE_MINUTES = 10
TRIES = 5
HOURLY_PER_PHONE = 5
HOURLY_PER_SOURCE = 30
VERIFIED_MINUTES = 30
PURPOSES = {"quiz", "vote", "contest_entry", "recognition"}
# Mainland mobile numbers: 11 digits starting 1[3-9].
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SESSION_KEY = "verified_phones"


def phone_clean(phone: str) -> str:
    number = re.sub(r"[\s-]", "", str(phone or ""))
    if number.startswith("+86"):
        number = number[3:]
    if not _MOBILE.match(number):
        raise InvalidInput(_("Enter an 11-digit mainland mobile number."), field="phone")
    return number


def _code_digest(code: str) -> str:
    key = hashlib.sha256(f"yufang.phone-code:{settings.SECRET_KEY}".encode()).digest()
    return hmac.digest(key, code.encode(), "sha256").hex()


def _purpose(purpose: str) -> str:
    if purpose not in PURPOSES:
        raise InvalidInput(_("Unknown purpose."), field="purpose")
    return purpose


def phone_code_send(*, phone: str, purpose: str, source: str) -> None:
    """Sends a fresh code; earlier unused codes for the same number and purpose stop working."""
    number = phone_clean(phone)
    purpose = _purpose(purpose)
    digest = phone_digest(number)
    now = timezone.now()
    with transaction.atomic():
        recent = PhoneCode.objects.filter(created_at__gte=now - dt.timedelta(hours=1))
        mine = recent.filter(phone_digest=digest)
        # One a minute per purpose: proving a number for the quiz does not hold up a vote.
        if mine.filter(purpose=purpose, created_at__gte=now - dt.timedelta(minutes=1)).exists():
            raise InvalidInput(
                _("A code was sent to this number less than a minute ago; please wait."),
                field="phone",
            )
        if mine.count() >= HOURLY_PER_PHONE:
            raise InvalidInput(
                _("Too many codes for this number in the last hour; try again later."),
                field="phone",
            )
        if source and recent.filter(source=source).count() >= HOURLY_PER_SOURCE:
            raise InvalidInput(
                _("Too many codes requested from your address; try again later."), field="phone"
            )
        mine.filter(purpose=purpose, used_at__isnull=True).update(used_at=now)
        code = f"{secrets.randbelow(1_000_000):06d}"
        PhoneCode.objects.create(
            phone_digest=digest,
            purpose=purpose,
            code_digest=_code_digest(code),
            source=source[:64],
            created_at=now,
            expires_at=now + dt.timedelta(minutes=CODE_MINUTES),
        )
    text = _("Your verification code is %(code)s, valid for %(minutes)s minutes.") % {
        "code": code,
        "minutes": CODE_MINUTES,
    }
    import_string(settings.SMS_BACKEND)().send(number, text)


def code_in(text: str) -> str:
    """The code in a message `phone_code_send` sent (for tests and the console backend)."""
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
    return found.group(1) if found else ""


def phone_code_check(*, phone: str, code: str, purpose: str) -> None:
    number = phone_clean(phone)
    purpose = _purpose(purpose)
    now = timezone.now()
    wrong = InvalidInput(_("The code is wrong or has expired; ask for a new one."), field="code")
    with transaction.atomic():
        latest = (
            PhoneCode.objects.select_for_update()
            .filter(phone_digest=phone_digest(number), purpose=purpose, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if latest is None or latest.expires_at <= now or latest.attempts >= TRIES:
            raise wrong
        # A wrong guess is counted (outside the refusal, so the count is kept).
        matched = hmac.compare_digest(latest.code_digest, _code_digest(str(code).strip()))
        if matched:
            latest.used_at = now
            latest.save(update_fields=["used_at"])
        else:
            latest.attempts += 1
            latest.save(update_fields=["attempts"])
    if not matched:
        raise wrong


def phone_verified_remember(request: Any, *, phone: str, purpose: str) -> None:
    until = timezone.now() + dt.timedelta(minutes=VERIFIED_MINUTES)
    verified = dict(request.session.get(_SESSION_KEY, {}))
    verified[_purpose(purpose)] = {"phone": phone_clean(phone), "until": until.isoformat()}
    request.session[_SESSION_KEY] = verified


def verified_phone(request: Any, *, purpose: str) -> str | None:
    entry = request.session.get(_SESSION_KEY, {}).get(purpose)
    if not entry:
        return None
    try:
        until = dt.datetime.fromisoformat(entry["until"])
    except (KeyError, TypeError, ValueError):
        return None
    if until <= timezone.now():
        return None
    return str(entry["phone"])


def phone_codes_forget(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Codes are only needed for the limits above; old ones go (the nightly upkeep)."""
    deleted, _unused = PhoneCode.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted
