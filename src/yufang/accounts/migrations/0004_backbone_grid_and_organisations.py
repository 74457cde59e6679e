# Hand-checked: moves models between apps in the migration state only; no table changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_login_failures_counted_by_axes"),
        ("organisations", "0001_initial"),
        ("regions", "0002_grid_joins_regions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="user",
                    name="department",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.department",
                        verbose_name="department",
                    ),
                ),
                migrations.AlterField(
                    model_name="user",
                    name="grid",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.grid",
                        verbose_name="grid",
                    ),
                ),
                migrations.AlterField(
                    model_name="user",
                    name="institution",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.institution",
                        verbose_name="institution",
                    ),
                ),
            ],
        ),
    ]
