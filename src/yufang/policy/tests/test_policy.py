from __future__ import annotations

import datetime as dt

import pytest

from yufang import policy


def test_value_in_force_on_a_date():
    divisions = policy.value("key_industry_divisions", dt.date(2024, 1, 1))
    assert "26" in divisions  # chemicals
    assert "47" in divisions  # construction


def test_a_date_before_every_value_is_an_error():
    with pytest.raises(policy.ParameterError):
        policy.value("key_industry_divisions", dt.date(2000, 1, 1))


def test_every_parameter_has_unit_and_sources():
    for name in policy.names():
        parameter = policy.parameter(name)
        assert parameter.unit, name
        assert all(v.source for v in parameter.values), name
