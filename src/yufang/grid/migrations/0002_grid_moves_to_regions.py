# Hand-checked: moves models between apps in the migration state only; no table changes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_backbone_grid_and_organisations"),
        ("enterprises", "0004_backbone_grid_and_organisations"),
        ("grid", "0001_initial"),
        ("regions", "0002_grid_joins_regions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Grid",
                ),
            ],
        ),
    ]
