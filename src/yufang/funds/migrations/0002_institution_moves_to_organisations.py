# Hand-checked: moves models between apps in the migration state only; no table changes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_backbone_grid_and_organisations"),
        ("funds", "0001_initial"),
        ("hazards", "0004_backbone_grid_and_organisations"),
        ("organisations", "0001_initial"),
        ("training", "0004_backbone_grid_and_organisations"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Institution",
                ),
            ],
        ),
    ]
