"""The prevention fee API's schemas: what goes in (bounded) and what comes out."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.urls import reverse
from ninja import Field, Schema

from yufang.funds import selectors
from yufang.funds.models import Budget, Contract, KeyArea, LedgerEntry, Project
from yufang.support.bounds import Code, Id, Name, Note, Text, Year

# Yuan with at most 2 decimals; negative and zero are refused by the services, by name.
Amount = Annotated[Decimal, Field(max_digits=16, decimal_places=2, allow_inf_nan=False)]
Percent = Annotated[Decimal, Field(max_digits=6, decimal_places=2, allow_inf_nan=False)]
Target = Annotated[int, Field(ge=0, le=10**9)]


class RuleOut(Schema):
    value: Any
    source: str
    since: dt.date


class RulesOut(Schema):
    year: int
    cap_ratio: RuleOut
    ceiling_ratio: RuleOut | None
    allowed_uses: RuleOut
    max_years: RuleOut
    thresholds: RuleOut
    payment_requires_acceptance: RuleOut


class UseFigures(Schema):
    use: str
    budget: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal


class BudgetOut(Schema):
    pooling_region: str
    pooling_region_name: str
    year: int
    contribution_income: Decimal
    publicity: Decimal
    training: Decimal
    total: Decimal
    cap_ratio: Decimal
    cap: Decimal
    ceiling: Decimal | None
    cap_source: str
    raised: bool
    committed: Decimal
    paid: Decimal
    remaining: Decimal
    uses: list[UseFigures]
    disclosed_at: dt.datetime | None


def _budget_out(budget: Budget) -> dict[str, Any]:
    f = selectors.budget_figures(budget)
    cap = f["cap"]
    return {
        "pooling_region": budget.pooling_region.code,
        "pooling_region_name": budget.pooling_region.name,
        "year": budget.year,
        "contribution_income": budget.contribution_income,
        "publicity": budget.publicity,
        "training": budget.training,
        "total": budget.total,
        "cap_ratio": cap.ratio,
        "cap": cap.amount,
        "ceiling": cap.ceiling_amount,
        "cap_source": cap.raise_approval.reason
        if cap.raise_approval
        else cap.rules.cap_ratio.source,
        "raised": cap.raise_approval is not None,
        "committed": f["committed"],
        "paid": f["paid"],
        "remaining": f["remaining"],
        "uses": [
            {k: u[k] for k in ("use", "budget", "committed", "paid", "remaining")}
            for u in f["uses"]
        ],
        "disclosed_at": budget.disclosed_at,
    }


class BudgetIn(Schema):
    contribution_income: Amount
    publicity: Amount
    training: Amount
    note: Note = ""


class RaiseIn(Schema):
    ratio_percent: Percent
    reason: Note


class RaiseOut(Schema):
    pooling_region: str
    year: int
    ratio: Decimal
    reason: str
    approved_at: dt.datetime


class KeyAreaIn(Schema):
    pooling_region: Code
    year: Year
    title: Name
    description: Note = ""


class KeyAreaOut(Schema):
    id: int
    pooling_region: str
    year: int
    title: str
    description: str

    @staticmethod
    def resolve_pooling_region(obj: KeyArea) -> str:
        return obj.pooling_region.code


class YearIn(Schema):
    year: Year
    amount: Amount
    target_person_times: Target = 0
    target_enterprises_covered: Target = 0
    target_hazards_closed: Target = 0
    target_enterprises_assessed: Target = 0


class YearOut(Schema):
    year: int
    amount: Decimal
    target_person_times: int
    target_enterprises_covered: int
    target_hazards_closed: int
    target_enterprises_assessed: int


class ProjectIn(Schema):
    pooling_region: Code
    title: Name
    purpose: Text
    use: Code
    proposer: Name
    cost_basis: Text
    starts_on: dt.date
    ends_on: dt.date
    years: list[YearIn] = Field(..., max_length=5)
    target_industries: Note = ""
    target_enterprises: Note = ""
    key_area_id: Id | None = None


class ProjectOut(Schema):
    id: int
    pooling_region: str
    title: str
    purpose: str
    use: str
    proposer: str
    target_industries: str
    target_enterprises: str
    cost_basis: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    key_area_id: int | None
    years: list[YearOut]
    contract_id: int | None

    @staticmethod
    def resolve_pooling_region(obj: Project) -> str:
        return obj.pooling_region.code

    @staticmethod
    def resolve_years(obj: Project) -> list[Any]:
        return list(obj.years.all())

    @staticmethod
    def resolve_contract_id(obj: Project) -> int | None:
        contract = Contract.objects.filter(project=obj).only("pk").first()
        return contract.pk if contract else None


class ReviewIn(Schema):
    approve: bool
    note: Note = ""


class ProcurementIn(Schema):
    method: Code
    held_on: dt.date
    bidders: Note
    bidder_count: Annotated[int, Field(ge=0, le=10000)]
    winner_id: Id
    price: Amount


class ProcurementOut(Schema):
    id: int
    method: str
    held_on: dt.date
    bidders: str
    bidder_count: int
    winner_id: int
    price: Decimal


class MilestoneIn(Schema):
    title: Name
    deliverables: Note
    due_on: dt.date
    amount: Amount


class ContractIn(Schema):
    number: Annotated[str, Field(max_length=60)]
    signed_on: dt.date
    milestones: list[MilestoneIn] = Field(..., max_length=50)


class MilestoneOut(Schema):
    id: int
    number: int
    title: str
    deliverables: str
    due_on: dt.date
    amount: Decimal
    accepted_at: dt.datetime | None
    acceptance_note: str
    evidence_url: str | None
    paid: Decimal

    @staticmethod
    def resolve_evidence_url(obj: Any) -> str | None:
        return reverse("funds:evidence", args=[obj.pk]) if obj.evidence else None

    @staticmethod
    def resolve_paid(obj: Any) -> Decimal:
        return sum((p.amount for p in obj.payments.all()), Decimal("0.00"))


class ContractOut(Schema):
    id: int
    project_id: int
    institution_id: int
    institution: str
    number: str
    amount: Decimal
    signed_on: dt.date
    milestones: list[MilestoneOut]

    @staticmethod
    def resolve_institution(obj: Contract) -> str:
        return obj.institution.name

    @staticmethod
    def resolve_milestones(obj: Contract) -> list[Any]:
        return list(obj.milestones.prefetch_related("payments"))


class PaymentIn(Schema):
    amount: Amount
    paid_on: dt.date
    voucher: Annotated[str, Field(max_length=60)] = ""


class PaymentOut(Schema):
    id: int
    milestone_id: int
    amount: Decimal
    paid_on: dt.date
    voucher: str


class OutputsOut(Schema):
    person_times: int
    enterprises_covered: int
    hazards_closed: int
    enterprises_assessed: int


class ProgressOut(Schema):
    targets: OutputsOut
    counted: OutputsOut


class EvaluationOut(Schema):
    project_id: int
    met: bool
    results: dict[str, list[int]]
    evaluated_at: dt.datetime
    note: str


class CloseIn(Schema):
    note: Note = ""


class InstitutionOut(Schema):
    id: int
    name: str
    credit_code: str
    kind: str
    city: str
    qualifications: str
    qualified_until: dt.date | None

    @staticmethod
    def resolve_city(obj: Any) -> str:
        return obj.city.code


class QualificationIn(Schema):
    qualifications: Text
    qualified_until: dt.date | None = None


class LedgerOut(Schema):
    id: int
    pooling_region: str
    year: int
    kind: str
    use: str
    amount: Decimal
    project_id: int | None
    payment_id: int | None
    actor_name: str
    reason: str
    at: dt.datetime
    previous_hash: str
    entry_hash: str

    @staticmethod
    def resolve_pooling_region(obj: LedgerEntry) -> str:
        return obj.budget.pooling_region.code

    @staticmethod
    def resolve_year(obj: LedgerEntry) -> int:
        return obj.budget.year


class VerifyOut(Schema):
    intact: bool
    first_broken_entry: int | None
    problem: str | None


class RegionFigures(Schema):
    pooling_region: str
    name: str
    cap: Decimal
    budget: Decimal
    publicity: Decimal
    training: Decimal
    committed: Decimal
    paid: Decimal
    publicity_paid: Decimal
    training_paid: Decimal


class MonthFigures(Schema):
    month: int
    paid: Decimal
    cumulative: Decimal


class StatusCount(Schema):
    status: str
    count: int


class InstitutionResult(Schema):
    institution_id: int
    institution: str
    contracts: int
    value: Decimal
    paid: Decimal
    person_times: int
    hazards_closed: int
    enterprises_assessed: int
    cost_per_person_time: Decimal | None


class DashboardOut(Schema):
    year: int
    regions: list[RegionFigures]
    months: list[MonthFigures]
    by_status: list[StatusCount]
    institutions: list[InstitutionResult]


class DisclosedProject(Schema):
    title: str
    use: str
    status: str
    institution: str
    committed: Decimal
    paid: Decimal
    met: bool | None


class DisclosureOut(Schema):
    pooling_region: str
    name: str
    year: int
    cap: Decimal
    budget: Decimal
    publicity: Decimal
    training: Decimal
    committed: Decimal
    paid: Decimal
    published_at: dt.datetime
    projects: list[DisclosedProject]
