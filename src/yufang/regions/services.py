from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from yufang.audit.services import audit_create, audit_delete, audit_update, snapshot
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Grid, PilotYear, Region

DATA_DIR = Path(settings.PACKAGE_DIR) / "data"


class RegionError(InvalidInput):
    pass


@dataclass
class RegionImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _upsert(
    existing: dict[str, Region], code: str, fields: dict[str, Any], result: RegionImportResult
) -> Region:
    region = existing.get(code)
    if region is None:
        region = Region.objects.create(code=code, **fields)
        existing[code] = region
        result.created += 1
        return region
    changed = [k for k, v in fields.items() if getattr(region, k) != v]
    if changed:
        for k in changed:
            setattr(region, k, fields[k])
        region.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return region


@transaction.atomic
def regions_import(
    *,
    divisions_file: Path | None = None,
    townships_file: Path | None = None,
) -> RegionImportResult:
    """Create or refresh the province, cities, counties and townships from the packaged data.

    Idempotent: running it again changes nothing unless the files changed.
    """
    divisions_file = divisions_file or DATA_DIR / "shandong_divisions.csv"
    townships_file = townships_file or DATA_DIR / "shandong_townships.csv"
    result = RegionImportResult()
    existing = {r.code: r for r in Region.objects.all()}
    with divisions_file.open(encoding="utf-8") as fh:
        divisions = sorted(csv.DictReader(fh), key=lambda r: int(r["level"]))
    for row in divisions:
        level = int(row["level"])
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        if level > 1 and parent is None:
            raise RegionError(f"{row['code']}: unknown parent {row['parent_code']}")
        fields: dict[str, Any] = {
            "name": row["name"],
            "name_trad": row["name_trad"],
            "level": level,
            "kind": row["type"],
            "parent_id": parent.pk if parent else None,
            "city_id": (parent.pk if level == Region.Level.COUNTY else None) if parent else None,
            "county_id": None,
            "is_development_zone": row["in_gbt2260_mca"] == "0",
            "is_abolished": False,
        }
        _upsert(existing, row["code"], fields, result)
    with townships_file.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            county = existing.get(row["county_code"])
            if county is None:
                raise RegionError(f"{row['code']}: unknown county {row['county_code']}")
            fields = {
                "name": row["name"],
                "name_trad": "",
                "level": Region.Level.TOWNSHIP,
                "kind": "",
                "parent_id": county.pk,
                "city_id": county.city_id,
                "county_id": county.pk,
                "is_development_zone": False,
                "is_abolished": False,
            }
            _upsert(existing, row["code"], fields, result)
    return result


@transaction.atomic
def pilot_year_set(*, actor: Any, city: Region, year: int, is_pilot: bool, note: str = "") -> None:
    if city.level != Region.Level.CITY:
        raise RegionError("only a city can be a pilot")
    current = PilotYear.objects.filter(city=city, year=year).first()
    if is_pilot and current is None:
        audit_create(actor, PilotYear.objects.create(city=city, year=year, note=note))
    elif not is_pilot and current is not None:
        audit_delete(actor, current)
        current.delete()


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
