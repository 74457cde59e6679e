"""Reads of the prevention fee. Every selector takes the user and returns only what the user
may see (`yufang.accounts.scoping.funds`); figures are derived from the ledger, never stored."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.utils import timezone

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping.funds import fee_city_id, fee_q, fee_reader
from yufang.funds.models import (
    Budget,
    Contract,
    KeyArea,
    LedgerEntry,
    LedgerKind,
    Milestone,
    Payment,
    Project,
    ProjectStatus,
    RaiseApproval,
    Use,
)
from yufang.funds.services import cap_of
from yufang.organisations.models import Institution
from yufang.regions.models import Region

ZERO = Decimal("0.00")


def _scoped(user: Any, qs: QuerySet[Any], *, region: str, institution: str | None = None) -> Any:
    q = fee_q(user, region=region, institution=institution)
    return qs if q is None else qs.filter(q)


def budgets_visible(user: Any) -> QuerySet[Budget]:
    return _scoped(
        user,
        Budget.objects.select_related("pooling_region"),
        region="pooling_region",
        institution=None,
    )


def budget_get(user: Any, code: str, year: int) -> Budget:
    found = budgets_visible(user).filter(pooling_region__code=code, year=year).first()
    if found is None:
        raise Http404
    return found


def cities_visible(user: Any) -> QuerySet[Region]:
    """The pooling regions (cities) whose fee the user reads."""
    qs = Region.objects.filter(level=Region.Level.CITY).order_by("code")
    if not fee_reader(user) or user.role == Role.INSTITUTION_STAFF:
        return qs.none()
    q = fee_q(user, region="city")
    if q is None:
        return qs
    city_id = fee_city_id(user)
    return qs.filter(pk=city_id) if city_id else qs.none()


def city_get(user: Any, code: str) -> Region:
    found = cities_visible(user).filter(code=code).first()
    if found is None:
        raise Http404
    return found


def raise_approval_of(region: Region, year: int) -> RaiseApproval | None:
    return RaiseApproval.objects.filter(pooling_region=region, year=year).first()


def ledger_sums(budgets: QuerySet[Budget] | list[Budget]) -> dict[int, dict[str, Decimal]]:
    """Per budget id: committed (commitments less releases) and paid, in one query."""
    ids = [b.pk for b in budgets]
    out: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {
            "committed": ZERO,
            "paid": ZERO,
            "publicity_committed": ZERO,
            "training_committed": ZERO,
            "publicity_paid": ZERO,
            "training_paid": ZERO,
        }
    )
    rows = (
        LedgerEntry.objects.filter(budget_id__in=ids)
        .exclude(kind=LedgerKind.BUDGET_SET)
        .values("budget_id", "kind", "use")
        .annotate(total=Sum("amount"))
    )
    for row in rows:
        figures = out[row["budget_id"]]
        if row["kind"] == LedgerKind.PAYMENT:
            figures["paid"] += row["total"]
            figures[f"{row['use']}_paid"] += row["total"]
        else:
            sign = 1 if row["kind"] == LedgerKind.COMMITMENT else -1
            figures["committed"] += sign * row["total"]
            figures[f"{row['use']}_committed"] += sign * row["total"]
    return out


def budget_figures(budget: Budget) -> dict[str, Any]:
    """The budget against its cap: the rule applied and its source, committed, paid and what
    is left, by use."""
    cap = cap_of(budget.pooling_region, budget.year, budget.contribution_income)
    sums = ledger_sums([budget])[budget.pk]
    uses = []
    for use in Use:
        amount = budget.amount_for(use.value)
        committed = sums[f"{use.value}_committed"]
        paid = sums[f"{use.value}_paid"]
        uses.append(
            {
                "use": use.value,
                "label": use.label,
                "budget": amount,
                "committed": committed,
                "paid": paid,
                "remaining": amount - committed,
            }
        )
    return {
        "cap": cap,
        "total": budget.total,
        "committed": sums["committed"],
        "paid": sums["paid"],
        "remaining": budget.total - sums["committed"],
        "uses": uses,
        "share_of_cap": _percent(budget.total, cap.amount),
        "near_cap": cap.amount > 0
        and budget.total
        >= cap.amount
        * Decimal(str(policy.value("fee_near_cap_share", dt.date(budget.year, 1, 1)))),
    }


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if not whole:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"))


def key_areas_visible(user: Any) -> QuerySet[KeyArea]:
    return _scoped(user, KeyArea.objects.select_related("pooling_region"), region="pooling_region")


def projects_visible(user: Any) -> QuerySet[Project]:
    return _scoped(
        user,
        Project.objects.select_related("pooling_region", "key_area"),
        region="pooling_region",
        institution="contract__institution",
    )


def project_get(user: Any, pk: int) -> Project:
    found = projects_visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def contracts_visible(user: Any) -> QuerySet[Contract]:
    return _scoped(
        user,
        Contract.objects.select_related("project", "project__pooling_region", "institution"),
        region="project__pooling_region",
        institution="institution",
    )


def contract_get(user: Any, pk: int) -> Contract:
    found = contracts_visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def milestone_get(user: Any, pk: int) -> Milestone:
    found = (
        _scoped(
            user,
            Milestone.objects.select_related("contract", "contract__project"),
            region="contract__project__pooling_region",
            institution="contract__institution",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def milestones_of(contract: Contract) -> list[dict[str, Any]]:
    paid = dict(
        Payment.objects.filter(milestone__contract=contract)
        .values_list("milestone_id")
        .annotate(t=Sum("amount"))
    )
    rows = []
    for m in contract.milestones.all():
        done = paid.get(m.pk, ZERO)
        rows.append({"milestone": m, "paid": done, "left": m.amount - done})
    return rows


def payments_visible(user: Any) -> QuerySet[Payment]:
    return _scoped(
        user,
        Payment.objects.select_related(
            "milestone", "milestone__contract", "milestone__contract__project"
        ),
        region="milestone__contract__project__pooling_region",
        institution="milestone__contract__institution",
    )


def ledger_visible(user: Any) -> QuerySet[LedgerEntry]:
    return _scoped(
        user,
        LedgerEntry.objects.select_related("budget", "budget__pooling_region", "project"),
        region="budget__pooling_region",
        institution=None,
    )


def institutions_visible(user: Any) -> QuerySet[Institution]:
    """The registry: province-wide readers see every institution, a city's readers their
    city's, an institution's staff their own."""
    qs = Institution.objects.select_related("city").order_by("city__code", "name")
    if not fee_reader(user) or not user.is_active:
        return qs.none()
    if user.role == Role.INSTITUTION_STAFF:
        return qs.filter(pk=user.institution_id) if user.institution_id else qs.none()
    if fee_q(user, region="city") is None:
        return qs
    city_id = fee_city_id(user)
    return qs.filter(city_id=city_id) if city_id else qs.none()


def institution_get(user: Any, pk: int) -> Institution:
    found = institutions_visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


# --- outputs counted by the platform ------------------------------------------------------


def outputs_counted(user: Any, project: Project) -> dict[str, int]:
    """What the platform itself counted for a project's contracted institution in the
    project's pooling region and run (to today): person-times and enterprises covered from
    training check-ins, hazards closed and enterprises assessed from the hazard records.
    Nothing here is typed in."""
    from yufang.hazards.selectors import assessments_visible, hazards_visible
    from yufang.training.selectors import attendances

    contract = Contract.objects.filter(project=project).first()
    if contract is None:
        return {
            "person_times": 0,
            "enterprises_covered": 0,
            "hazards_closed": 0,
            "enterprises_assessed": 0,
        }
    start = project.starts_on
    end = min(project.ends_on, timezone.localdate())
    institution_id = contract.institution_id
    region_id = project.pooling_region_id
    attended = attendances(user).filter(
        session__institution_id=institution_id,
        session__city_id=region_id,
        session__starts_at__date__gte=start,
        session__starts_at__date__lte=end,
    )
    covered = set(
        attended.exclude(trainee__enterprise__isnull=True).values_list(
            "trainee__enterprise_id", flat=True
        )
    ) | set(
        attended.exclude(session__enterprise__isnull=True).values_list(
            "session__enterprise_id", flat=True
        )
    )
    hazards = hazards_visible(user).filter(
        institution_id=institution_id,
        enterprise__city_id=region_id,
        status="closed",
        closed_at__date__gte=start,
        closed_at__date__lte=end,
    )
    assessed = (
        assessments_visible(user)
        .filter(
            institution_id=institution_id,
            enterprise__city_id=region_id,
            status="completed",
            visited_on__gte=start,
            visited_on__lte=end,
        )
        .values("enterprise_id")
        .distinct()
    )
    return {
        "person_times": attended.count(),
        "enterprises_covered": len(covered),
        "hazards_closed": hazards.count(),
        "enterprises_assessed": assessed.count(),
    }


def project_targets(project: Project) -> dict[str, int]:
    sums = project.years.aggregate(
        person_times=Sum("target_person_times"),
        enterprises_covered=Sum("target_enterprises_covered"),
        hazards_closed=Sum("target_hazards_closed"),
        enterprises_assessed=Sum("target_enterprises_assessed"),
    )
    return {k: int(v or 0) for k, v in sums.items()}


def progress_rows(targets: dict[str, int], counted: dict[str, int]) -> list[dict[str, Any]]:
    from yufang.funds.labels import OUTPUT_LABELS

    rows = []
    for key, label in OUTPUT_LABELS.items():
        target = targets.get(key, 0)
        got = counted.get(key, 0)
        rows.append(
            {
                "key": key,
                "label": label,
                "target": target,
                "counted": got,
                "percent": int(got * 100 / target) if target else None,
                "behind": bool(target) and got < target,
            }
        )
    return rows


# --- dashboards ---------------------------------------------------------------------------


def dashboard(user: Any, *, year: int) -> dict[str, Any]:
    """Budget against cap, committed and paid by region and use; execution by month;
    projects by status; institutions' results and cost per person-time."""
    budgets = list(budgets_visible(user).filter(year=year).order_by("pooling_region__code"))
    sums = ledger_sums(budgets)
    regions: list[dict[str, Any]] = []
    for b in budgets:
        cap = cap_of(b.pooling_region, b.year, b.contribution_income)
        s = sums[b.pk]
        regions.append(
            {
                "budget": b,
                "code": b.pooling_region.code,
                "name": b.pooling_region.name,
                "cap": cap.amount,
                "total": b.total,
                "publicity": b.publicity,
                "training": b.training,
                "committed": s["committed"],
                "paid": s["paid"],
                "publicity_committed": s["publicity_committed"],
                "training_committed": s["training_committed"],
                "publicity_paid": s["publicity_paid"],
                "training_paid": s["training_paid"],
            }
        )
    totals: dict[str, Decimal] = {
        k: sum((Decimal(r[k]) for r in regions), ZERO)
        for k in (
            "cap",
            "total",
            "committed",
            "paid",
            "publicity",
            "training",
            "publicity_paid",
            "training_paid",
            "publicity_committed",
            "training_committed",
        )
    }
    payments = payments_visible(user).filter(paid_on__year=year)
    by_month = dict(
        payments.annotate(m=ExtractMonth("paid_on")).values_list("m").annotate(t=Sum("amount"))
    )
    months = []
    running = ZERO
    for m in range(1, 13):
        running += by_month.get(m, ZERO)
        months.append({"month": m, "paid": by_month.get(m, ZERO), "cumulative": running})
    projects = projects_visible(user).filter(Q(years__year=year)).distinct()
    statuses = dict(projects.values_list("status").annotate(n=Count("pk", distinct=True)))
    by_status = [
        {"status": s.value, "label": s.label, "count": statuses.get(s.value, 0)}
        for s in ProjectStatus
    ]
    return {
        "year": year,
        "regions": regions,
        "totals": totals,
        "months": months,
        "by_status": by_status,
        "institutions": institution_results(user, projects),
    }


def institution_results(user: Any, projects: QuerySet[Project]) -> list[dict[str, Any]]:
    """Per contracted institution: contracts, value, paid, person-times counted and the cost
    per person-time (paid over person-times)."""
    contracts = (
        contracts_visible(user)
        .filter(project__in=projects)
        .select_related("institution", "project")
        .order_by("institution__name")
    )
    paid = dict(
        Payment.objects.filter(milestone__contract__in=contracts)
        .values_list("milestone__contract_id")
        .annotate(t=Sum("amount"))
    )
    rows: dict[int, dict[str, Any]] = {}
    for c in contracts:
        row = rows.setdefault(
            c.institution_id,
            {
                "institution": c.institution,
                "contracts": 0,
                "value": ZERO,
                "paid": ZERO,
                "person_times": 0,
                "hazards_closed": 0,
                "enterprises_assessed": 0,
            },
        )
        counted = outputs_counted(user, c.project)
        row["contracts"] += 1
        row["value"] += c.amount
        row["paid"] += paid.get(c.pk, ZERO)
        row["person_times"] += counted["person_times"]
        row["hazards_closed"] += counted["hazards_closed"]
        row["enterprises_assessed"] += counted["enterprises_assessed"]
    out = list(rows.values())
    for row in out:
        row["cost_per_person_time"] = (
            (row["paid"] / row["person_times"]).quantize(Decimal("0.01"))
            if row["person_times"]
            else None
        )
    return out


# --- public disclosure --------------------------------------------------------------------


def disclosure(code: str, year: int) -> dict[str, Any]:
    """What the public page shows for a published budget: amounts by use, projects with
    their institution, value, payments and evaluation. No person is named."""
    budget = (
        Budget.objects.select_related("pooling_region")
        .filter(pooling_region__code=code, year=year, disclosed_at__isnull=False)
        .first()
    )
    if budget is None:
        raise Http404
    sums = ledger_sums([budget])[budget.pk]
    cap = cap_of(budget.pooling_region, budget.year, budget.contribution_income)
    projects = (
        Project.objects.filter(pooling_region=budget.pooling_region, years__year=year)
        .exclude(status__in=[ProjectStatus.PROPOSED, ProjectStatus.REJECTED])
        .select_related("contract", "contract__institution")
        .distinct()
        .order_by("title")
    )
    paid = dict(
        LedgerEntry.objects.filter(budget=budget, kind=LedgerKind.PAYMENT)
        .values_list("project_id")
        .annotate(t=Sum("amount"))
    )
    committed = dict(
        LedgerEntry.objects.filter(budget=budget, kind=LedgerKind.COMMITMENT)
        .values_list("project_id")
        .annotate(t=Sum("amount"))
    )
    rows = []
    for p in projects:
        contract = getattr(p, "contract", None)
        evaluation = getattr(p, "evaluation", None)
        rows.append(
            {
                "title": p.title,
                "use": p.get_use_display(),
                "status": p.get_status_display(),
                "institution": contract.institution.name if contract else "",
                "committed": committed.get(p.pk, ZERO),
                "paid": paid.get(p.pk, ZERO),
                "met": evaluation.met if evaluation else None,
                "results": evaluation.results if evaluation else {},
            }
        )
    return {
        "budget": budget,
        "region": budget.pooling_region,
        "year": year,
        "cap": cap,
        "total": budget.total,
        "publicity": budget.publicity,
        "training": budget.training,
        "committed": sums["committed"],
        "paid": sums["paid"],
        "publicity_paid": sums["publicity_paid"],
        "training_paid": sums["training_paid"],
        "projects": rows,
        "published_at": budget.disclosed_at,
    }


def disclosures_published() -> QuerySet[Budget]:
    return (
        Budget.objects.filter(disclosed_at__isnull=False)
        .select_related("pooling_region")
        .order_by("-year", "pooling_region__code")
    )


def current_year() -> int:
    return timezone.localdate().year


def years_of(user: Any) -> list[int]:
    years = set(budgets_visible(user).values_list("year", flat=True))
    years.add(current_year())
    return sorted(years, reverse=True)


# --- to-dos on the home page ----------------------------------------------------------------


def fee_todos(user: Any) -> list[Any]:
    """The city's officials: budget lines near their cap, proposals waiting for review,
    milestones past due and not accepted. Institution staff: their milestones due."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from yufang.accounts.scoping.funds import may_manage_fee
    from yufang.support.todos import Todo

    if not fee_reader(user) or user.role in ("county", "liaison", "auditor"):
        return []
    today = timezone.localdate()
    todos: list[Any] = []
    if user.role != "institution":
        for budget in budgets_visible(user).filter(year=today.year)[:20]:
            if not may_manage_fee(user, pooling_region_id=budget.pooling_region_id):
                continue
            figures = budget_figures(budget)
            if figures["near_cap"]:
                todos.append(
                    Todo(
                        _("%(city)s's prevention fee for %(year)s is at %(share)s%% of its cap")
                        % {
                            "city": budget.pooling_region.name,
                            "year": budget.year,
                            "share": figures["share_of_cap"],
                        },
                        reverse("funds:budget", args=[budget.pooling_region.code, budget.year]),
                        "warning",
                    )
                )
        waiting = projects_visible(user).filter(status=ProjectStatus.PROPOSED).count()
        if waiting:
            todos.append(
                Todo(
                    _("%(n)s prevention projects wait for review") % {"n": waiting},
                    reverse("funds:projects") + "?status=proposed",
                )
            )
    due = (
        Milestone.objects.filter(
            contract__in=contracts_visible(user),
            accepted_at__isnull=True,
            due_on__lte=today
            + dt.timedelta(days=int(policy.value("fee_milestone_reminder_days", today))),
        )
        .select_related("contract")
        .order_by("due_on")[:5]
    )
    for m in due:
        todos.append(
            Todo(
                _("Milestone %(title)s of contract %(number)s is due on %(day)s")
                % {"title": m.title, "number": m.contract.number, "day": m.due_on.isoformat()},
                reverse("funds:contract", args=[m.contract_id]),
                "danger" if m.due_on < today else "warning",
            )
        )
    return todos
