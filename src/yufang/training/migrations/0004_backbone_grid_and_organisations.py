# Hand-checked: moves models between apps in the migration state only; no table changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0001_initial"),
        ("training", "0003_question_owner"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="course",
                    name="institution",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="courses",
                        to="organisations.institution",
                        verbose_name="institution",
                    ),
                ),
                migrations.AlterField(
                    model_name="exam",
                    name="institution",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="exams",
                        to="organisations.institution",
                        verbose_name="institution",
                    ),
                ),
                migrations.AlterField(
                    model_name="question",
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
                migrations.AlterField(
                    model_name="trainingbase",
                    name="institution",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="training_bases",
                        to="organisations.institution",
                        verbose_name="operating institution",
                    ),
                ),
                migrations.AlterField(
                    model_name="trainingsession",
                    name="institution",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="training_sessions",
                        to="organisations.institution",
                        verbose_name="institution",
                    ),
                ),
            ],
        ),
    ]
