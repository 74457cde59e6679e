from __future__ import annotations

import pytest

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.regions.models import PilotYear, Region
from yufang.regions.services import pilot_year_set, regions_import
from yufang.tests.factories import region

pytestmark = pytest.mark.django_db


def test_reference_import_is_idempotent_and_complete(db):
    result = regions_import()
    assert (result.created, result.updated) == (0, 0)
    assert (
        Region.objects.filter(level=Region.Level.COUNTY, is_development_zone=False).count() == 136
    )
    assert Region.objects.filter(is_development_zone=True).count() == 15
    assert Region.objects.filter(level=Region.Level.TOWNSHIP).count() == 1853
    township = region("370211001")
    assert township.county.code == "370211" and township.city.code == "370200"
    assert region("370116").name == "莱芜区"  # Laiwu merged into Jinan in 2019


def test_province_official_sets_pilot_years_and_it_is_recorded(client, world):
    official = world.people[Role.PROVINCE_OFFICIAL]
    pilot_year_set(actor=official, city=region("370500"), year=2021, is_pilot=True)
    assert PilotYear.objects.filter(city__code="370500", year=2021).exists()
    assert AuditEntry.objects.filter(model="regions.PilotYear", action="create").exists()
    client.force_login(world.people[Role.CITY_OFFICIAL])
    assert (
        client.post_direct("/regions/370500/pilot/", {"year": "2021", "is_pilot": "0"}).status_code
        == 403
    )
    client.force_login(official)
    client.submit("/regions/", {"year": "2021", "is_pilot": "0"}, action="/regions/370500/pilot/")
    assert not PilotYear.objects.filter(city__code="370500", year=2021).exists()
    assert "东营市" in client.get("/regions/?year=2021").content.decode()


def test_grid_import_is_all_or_nothing(tmp_path, world):
    from yufang.regions.models import Grid
    from yufang.regions.services import GridInvalid, grids_import

    good = tmp_path / "grids.csv"
    good.write_text(
        "code,name,township_code,latitude,longitude\nG1,一网格,370211001,35.9,120.1\n", "utf-8"
    )
    assert grids_import(actor=None, path=good) == {"created": 1, "updated": 0}
    assert grids_import(actor=None, path=good) == {"created": 0, "updated": 0}
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,township_code\nG2,二网格,370211001\nG3,三网格,999999999\n", "utf-8")
    with pytest.raises(GridInvalid) as exc:
        grids_import(actor=None, path=bad)
    assert "row 3" in exc.value.errors
    assert not Grid.objects.filter(code="G2").exists()
