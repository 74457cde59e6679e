"""The working-day calendar's table exists only where `yufang.policy` is an installed app."""

from __future__ import annotations

import pytest
from django.apps import apps

requires_calendar = pytest.mark.skipif(
    not apps.is_installed("yufang.policy"),
    reason="yufang.policy is not in INSTALLED_APPS: the working-day calendar has no table",
)
