from __future__ import annotations

import base64

import pytest
from cryptography.exceptions import InvalidTag

from yufang.lib.protected import (
    _fernet,
    _secret,
    id_number_decrypt,
    id_number_digest,
    id_number_encrypt,
    id_numbers_protect,
)

NUMBER = "11010519491231002X"


def test_encrypted_copy_reads_back_and_hides_the_number():
    token = id_number_encrypt(NUMBER)
    assert token.startswith("a1:")
    assert NUMBER not in token
    assert id_number_decrypt(token) == NUMBER


def test_each_copy_has_its_own_nonce():
    assert id_number_encrypt(NUMBER) != id_number_encrypt(NUMBER)


def test_copies_written_with_fernet_still_read():
    legacy = _fernet(_secret()).encrypt(NUMBER.encode()).decode()
    assert id_number_decrypt(legacy) == NUMBER


def test_a_tampered_copy_is_refused():
    token = id_number_encrypt(NUMBER)
    raw = bytearray(base64.urlsafe_b64decode(token[3:]))
    raw[-1] ^= 1
    with pytest.raises(InvalidTag):
        id_number_decrypt("a1:" + base64.urlsafe_b64encode(bytes(raw)).decode())


def test_digest_is_stable_keyed_and_not_the_number():
    digest = id_number_digest(NUMBER)
    assert digest == id_number_digest(NUMBER)
    assert len(digest) == 64 and NUMBER not in digest
    assert digest != id_number_digest("110105194912310021")


def test_many_numbers_are_protected_as_one_by_one():
    numbers = [NUMBER, "110105194912310021", NUMBER]
    protected = id_numbers_protect(numbers)
    assert [d for d, _ in protected] == [id_number_digest(n) for n in numbers]
    assert [id_number_decrypt(c) for _, c in protected] == numbers
    assert protected[0][1] != protected[2][1]
