from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from yufang.audit.services import audit_create
from yufang.industries.models import Industry, RiskClassRule
from yufang.lib.errors import InvalidInput

DATA_DIR = Path(settings.PACKAGE_DIR) / "data"
RISK_TABLE_SOURCE = "人社部发〔2015〕71号"
RISK_TABLE_DATE = dt.date(2015, 10, 1)


class IndustryError(InvalidInput):
    pass


@transaction.atomic
def industries_import(
    *, industries_file: Path | None = None, risk_file: Path | None = None
) -> dict[str, int]:
    """Load the GB/T 4754-2017 tree and the 2015 risk-class table; idempotent."""
    industries_file = industries_file or DATA_DIR / "gbt4754_2017_industries.csv"
    risk_file = risk_file or DATA_DIR / "injury_insurance_risk_classes.csv"
    existing = {i.code: i for i in Industry.objects.all()}
    created = updated = 0
    with industries_file.open(encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: int(r["level"]))
    for row in rows:
        level = int(row["level"])
        parent = existing.get(row["parent_code"]) if row["parent_code"] else None
        fields: dict[str, Any] = {
            "full_code": row["full_code"],
            "level": level,
            "name": row["name"],
            "parent_id": parent.pk if parent else None,
            "section": row["section"],
            "division_code": row["code"][:2] if level >= Industry.Level.DIVISION else "",
        }
        industry = existing.get(row["code"])
        if industry is None:
            existing[row["code"]] = Industry.objects.create(code=row["code"], **fields)
            created += 1
        elif any(getattr(industry, k) != v for k, v in fields.items()):
            Industry.objects.filter(pk=industry.pk).update(**fields)
            updated += 1
    rules = 0
    with risk_file.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row["risk_class"]:
                continue  # e.g. 79: no class in the 2015 table; a local decision
            rules += _seed_rule(existing[row["industry_code"]], int(row["risk_class"]), row["note"])
    # Division 59 merges loading (591, class 5) and warehousing (592-599, class 2 in 2011).
    for code, industry in existing.items():
        if industry.level == Industry.Level.GROUP and code.startswith("59") and code != "591":
            rules += _seed_rule(industry, 2, "2011 仓储业 (class 2); 2017 merged into 59")
    return {"created": created, "updated": updated, "risk_rules_created": rules}


def _seed_rule(industry: Industry, risk_class: int, note: str) -> int:
    _, made = RiskClassRule.objects.get_or_create(
        industry=industry,
        effective_from=RISK_TABLE_DATE,
        defaults={"risk_class": risk_class, "source": RISK_TABLE_SOURCE, "note": note[:300]},
    )
    return int(made)


def risk_class_candidates(industry: Industry) -> list[str]:
    """Codes whose rule applies to an industry, most specific first (group, then division)."""
    if industry.level == Industry.Level.SECTION:
        return []
    codes = [industry.code[:3]] if industry.level >= Industry.Level.GROUP else []
    return [*codes, industry.code[:2]]


@transaction.atomic
def risk_class_rule_set(
    *, actor: Any, industry: Industry, risk_class: int, effective_from: dt.date, reason: str
) -> RiskClassRule:
    """A province official changes the class of a division or group from a date."""
    if industry.level not in (Industry.Level.DIVISION, Industry.Level.GROUP):
        raise IndustryError(_("A risk class is set for a division or a group."), "industry")
    if not 1 <= risk_class <= 8:
        raise IndustryError(_("The risk class must be between 1 and 8."), "risk_class")
    if not reason.strip():
        raise IndustryError(_("Give the reason or the document for the change."), "reason")
    if RiskClassRule.objects.filter(industry=industry, effective_from=effective_from).exists():
        raise IndustryError(
            _("This industry already has a class from that date."), "effective_from"
        )
    rule = RiskClassRule.objects.create(
        industry=industry,
        risk_class=risk_class,
        effective_from=effective_from,
        source=reason.strip()[:200],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_create(actor, rule, reason=reason)
    from yufang.enterprises.services import enterprises_refresh_risk_class

    enterprises_refresh_risk_class(industry_codes=[industry.code])
    return rule
