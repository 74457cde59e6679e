"""The annual work plan of a region and its items, each linked to a plan source."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from yufang.audit.services import audit_create, audit_delete
from yufang.council.models import WorkPlan, WorkPlanItem
from yufang.council.services.common import CouncilInvalid, clean_text, require_runs
from yufang.council.sources import source_of
from yufang.organisations.models import Department
from yufang.regions.models import Region


def _year(value: Any) -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise CouncilInvalid(_("Give a year between 2000 and 2100."), "year")
    return int(text)


def work_plan_create(*, actor: Any, region: Region, year: int | str, title: str = "") -> WorkPlan:
    require_runs(actor, region.pk)
    year = _year(year)
    title = clean_text("title", title) or _(
        "%(region)s work-injury prevention work plan %(year)s"
    ) % {
        "region": region.name,
        "year": year,
    }
    with transaction.atomic():
        if WorkPlan.objects.filter(region=region, year=year).exists():
            raise CouncilInvalid(_("This region already has a work plan for that year."), "year")
        plan = WorkPlan.objects.create(region=region, year=year, title=title)
        audit_create(actor, plan)
    return plan


def work_plan_item_add(
    *,
    actor: Any,
    plan: WorkPlan,
    title: str,
    source: str,
    reference: str = "",
    department: Department | None = None,
) -> WorkPlanItem:
    """Adds an item linked to a plan source's option (its completion is computed from it)."""
    require_runs(actor, plan.region_id)
    errors: dict[str, str] = {}
    try:
        title = clean_text("title", title, required=True)
    except CouncilInvalid as exc:
        errors.update(exc.errors)
    found = source_of(source)
    reference = str(reference or "").strip()[:60]
    if found is None:
        errors["source"] = _("Choose what the item is linked to.")
    elif reference not in {key for key, _label in found.options(actor, plan.region, plan.year)}:
        errors["reference"] = _("Choose one of the records offered for this region and year.")
    if department is not None and department.region_id != plan.region_id:
        errors["department"] = _("The lead department must be one of the region's.")
    if errors:
        raise CouncilInvalid(errors)
    with transaction.atomic():
        item = WorkPlanItem.objects.create(
            plan=plan, title=title, source=source, reference=reference, department=department
        )
        audit_create(actor, item)
    return item


def work_plan_item_remove(*, actor: Any, item: WorkPlanItem) -> None:
    require_runs(actor, item.plan.region_id)
    with transaction.atomic():
        audit_delete(actor, item)
        item.delete()
