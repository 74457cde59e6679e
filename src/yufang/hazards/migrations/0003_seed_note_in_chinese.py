"""The seeded checklists' change note was stored in English ("Seeded from data/checklists.json")
and showed so in the Chinese interface; it now reads in the platform's language."""

from __future__ import annotations

from typing import Any

from django.db import migrations

OLD = "Seeded from data/checklists.json"
NEW = "首版，依据国家重大事故隐患判定标准整理"


def forwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("hazards", "Checklist").objects.filter(change_note=OLD).update(change_note=NEW)


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("hazards", "Checklist").objects.filter(change_note=NEW).update(change_note=OLD)


class Migration(migrations.Migration):
    dependencies = [("hazards", "0002_assessment_cancel_and_notice_issuer")]

    operations = [migrations.RunPython(forwards, backwards)]
