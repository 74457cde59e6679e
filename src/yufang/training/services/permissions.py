"""Who may run training placed where (an institution, a city, a county)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from yufang.accounts.scoping.training import may_run
from yufang.training.models import (
    TrainingSession,
)


def _require_run(
    user: Any, *, institution_id: int | None, city_id: int | None, county_id: int | None = None
) -> None:
    if not may_run(user, institution_id=institution_id, city_id=city_id, county_id=county_id):
        raise PermissionDenied(_("Your role cannot run training here."))


def may_run_session(user: Any, session: TrainingSession) -> bool:
    return may_run(
        user,
        institution_id=session.institution_id,
        city_id=session.city_id,
        county_id=session.county_id,
    )
