"""Scores ranked before 0006 have no prior (rate 0): mark the rankings stale, so that the next
recomputation (the queued task or the nightly beat) fills it in. The pages show them as being
recomputed meanwhile."""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.utils import timezone


def mark_stale(apps: Any, schema_editor: Any) -> None:
    ranking = apps.get_model("injuries", "PriorityRanking")
    ranking.objects.update(changed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("injuries", "0006_priority_score_prior")]

    operations = [migrations.RunPython(mark_stale, migrations.RunPython.noop)]
