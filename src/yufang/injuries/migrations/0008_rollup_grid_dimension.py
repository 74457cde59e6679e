from typing import Any

from django.db import migrations, models


def rebuild_rollup(apps: Any, schema_editor: Any) -> None:
    """The rollup gains the grid dimension: recomputed whole from cases and headcounts (what
    `rebuild_injury_rollup` does), since its cells cannot be derived from the other
    dimensions'. A database without cases or headcounts has nothing to count."""
    InjuryCase = apps.get_model("injuries", "InjuryCase")
    InsuredHeadcount = apps.get_model("enterprises", "InsuredHeadcount")
    if not (InjuryCase.objects.exists() or InsuredHeadcount.objects.exists()):
        return
    # The service of the code migrated to (the cells' arithmetic lives there once).
    from yufang.injuries.services.rollup import rollup_rebuild

    rollup_rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("injuries", "0007_priority_rankings_stale_for_priors"),
        ("enterprises", "0004_backbone_grid_and_organisations"),
        ("regions", "0002_grid_joins_regions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="injuryrollup",
            name="dimension",
            field=models.CharField(
                choices=[
                    ("all", "all"),
                    ("section", "industry section"),
                    ("division", "industry division"),
                    ("risk_class", "risk class"),
                    ("key", "key industry"),
                    ("size", "size"),
                    ("category", "accident category"),
                    ("grid", "grid"),
                ],
                max_length=12,
            ),
        ),
        migrations.RunPython(rebuild_rollup, migrations.RunPython.noop),
    ]
