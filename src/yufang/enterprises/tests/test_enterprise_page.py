"""The enterprise's page is its whole picture: headcounts, hazards and assessments,
training, injury cases, its grid and grid worker, each part as that part's own list would
show it to the user."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from yufang.accounts.models import Role
from yufang.hazards import services as hazards
from yufang.injuries.services import case_create
from yufang.injuries.tests.helpers import case_data, insure
from yufang.support.topics import Topic

pytestmark = pytest.mark.django_db

R = Role


@pytest.fixture
def pictured(world):
    """The world's enterprise with an open hazard, a case and headcounts."""
    e = world.enterprise
    insure(e, 2023, 200)
    insure(e, 2024, 250)
    hazards.hazard_report(
        actor=world.people[R.COUNTY_OFFICIAL],
        enterprise=e,
        topic=Topic.CONFINED_SPACE,
        level="ordinary",
        description="有限空间入口未设警示标志",
    )
    case_create(actor=world.people[R.CITY_OFFICIAL], data=case_data(e, 1))
    return world


def test_city_official_reads_the_whole_picture(client, pictured):
    world = pictured
    client.force_login(world.people[R.CITY_OFFICIAL])
    html = client.get(f"/enterprises/{world.enterprise.pk}/").content.decode()
    for part in ("panel-headcounts", "panel-hazards", "panel-training", "panel-injuries"):
        assert f'data-testid="{part}"' in html, part
    assert "有限空间入口未设警示标志" in html
    assert f"/hazards/list/?enterprise={world.enterprise.pk}" in html
    assert f"/injuries/cases/?enterprise={world.enterprise.pk}" in html
    assert f"/injuries/cases/new/?enterprise={world.enterprise.pk}" in html
    assert f"/hazards/new/?enterprise={world.enterprise.pk}" in html
    assert "4.00" in html  # 1 case among 250 insured in 2024, per 1,000
    assert world.grid.name in html
    assert world.people[R.GRID_WORKER].full_name or world.people[R.GRID_WORKER].username in html


def test_grid_worker_of_the_grid_is_named_with_a_phone(client, world):
    worker = world.people[R.GRID_WORKER]
    worker.phone = "13812345678"
    worker.save()
    client.force_login(world.people[R.COUNTY_OFFICIAL])
    html = client.get(f"/enterprises/{world.enterprise.pk}/").content.decode()
    assert 'href="tel:13812345678"' in html
    other = client.get(f"/enterprises/{world.other_enterprise.pk}/").content.decode()
    assert "13812345678" not in other


def test_a_worker_sees_no_injuries_or_training_of_the_enterprise(client, pictured):
    client.force_login(pictured.people[R.WORKER])
    html = client.get(f"/enterprises/{pictured.enterprise.pk}/").content.decode()
    assert 'data-testid="panel-injuries"' not in html
    assert 'data-testid="panel-training"' not in html
    assert 'data-testid="panel-hazards"' in html


def test_history_names_fields_as_people_read_them(client, world):
    from yufang.enterprises.services import enterprise_update

    enterprise_update(
        actor=world.people[R.COUNTY_OFFICIAL],
        enterprise=world.enterprise,
        data={"risk_class_override": "7", "risk_class_override_reason": "核定", "county": "370211"},
    )
    client.force_login(world.people[R.COUNTY_OFFICIAL])
    html = client.get(
        f"/enterprises/{world.enterprise.pk}/", headers={"accept-language": "zh-hans"}
    ).content.decode()
    assert "risk_class_is_override" not in html and "risk_class" not in html.split("history")[-1]


def test_the_backbone_imports_no_programme_module():
    """enterprises is the backbone: the programme's modules register their panels with it."""
    root = Path(__file__).resolve().parents[1]
    for path in root.glob("*.py"):
        if path.name == "demo.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            for name in names:
                assert not name.startswith(
                    ("yufang.hazards", "yufang.training", "yufang.injuries")
                ), (path.name, name)


def test_the_headcount_form_refuses_numbers_past_its_columns(client, world):
    from yufang.accounts.models import Role

    client.force_login(world.people[Role.COUNTY_OFFICIAL])
    page = f"/enterprises/{world.enterprise.pk}/"
    for field, value in (
        ("insured_headcount", "99999999999999999999"),
        ("year", "99999999999999999999"),
        ("hours_worked", "1e30"),
    ):
        data = {"action": "headcount", "year": "2024", "insured_headcount": "10"}
        data[field] = value
        response = client.submit(page, data)
        assert response.status_code == 200, field
        assert 'data-testid="form-errors"' in response.content.decode(), field
