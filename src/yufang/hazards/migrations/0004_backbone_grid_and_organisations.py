# Hand-checked: moves models between apps in the migration state only; no table changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hazards", "0003_seed_note_in_chinese"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="assessment",
                    name="institution",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.institution",
                        verbose_name="assigned institution",
                    ),
                ),
                migrations.AlterField(
                    model_name="hazard",
                    name="institution",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.institution",
                        verbose_name="assigned institution",
                    ),
                ),
            ],
        ),
    ]
