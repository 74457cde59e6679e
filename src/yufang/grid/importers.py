"""Enterprises into grids by import: a file of credit codes and grid codes, checked whole
before anything is written, each row placed through `enterprise_place` (flagged "by import")."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yufang.accounts.models import Role
from yufang.accounts.scoping.grid import may_manage_grid
from yufang.enterprises.selectors import enterprises_visible
from yufang.grid.models import PlacementMethod
from yufang.grid.selectors import grids_visible
from yufang.lib.errors import InvalidInput
from yufang.support.import_kinds import Column, Progress, RowError, Validated


@dataclass
class GridPlacementImporter:
    kind: str = "grid_placements"
    label: Any = gettext_lazy("Enterprises into grids")
    roles: frozenset[Any] = frozenset(
        {Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.ADMIN}
    )
    columns: list[Column] = field(
        default_factory=lambda: [
            Column(
                "credit_code",
                gettext_lazy("Unified social credit code"),
                required=True,
                aliases=("统一社会信用代码", "信用代码", "credit code"),
            ),
            Column(
                "grid",
                gettext_lazy("Grid code"),
                required=True,
                aliases=("网格", "网格编码", "网格代码", "grid code"),
            ),
        ]
    )

    def validate(
        self, records: list[tuple[int, dict[str, str]]], *, user: Any, options: dict[str, Any]
    ) -> Validated:
        codes = {r.get("credit_code", "").strip().upper() for _n, r in records}
        grid_codes = {r.get("grid", "").strip() for _n, r in records}
        enterprises = {
            e.credit_code: e for e in enterprises_visible(user).filter(credit_code__in=codes)
        }
        grids = {g.code: g for g in grids_visible(user).filter(code__in=grid_codes)}
        out = Validated()
        for number, row in records:
            code = row.get("credit_code", "").strip().upper()
            enterprise = enterprises.get(code)
            grid = grids.get(row.get("grid", "").strip())
            if enterprise is None:
                out.errors.append(
                    RowError(
                        number, "credit_code", _("No enterprise in your area has this credit code.")
                    )
                )
            elif grid is None or not may_manage_grid(user, grid):
                out.errors.append(RowError(number, "grid", _("No grid you manage has this code.")))
            elif grid.county_id != enterprise.county_id:
                out.errors.append(
                    RowError(number, "grid", _("The grid is not in the enterprise's county."))
                )
            else:
                out.rows.append((enterprise, grid))
                if len(out.preview) < 20:
                    out.preview.append({"credit_code": code, "grid": grid.code})
        return out

    def apply(
        self, validated: Validated, *, user: Any, options: dict[str, Any], progress: Progress
    ) -> dict[str, int]:
        from yufang.grid.services import enterprise_place

        placed = unchanged = 0
        for index, (enterprise, grid) in enumerate(validated.rows, start=1):
            if enterprise.grid_id == grid.pk:
                unchanged += 1
            else:
                try:
                    enterprise_place(
                        actor=user, enterprise=enterprise, grid=grid, method=PlacementMethod.IMPORT
                    )
                except InvalidInput:
                    unchanged += 1
                    continue
                placed += 1
            if index % 500 == 0:
                progress(index)
        return {"placed": placed, "unchanged": unchanged}


grid_placement_importer = GridPlacementImporter()
