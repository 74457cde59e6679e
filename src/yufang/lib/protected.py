"""Personal ID numbers at rest: a keyed digest to match on, and an encrypted copy for the few
who may see the whole number. Injury cases and trainees use the same keys, so one person can
be matched across domains without anyone storing the number in clear.

The copy is AES-256-GCM with a random 96-bit nonce (`a1:` + base64 of nonce and ciphertext).
Copies written before it are Fernet tokens and still decrypt. AES-GCM replaced Fernet because
the bureau's yearly case files run to hundreds of thousands of rows, and Fernet (CBC, a
separate HMAC, a timestamp) cost several times more per number for no extra protection.

Both keys derive from SECRET_KEY: changing it makes stored digests and copies unreadable.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_PREFIX = "a1:"
# Binds each ciphertext to what it is, so a copy cannot be passed off as another kind of secret.
_ASSOCIATED = b"yufang.id-number"
# What turns base64 into its URL-safe form (`base64.urlsafe_b64encode`).
_URLSAFE = bytes.maketrans(b"+/", b"-_")


def _secret() -> str:
    from django.conf import settings

    return str(settings.SECRET_KEY)


@lru_cache(maxsize=8)
def _key(purpose: str, secret: str) -> bytes:
    return hashlib.sha256(f"yufang.id-number.{purpose}:{secret}".encode()).digest()


@lru_cache(maxsize=4)
def _aead(secret: str) -> AESGCM:
    return AESGCM(_key("aes-gcm", secret))


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_key("encryption", secret)))


def id_number_digest(number: str) -> str:
    """Equal numbers give equal digests; the number cannot be read back from it."""
    return hmac.digest(_key("digest", _secret()), number.encode(), "sha256").hex()


def phone_digest(phone: str) -> str:
    """A phone number's stand-in where only equality matters (one entry a day, one vote)."""
    return hmac.digest(_key("phone-digest", _secret()), phone.encode(), "sha256").hex()


def phone_mask(phone: str) -> str:
    """138****5678: enough for its owner to recognise, not enough to call."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "****"


def id_number_encrypt(number: str) -> str:
    nonce = os.urandom(12)
    sealed = _aead(_secret()).encrypt(nonce, number.encode(), _ASSOCIATED)
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def id_numbers_protect(numbers: list[str]) -> list[tuple[str, str]]:
    """(digest, encrypted copy) of many numbers: what `id_number_digest` and
    `id_number_encrypt` give one by one, with keys and random nonces fetched once.

    Each digest starts from a copy of one keyed HMAC: keying it anew, as `hmac.digest`
    does, costs more than the digest itself (half of a case file's protection, measured).
    """
    secret = _secret()
    keyed, encrypt = (
        hmac.new(_key("digest", secret), digestmod=hashlib.sha256).copy,
        _aead(secret).encrypt,
    )
    nonces = os.urandom(12 * len(numbers))
    encode = binascii.b2a_base64
    out = []
    for i, number in enumerate(numbers):
        raw = number.encode()
        nonce = nonces[12 * i : 12 * i + 12]
        sealed = encode(nonce + encrypt(nonce, raw, _ASSOCIATED), newline=False)
        digest = keyed()
        digest.update(raw)
        out.append((digest.hexdigest(), _PREFIX + sealed.translate(_URLSAFE).decode()))
    return out


def id_number_decrypt(token: str) -> str:
    if token.startswith(_PREFIX):
        raw = base64.urlsafe_b64decode(token[len(_PREFIX) :])
        return _aead(_secret()).decrypt(raw[:12], raw[12:], _ASSOCIATED).decode()
    return _fernet(_secret()).decrypt(token.encode()).decode()
