"""The injuries domain's audit entries are written by the audit app's services, one entry per
import rather than one per row."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from yufang.accounts.models import Role
from yufang.audit.models import AuditEntry
from yufang.audit.services import audit_create_bulk
from yufang.injuries.models import InjuryCase

SERVICES = Path(__file__).resolve().parents[1] / "services"


def test_injuries_services_write_no_audit_entry_themselves():
    for path in SERVICES.glob("*.py"):
        tree = ast.parse(path.read_text())
        direct = [
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id == "AuditEntry"
        ]
        assert not direct, f"{path.name}:{direct} writes AuditEntry directly"


@pytest.mark.django_db
def test_a_bulk_create_is_one_entry_with_its_count(world):
    official = world.people[Role.COUNTY_OFFICIAL]
    audit_create_bulk(
        official,
        InjuryCase,
        count=250_000,
        object_id="import:7",
        changes={"import_job": 7},
        reason="import",
    )
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.model, entry.object_id, entry.reason) == (
        AuditEntry.Action.CREATE,
        "injuries.InjuryCase",
        "import:7",
        "import",
    )
    assert entry.actor == official
    assert entry.changes == {"created": 250_000, "import_job": 7}
    assert entry.object_repr == "250000 injuries.InjuryCase"
