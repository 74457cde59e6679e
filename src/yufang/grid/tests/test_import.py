"""Enterprises placed in grids by import: the whole file is checked first, rows are placed
"by import", and a row outside the user's grids is refused by name."""

from __future__ import annotations

from typing import Any

import pytest

from yufang.accounts.models import Role
from yufang.grid.importers import grid_placement_importer
from yufang.support.import_kinds import importer_for

pytestmark = pytest.mark.django_db


def test_a_county_official_places_enterprises_by_import(world: Any) -> None:
    county = world.people[Role.COUNTY_OFFICIAL]
    assert importer_for("grid_placements") is grid_placement_importer
    rows = [
        (2, {"credit_code": world.enterprise.credit_code, "grid": world.other_grid.code}),
        (3, {"credit_code": world.jinan_enterprise.credit_code, "grid": world.grid.code}),
    ]
    checked = grid_placement_importer.validate(rows, user=county, options={})
    assert [(e.row, e.field) for e in checked.errors] == [(3, "credit_code")]
    checked = grid_placement_importer.validate(rows[:1], user=county, options={})
    result = grid_placement_importer.apply(
        checked, user=county, options={}, progress=lambda n: None
    )
    assert result == {"placed": 1, "unchanged": 0}
    world.enterprise.refresh_from_db()
    assert world.enterprise.grid_id == world.other_grid.pk
    assert world.enterprise.grid_placement.method == "import"  # type: ignore[attr-defined]
