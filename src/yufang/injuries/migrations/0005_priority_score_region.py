import django.db.models.deletion
from django.db import migrations, models

# Scores already computed take their enterprise's city and county as it is now (the next
# recomputation writes them anyway).
FILL = """
UPDATE injuries_priorityscore SET
    city_id = (SELECT e.city_id FROM enterprises_enterprise e WHERE e.id = enterprise_id),
    county_id = (SELECT e.county_id FROM enterprises_enterprise e WHERE e.id = enterprise_id)
"""


def _region(null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        null=null,
        on_delete=django.db.models.deletion.DO_NOTHING,
        related_name="+",
        to="regions.region",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("injuries", "0004_rollup_cases_without_headcount"),
        ("regions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(model_name="priorityscore", name="city", field=_region(True)),
        migrations.AddField(model_name="priorityscore", name="county", field=_region(True)),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(model_name="priorityscore", name="city", field=_region(False)),
        migrations.AlterField(model_name="priorityscore", name="county", field=_region(False)),
        migrations.AddIndex(
            model_name="priorityscore",
            index=models.Index(
                fields=["ranking", "city", "-smoothed_rate", "-excess_cases", "enterprise"],
                name="priority_score_city_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="priorityscore",
            index=models.Index(
                fields=["ranking", "city", "-excess_cases", "-smoothed_rate", "enterprise"],
                name="priority_score_city_excess_idx",
            ),
        ),
    ]
