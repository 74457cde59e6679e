from __future__ import annotations

import datetime as dt

import pytest

from yufang.lib.identifiers import (
    check_credit_code,
    check_id_number,
    id_number_sex,
    mask_id_number,
    organisation_code_check_character,
)

# Test vectors from domain.md §7 (checked against python-stdnum and public validators).
VALID_CREDIT_CODES = [
    "91350200776049653A",
    "913502000728319549",
    "91440101MA5CJQ4N59",
    "913701001234567881",
]


@pytest.mark.parametrize("code", VALID_CREDIT_CODES)
def test_valid_credit_codes_pass(code):
    assert check_credit_code(code).ok


def test_credit_code_is_normalised_before_checking():
    assert check_credit_code(" 91350200776049653a ").ok


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350200776049653", "length"),
        ("9135020077604965IA", "characters"),  # I is not used
        ("91350200776049653B", "check_digit"),
        ("91350203M0001QAY9B", "check_digit"),  # a real early pilot code that fails the check
        ("91AB0200776049653A", "region"),
    ],
)
def test_bad_credit_codes_say_why(code, reason):
    result = check_credit_code(code)
    assert not result.ok
    assert result.reason == reason


def test_organisation_code_check_character_counts_letters_from_ten():
    # GB 11714 example: D2143569 → check X is not needed; compute a known one.
    assert organisation_code_check_character("77604965") == "3"


@pytest.mark.parametrize("number", ["11010519491231002X", "370102199003071238"])
def test_valid_id_numbers_pass(number):
    assert check_id_number(number).ok


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("370102199003071234", "check_digit"),
        ("37010219900307123", "length"),
        ("370102199002301238", "date"),  # 30 February
        ("37010219900307123Y", "characters"),
    ],
)
def test_bad_id_numbers_say_why(number, reason):
    assert check_id_number(number).reason == reason


def test_id_number_born_in_the_future_is_refused():
    assert check_id_number("370102203003071230", today=dt.date(2026, 11, 29)).reason in {
        "date",
        "check_digit",
    }


def test_abolished_region_codes_are_accepted():
    # 371200 Laiwu was abolished in 2019; numbers issued there keep the code.
    body = "37120219850101123"
    from yufang.lib.identifiers import id_number_check_character

    assert check_id_number(body + id_number_check_character(body)).ok


def test_id_number_is_masked_to_region_and_last_four():
    assert mask_id_number("370102199003071238") == "370102********1238"


def test_id_number_sex_from_the_sequence_digit():
    assert id_number_sex("370102199003071238") == "male"
    assert id_number_sex("11010519491231002X") == "female"


def test_check_character_tables_agree_with_the_weighted_sum():
    import random

    from yufang.lib.identifiers import _ID_CHECK, _ID_WEIGHTS, id_number_check_character

    rng = random.Random(11643)
    for _ in range(2000):
        body = "".join(rng.choice("0123456789") for _ in range(17))
        expected = _ID_CHECK[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
        assert id_number_check_character(body) == expected


def test_id_number_with_non_ascii_digits_is_refused():
    assert check_id_number("１１０１０５１９４９１２３１００２X").reason in {"characters", "length"}
    assert check_id_number("11010519491231002²").reason == "characters"
