# Hand-checked: moves models between apps in the migration state only; no table changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0003_enterprise_contact_person_and_phone"),
        ("regions", "0002_grid_joins_regions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="enterprise",
                    name="grid",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="enterprises",
                        to="regions.grid",
                        verbose_name="grid",
                    ),
                ),
            ],
        ),
    ]
