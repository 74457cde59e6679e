from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from yufang.audit.services import audit_create, audit_delete
from yufang.lib.errors import InvalidInput
from yufang.regions.models import PilotYear, Region

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
