"""The backbone knows no programme module; the moved models kept their tables and data."""
# move.py: keep the old labels in this file

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from yufang.audit.models import AuditEntry

PACKAGE = Path(__file__).resolve().parents[2]
BACKBONE = ["regions", "enterprises", "accounts", "organisations", "industries", "policy", "audit"]
OLD_HOMES = ("grid", "funds", "council")


def test_the_backbone_imports_nothing_from_grid_funds_or_council():
    pattern = re.compile(r"^\s*(?:from|import)\s+yufang\.(?:grid|funds|council)\b.*$", re.M)
    offenders = [
        f"{path.relative_to(PACKAGE)}: {m.group(0).strip()}"
        for app in BACKBONE
        for path in sorted((PACKAGE / app).rglob("*.py"))
        if "migrations" not in path.parts
        for m in pattern.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_moved_models_keep_their_tables_and_the_foreign_keys_follow_them():
    grid = apps.get_model("regions", "Grid")
    institution = apps.get_model("organisations", "Institution")
    department = apps.get_model("organisations", "Department")
    assert grid._meta.db_table == "grid_grid"
    assert institution._meta.db_table == "funds_institution"
    assert department._meta.db_table == "council_department"
    user = apps.get_model("accounts", "User")
    assert user._meta.get_field("grid").related_model is grid
    assert user._meta.get_field("institution").related_model is institution
    assert user._meta.get_field("department").related_model is department
    assert apps.get_model("enterprises", "Enterprise")._meta.get_field("grid").related_model is grid
    # The programme modules have models of their own now, but none of the moved ones.
    moved = {"Grid", "Institution", "Department"}
    assert [
        m for m in apps.get_models() if m._meta.app_label in OLD_HOMES and m.__name__ in moved
    ] == []


@pytest.mark.django_db
def test_the_audit_log_and_content_types_are_relabelled_and_back():
    migration = importlib.import_module("yufang.organisations.migrations.0002_moved_model_labels")
    entry = AuditEntry.objects.create(
        action="create", model="grid.Grid", object_id="1", object_repr="第1网格"
    )
    other = AuditEntry.objects.create(
        action="create", model="funds.Institution", object_id="2", object_repr="培训中心"
    )
    ContentType.objects.get_or_create(app_label="council", model="department")
    try:
        migration.forwards(apps, None)
        entry.refresh_from_db()
        other.refresh_from_db()
        assert (entry.model, other.model) == ("regions.Grid", "organisations.Institution")
        assert not ContentType.objects.filter(app_label="council", model="department").exists()
        assert ContentType.objects.filter(app_label="organisations", model="department").exists()

        migration.backwards(apps, None)
        entry.refresh_from_db()
        assert entry.model == "grid.Grid"
        assert ContentType.objects.filter(app_label="grid", model="grid").exists()
    finally:
        ContentType.objects.clear_cache()
