from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yufang.industries.services import industries_import
from yufang.regions.services import regions_import


class Command(BaseCommand):
    help = "Import or refresh the reference data: regions down to townships, GB/T 4754 industries, risk classes."

    def handle(self, *args: Any, **options: Any) -> None:
        regions = regions_import()
        self.stdout.write(
            f"regions: {regions.created} created, {regions.updated} updated, {regions.unchanged} unchanged"
        )
        industries = industries_import()
        self.stdout.write(
            f"industries: {industries['created']} created, {industries['updated']} updated; "
            f"risk-class rules: {industries['risk_rules_created']} created"
        )
