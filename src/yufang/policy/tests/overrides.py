"""Tests give a dated parameter a value of their own (a working-day rule no Shandong region
has), without touching the YAML."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from yufang import policy


def set_parameter(
    monkeypatch: pytest.MonkeyPatch, name: str, value: Any, *, since: dt.date
) -> None:
    loaded = dict(policy._load())
    old = loaded[name]
    loaded[name] = policy.Parameter(
        old.name,
        old.description,
        old.unit,
        (*old.values, policy.DatedValue(since=since, value=value, source="test")),
    )
    monkeypatch.setattr(policy, "_load", lambda: loaded)
