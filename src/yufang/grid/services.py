from __future__ import annotations

import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.grid.models import Grid
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region


class GridInvalid(InvalidInput):
    pass


def _coordinate(raw: str, low: int, high: int) -> Decimal | None:
    if not raw.strip():
        return None
    value = Decimal(raw.strip())
    if not low <= value <= high:
        raise InvalidOperation
    return value.quantize(Decimal("0.000001"))


@transaction.atomic
def grids_import(*, actor: Any, path: Path) -> dict[str, int]:
    """Create or refresh grids from a CSV (code, name, township_code[, latitude, longitude]).

    Idempotent and all-or-nothing: one bad row and nothing changes.
    """
    townships = {r.code: r for r in Region.objects.filter(level=Region.Level.TOWNSHIP)}
    existing = {g.code: g for g in Grid.objects.all()}
    created = updated = 0
    errors: dict[str, str] = {}
    with path.open(encoding="utf-8-sig") as fh:
        for number, row in enumerate(csv.DictReader(fh), start=2):
            code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
            township = townships.get((row.get("township_code") or "").strip())
            if not code or not name:
                errors[f"row {number}"] = _("code and name are required")
                continue
            if township is None:
                errors[f"row {number}"] = _("Unknown township code: %(code)s") % {
                    "code": row.get("township_code")
                }
                continue
            try:
                lat = _coordinate(row.get("latitude") or "", -90, 90)
                lng = _coordinate(row.get("longitude") or "", -180, 180)
            except InvalidOperation:
                errors[f"row {number}"] = _("latitude/longitude out of range or not a number")
                continue
            fields = {
                "name": name,
                "township": township,
                "county_id": township.county_id,
                "city_id": township.city_id,
                "latitude": lat,
                "longitude": lng,
            }
            grid = existing.get(code)
            if grid is None:
                grid = Grid.objects.create(code=code, **fields)
                audit_create(actor, grid)
                existing[code] = grid
                created += 1
            else:
                before = snapshot(grid)
                for k, v in fields.items():
                    setattr(grid, k, v)
                grid.save()
                if audit_update(actor, grid, before):
                    updated += 1
    if errors:
        transaction.set_rollback(True)
        raise GridInvalid(errors)
    return {"created": created, "updated": updated}
