"""Personal ID numbers at rest: a keyed digest to match on, and an encrypted copy for the few
who may see the whole number. Injury cases and trainees use the same keys, so one person can
be matched across domains without anyone storing the number in clear.

Both keys derive from SECRET_KEY: changing it makes stored digests and copies unreadable.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet


def _secret() -> str:
    from django.conf import settings

    return str(settings.SECRET_KEY)


@lru_cache(maxsize=8)
def _key(purpose: str, secret: str) -> bytes:
    return hashlib.sha256(f"yufang.id-number.{purpose}:{secret}".encode()).digest()


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key("encryption", secret)))


def id_number_digest(number: str) -> str:
    """Equal numbers give equal digests; the number cannot be read back from it."""
    return hmac.new(_key("digest", _secret()), number.encode(), hashlib.sha256).hexdigest()


def id_number_encrypt(number: str) -> str:
    return _fernet(_secret()).encrypt(number.encode()).decode()


def id_number_decrypt(token: str) -> str:
    return _fernet(_secret()).decrypt(token.encode()).decode()
