"""Key areas, project proposals with targets per year, their review against the remaining
budget, and the close with its performance evaluation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.funds import may_manage_fee
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.funds.models import (
    Budget,
    Evaluation,
    KeyArea,
    LedgerEntry,
    LedgerKind,
    Project,
    ProjectStatus,
    ProjectYear,
    Use,
)
from yufang.funds.services.budgets import committed_by_use, pooling_region_check
from yufang.funds.services.common import (
    fee_rules,
    optional_text,
    parse_amount,
    parse_count,
    parse_date,
    refuse,
    require_text,
)
from yufang.funds.services.ledger import ledger_append
from yufang.lib.errors import InvalidInput
from yufang.regions.models import Region

TARGETS = (
    "target_person_times",
    "target_enterprises_covered",
    "target_hazards_closed",
    "target_enterprises_assessed",
)


@transaction.atomic
def key_area_create(
    *, actor: Any, pooling_region: Region, year: int, title: str, description: str = ""
) -> KeyArea:
    pooling_region_check(pooling_region)
    if not may_manage_fee(actor, pooling_region_id=pooling_region.pk):
        refuse(_("Only the pooling region's officials publish its key areas."))
    fee_rules(year)
    area = KeyArea.objects.create(
        pooling_region=pooling_region,
        year=year,
        title=require_text(title, "title", limit=200),
        description=optional_text(description, "description", limit=2000),
    )
    audit_create(actor, area)
    return area


def _years_between(start: dt.date, end: dt.date) -> list[int]:
    return list(range(start.year, end.year + 1))


@transaction.atomic
def project_propose(
    *,
    actor: Any,
    pooling_region: Region,
    title: str,
    purpose: str,
    use: str,
    proposer: str,
    cost_basis: str,
    starts_on: Any,
    ends_on: Any,
    years: Iterable[Mapping[str, Any]],
    target_industries: str = "",
    target_enterprises: str = "",
    key_area: KeyArea | None = None,
) -> Project:
    """A proposal: its use must be one the fee pays for, its run at most the allowed years,
    and each year of it has an amount and targets."""
    pooling_region_check(pooling_region)
    if not may_manage_fee(actor, pooling_region_id=pooling_region.pk):
        refuse(_("Proposals are entered by the pooling region's officials."))
    errors: dict[str, str] = {}
    start = end = None
    try:
        start = parse_date(starts_on, "starts_on")
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        end = parse_date(ends_on, "ends_on")
    except InvalidInput as exc:
        errors.update(exc.errors)
    fields: dict[str, str] = {}
    for name, raw, limit, required in (
        ("title", title, 200, True),
        ("purpose", purpose, 5000, True),
        ("proposer", proposer, 200, True),
        ("cost_basis", cost_basis, 5000, True),
        ("target_industries", target_industries, 500, False),
        ("target_enterprises", target_enterprises, 500, False),
    ):
        try:
            fields[name] = (
                require_text(raw, name, limit=limit)
                if required
                else optional_text(raw, name, limit=limit)
            )
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    if start is None or end is None:  # both parsed, or errors was raised
        raise InvalidInput(errors)
    if end < start:
        raise InvalidInput(_("The project ends before it starts."), "ends_on")
    rules = fee_rules(start.year)
    if use not in rules.uses or use not in Use.values:
        raise InvalidInput(
            _("The prevention fee pays only for: %(uses)s.")
            % {"uses": "、".join(str(Use(u).label) for u in rules.uses if u in Use.values)},
            "use",
        )
    max_years = int(rules.max_years.value)
    last_day = _add_years(start, max_years) - dt.timedelta(days=1)
    if end > last_day:
        raise InvalidInput(
            _("A project runs at most %(years)s years (until %(last)s at the latest).")
            % {"years": max_years, "last": last_day.isoformat()},
            "ends_on",
        )
    if key_area is not None and key_area.pooling_region_id != pooling_region.pk:
        raise InvalidInput(_("Choose a key area of this pooling region."), "key_area")
    lines = _year_lines(years, _years_between(start, end))
    project = Project.objects.create(
        pooling_region=pooling_region,
        key_area=key_area,
        use=use,
        starts_on=start,
        ends_on=end,
        proposed_by=actor,
        proposed_at=timezone.now(),
        **fields,
    )
    made = ProjectYear.objects.bulk_create([ProjectYear(project=project, **line) for line in lines])
    audit_create(actor, project)
    for line in made:
        audit_create(actor, line)
    return project


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _year_lines(years: Iterable[Mapping[str, Any]], expected: list[int]) -> list[dict[str, Any]]:
    """Each year of the run: its amount and targets; every year of the run, and only those."""
    lines: dict[int, dict[str, Any]] = {}
    errors: dict[str, str] = {}
    for index, raw in enumerate(years):
        prefix = f"years.{index}."
        try:
            year = int(str(raw.get("year", "")).strip())
        except ValueError:
            errors[prefix + "year"] = _("Give the year.")
            continue
        if year not in expected:
            errors[prefix + "year"] = _("%(year)s is not a year of the project's run.") % {
                "year": year
            }
            continue
        line: dict[str, Any] = {"year": year}
        try:
            line["amount"] = parse_amount(raw.get("amount"), prefix + "amount")
            for target in TARGETS:
                line[target] = parse_count(raw.get(target), prefix + target)
        except InvalidInput as exc:
            errors.update(exc.errors)
            continue
        if year in lines:
            errors[prefix + "year"] = _("%(year)s is given twice.") % {"year": year}
        lines[year] = line
    if errors:
        raise InvalidInput(errors)
    missing = [y for y in expected if y not in lines]
    if missing:
        raise InvalidInput(
            _("Give the amount and targets for each year of the run: %(years)s.")
            % {"years": "、".join(str(y) for y in missing)},
            "years",
        )
    return [lines[y] for y in expected]


def project_total(project: Project) -> Decimal:
    return project.years.aggregate(t=Sum("amount"))["t"] or Decimal("0.00")


@transaction.atomic
def project_review(*, actor: Any, project: Project, approve: bool, note: str = "") -> Project:
    """Approves (committing each year's amount against that year's budget of the project's
    use) or rejects a proposal. The budgets are locked first, in a fixed order, so two
    approvals at once never commit more than a budget holds."""
    if not may_manage_fee(actor, pooling_region_id=project.pooling_region_id):
        refuse(_("Proposals are reviewed by the pooling region's officials."))
    note = optional_text(note, "note", limit=2000)
    lines = list(project.years.order_by("year"))
    budgets = {
        b.year: b
        for b in Budget.objects.select_for_update()
        .filter(pooling_region_id=project.pooling_region_id, year__in=[ln.year for ln in lines])
        .order_by("pk")
    }
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.PROPOSED:
        raise InvalidInput(_("This project has already been reviewed."), "status")
    before = snapshot(project)
    if approve:
        for line in lines:
            budget = budgets.get(line.year)
            if budget is None:
                raise InvalidInput(
                    _("There is no budget for %(year)s yet.") % {"year": line.year}, "budget"
                )
            remaining = budget.amount_for(project.use) - committed_by_use(budget)[project.use]
            if line.amount > remaining:
                raise InvalidInput(
                    _(
                        "%(year)s: %(amount)s yuan is more than the %(remaining)s yuan of the "
                        "%(use)s budget not yet committed."
                    )
                    % {
                        "year": line.year,
                        "amount": line.amount,
                        "remaining": remaining,
                        "use": Use(project.use).label,
                    },
                    "budget",
                )
        for line in lines:
            ledger_append(
                budget=budgets[line.year],
                kind=LedgerKind.COMMITMENT,
                use=project.use,
                amount=line.amount,
                project=project,
                actor=actor,
                reason=_("Project approved: %(title)s") % {"title": project.title},
            )
    project.status = ProjectStatus.APPROVED if approve else ProjectStatus.REJECTED
    project.reviewed_by = actor
    project.reviewed_at = timezone.now()
    project.review_note = note
    project.save()
    audit_update(actor, project, before, reason=note)
    return project


def commitments_of(project: Project) -> dict[int, Decimal]:
    """What a project holds of each budget (by budget id): commitments less releases."""
    out: dict[int, Decimal] = {}
    rows = (
        LedgerEntry.objects.filter(
            project=project, kind__in=[LedgerKind.COMMITMENT, LedgerKind.RELEASE]
        )
        .values("budget_id", "kind")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        sign = 1 if row["kind"] == LedgerKind.COMMITMENT else -1
        out[row["budget_id"]] = out.get(row["budget_id"], Decimal("0.00")) + sign * row["total"]
    return out


def paid_of(project: Project) -> dict[int, Decimal]:
    rows = (
        LedgerEntry.objects.filter(kind=LedgerKind.PAYMENT, project=project)
        .values("budget_id")
        .annotate(total=Sum("amount"))
    )
    return {row["budget_id"]: row["total"] for row in rows}


@transaction.atomic
def project_close(
    *, actor: Any, project: Project, counted: Mapping[str, int], note: str = ""
) -> Evaluation:
    """Closes an approved project: the performance evaluation compares each year's targets
    with the outputs the platform counted (`selectors.outputs_counted`, passed in by the
    caller that read them), and what was committed but not paid is released."""
    if not may_manage_fee(actor, pooling_region_id=project.pooling_region_id):
        refuse(_("Projects are closed by the pooling region's officials."))
    note = optional_text(note, "note", limit=2000)
    # PostgreSQL locks no DISTINCT rows: the budgets' ids first, then their rows.
    held_ids = set(LedgerEntry.objects.filter(project=project).values_list("budget_id", flat=True))
    budgets = list(Budget.objects.select_for_update().filter(pk__in=held_ids).order_by("pk"))
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.APPROVED:
        raise InvalidInput(_("Only an approved project can be closed."), "status")
    rules = fee_rules(project.starts_on.year)
    met_ratio = Decimal(str(rules.met_ratio.value))
    targets = project.years.aggregate(**{t: Sum(t) for t in TARGETS})
    results: dict[str, list[int]] = {}
    met = True
    for target in TARGETS:
        key = target.removeprefix("target_")
        wanted = int(targets[target] or 0)
        got = int(counted.get(key, 0))
        results[key] = [wanted, got]
        if wanted and Decimal(got) < Decimal(wanted) * met_ratio:
            met = False
    before = snapshot(project)
    project.status = ProjectStatus.CLOSED
    project.closed_at = timezone.now()
    project.save()
    audit_update(actor, project, before, reason=note)
    evaluation = Evaluation.objects.create(
        project=project,
        evaluated_at=timezone.now(),
        evaluated_by=actor,
        results=results,
        met=met,
        note=note,
    )
    audit_create(actor, evaluation, reason=note)
    held = commitments_of(project)
    paid = paid_of(project)
    for budget in budgets:
        left = held.get(budget.pk, Decimal("0.00")) - paid.get(budget.pk, Decimal("0.00"))
        if left > 0:
            ledger_append(
                budget=budget,
                kind=LedgerKind.RELEASE,
                use=project.use,
                amount=left,
                project=project,
                actor=actor,
                reason=_("Project closed, unpaid commitment released: %(title)s")
                % {"title": project.title},
            )
    return evaluation
