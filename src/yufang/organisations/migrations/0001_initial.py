# Hand-checked: moves models between apps in the migration state only; no table changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("council", "0001_initial"),
        ("funds", "0001_initial"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Institution",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "credit_code",
                            models.CharField(
                                max_length=18,
                                unique=True,
                                verbose_name="unified social credit code",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("training", "training"),
                                    ("consulting", "consulting and assessment"),
                                    ("publicity", "publicity"),
                                    ("medical", "medical and health"),
                                    ("association", "industry association"),
                                ],
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "address",
                            models.CharField(blank=True, max_length=300, verbose_name="address"),
                        ),
                        (
                            "contact_phone",
                            models.CharField(
                                blank=True, max_length=20, verbose_name="contact phone"
                            ),
                        ),
                        (
                            "city",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="regions.region",
                                verbose_name="city",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "service institution",
                        "verbose_name_plural": "service institutions",
                        "ordering": ["name"],
                        "indexes": [],
                        "constraints": [],
                        "db_table": "funds_institution",
                    },
                ),
                migrations.CreateModel(
                    name="Department",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                choices=[
                                    ("hrss", "human resources and social security"),
                                    ("emergency", "emergency management"),
                                    ("health", "health commission"),
                                    ("finance", "finance"),
                                    ("housing", "housing and construction"),
                                    ("transport", "transport"),
                                    ("industry", "industry and information technology"),
                                    ("market", "market regulation"),
                                    ("union", "trade union"),
                                    ("energy", "energy"),
                                ],
                                max_length=20,
                                verbose_name="kind",
                            ),
                        ),
                        ("name", models.CharField(max_length=200, verbose_name="name")),
                        (
                            "region",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="regions.region",
                                verbose_name="region",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "member department",
                        "verbose_name_plural": "member departments",
                        "ordering": ["region__code", "code"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("region", "code"), name="department_unique_region_code"
                            )
                        ],
                        "indexes": [],
                        "db_table": "council_department",
                    },
                ),
            ],
        ),
    ]
