from __future__ import annotations

from typing import Any

import pytest

from yufang.outreach.tests.factories import bank_load


@pytest.fixture
def bank(db: Any) -> None:
    bank_load()
