# Rewrites the labels of the moved models where data names them: the audit log's
# AuditEntry.model ("grid.Grid" -> "regions.Grid", ...) and Django's content types.

from django.db import migrations

MOVED = {
    "grid.Grid": "regions.Grid",
    "funds.Institution": "organisations.Institution",
    "council.Department": "organisations.Department",
}


def _relabel(apps, pairs):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for old, new in pairs:
        AuditEntry.objects.filter(model=old).update(model=new)
        old_app, old_model = old.lower().split(".")
        new_app, new_model = new.lower().split(".")
        stale = ContentType.objects.filter(app_label=old_app, model=old_model)
        if ContentType.objects.filter(app_label=new_app, model=new_model).exists():
            stale.delete()
        else:
            stale.update(app_label=new_app, model=new_model)


def forwards(apps, schema_editor):
    _relabel(apps, MOVED.items())


def backwards(apps, schema_editor):
    _relabel(apps, [(new, old) for old, new in MOVED.items()])


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_event_actions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("council", "0002_department_moves_to_organisations"),
        ("funds", "0002_institution_moves_to_organisations"),
        ("grid", "0002_grid_moves_to_regions"),
        ("organisations", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
