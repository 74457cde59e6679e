# Hand-checked: moves models between apps in the migration state only; no table changes.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_backbone_grid_and_organisations"),
        ("council", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="Department",
                ),
            ],
        ),
    ]
