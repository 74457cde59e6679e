"""The prevention fee's API at /api/v1/funds: the same services and selectors as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from yufang.accounts.scoping.funds import fee_reader, may_manage_fee
from yufang.funds import selectors, services
from yufang.funds.api.schemas import (
    BudgetIn,
    BudgetOut,
    CloseIn,
    ContractIn,
    ContractOut,
    DashboardOut,
    DisclosureOut,
    EvaluationOut,
    InstitutionOut,
    KeyAreaIn,
    KeyAreaOut,
    LedgerOut,
    MilestoneOut,
    PaymentIn,
    PaymentOut,
    ProcurementIn,
    ProcurementOut,
    ProgressOut,
    ProjectIn,
    ProjectOut,
    QualificationIn,
    RaiseIn,
    RaiseOut,
    ReviewIn,
    RulesOut,
    VerifyOut,
    _budget_out,
)
from yufang.funds.models import Payment, Project, ProjectStatus
from yufang.lib.errors import InvalidInput
from yufang.support.bounds import Code, Id, Note, Year, paginated
from yufang.support.ratelimits import client_address

router = Router(tags=["funds"])
PUBLIC_RATE = "60/m"


def _reader(request: HttpRequest) -> Any:
    if not fee_reader(request.user):
        raise PermissionDenied(_("Your role has no business with the prevention fee."))
    return request.user


def _managed(request: HttpRequest, project: Project) -> None:
    """A project's writes are the pooling region's officials': refused before the input is
    looked at, so a role that may not act learns nothing from it."""
    if not may_manage_fee(request.user, pooling_region_id=project.pooling_region_id):
        raise PermissionDenied(_("Only the pooling region's officials manage its projects."))


# --- rules and budgets ------------------------------------------------------------------------


@router.get("/rules", response=RulesOut)
def rules(request: HttpRequest, year: Year | None = None) -> Any:
    """The fee's rules in force for a year (on 1 January), each with its source."""
    _reader(request)
    found = services.fee_rules(year or selectors.current_year())
    return {
        "year": found.year,
        "cap_ratio": found.cap_ratio,
        "ceiling_ratio": found.ceiling_ratio,
        "allowed_uses": found.allowed_uses,
        "max_years": found.max_years,
        "thresholds": found.thresholds,
        "payment_requires_acceptance": found.payment_requires_acceptance,
    }


@router.get("/budgets", response=list[BudgetOut])
@paginated(page_size=50)
def budgets(request: HttpRequest, year: Year | None = None) -> Any:
    user = _reader(request)
    qs = selectors.budgets_visible(user).order_by("-year", "pooling_region__code")
    if year:
        qs = qs.filter(year=year)
    return [_budget_out(b) for b in qs]


@router.get("/budgets/{pooling_region}/{year}", response=BudgetOut)
def budget(request: HttpRequest, pooling_region: Code, year: Year) -> Any:
    user = _reader(request)
    return _budget_out(selectors.budget_get(user, pooling_region, year))


@router.put("/budgets/{pooling_region}/{year}", response=BudgetOut)
def budget_put(request: HttpRequest, pooling_region: Code, year: Year, data: BudgetIn) -> Any:
    """Sets a pooling region's budget: above the cap only with a recorded raise approval,
    never above the ceiling."""
    user = _reader(request)
    region = selectors.city_get(user, pooling_region)
    found = services.budget_set(
        actor=user,
        pooling_region=region,
        year=year,
        contribution_income=str(data.contribution_income),
        publicity=str(data.publicity),
        training=str(data.training),
        note=data.note,
    )
    return _budget_out(found)


@router.post("/budgets/{pooling_region}/{year}/raise", response=RaiseOut)
def budget_raise(request: HttpRequest, pooling_region: Code, year: Year, data: RaiseIn) -> Any:
    """The province records its consent to raise a city's cap (a ratio in percent)."""
    user = _reader(request)
    region = selectors.city_get(user, pooling_region)
    approval = services.raise_approve(
        actor=user,
        pooling_region=region,
        year=year,
        ratio_percent=str(data.ratio_percent),
        reason=data.reason,
    )
    return {
        "pooling_region": region.code,
        "year": year,
        "ratio": approval.ratio,
        "reason": approval.reason,
        "approved_at": approval.approved_at,
    }


@router.post("/budgets/{pooling_region}/{year}/disclose", response=BudgetOut)
def budget_disclose(request: HttpRequest, pooling_region: Code, year: Year) -> Any:
    user = _reader(request)
    found = services.budget_disclose(
        actor=user, budget=selectors.budget_get(user, pooling_region, year)
    )
    return _budget_out(found)


@router.get("/disclosure/{pooling_region}/{year}", response=DisclosureOut, auth=None)
@ratelimit(key=client_address, rate=PUBLIC_RATE, block=True)
def disclosure(request: HttpRequest, pooling_region: Code, year: Year) -> Any:
    """A region's published use of the fee for a year: public, no personal data."""
    data = selectors.disclosure(pooling_region, year)
    return {
        "pooling_region": data["region"].code,
        "name": data["region"].name,
        "year": year,
        "cap": data["cap"].amount,
        "budget": data["total"],
        "publicity": data["publicity"],
        "training": data["training"],
        "committed": data["committed"],
        "paid": data["paid"],
        "published_at": data["published_at"],
        "projects": [
            {k: p[k] for k in ("title", "use", "status", "institution", "committed", "paid", "met")}
            for p in data["projects"]
        ],
    }


# --- key areas and projects ---------------------------------------------------------------------


@router.get("/key-areas", response=list[KeyAreaOut])
@paginated(page_size=100)
def key_areas(request: HttpRequest, year: Year | None = None) -> Any:
    user = _reader(request)
    qs = selectors.key_areas_visible(user)
    return qs.filter(year=year) if year else qs


@router.post("/key-areas", response={201: KeyAreaOut})
def key_area_create(request: HttpRequest, data: KeyAreaIn) -> Any:
    user = _reader(request)
    region = selectors.city_get(user, data.pooling_region)
    return Status(
        201,
        services.key_area_create(
            actor=user,
            pooling_region=region,
            year=data.year,
            title=data.title,
            description=data.description,
        ),
    )


@router.get("/projects", response=list[ProjectOut])
@paginated(page_size=50)
def projects(request: HttpRequest, year: Year | None = None, status: Code | None = None) -> Any:
    user = _reader(request)
    qs = selectors.projects_visible(user).prefetch_related("years").order_by("-proposed_at")
    if year:
        qs = qs.filter(years__year=year).distinct()
    if status:
        if status not in ProjectStatus.values:
            raise InvalidInput(_("Unknown status."), "status")
        qs = qs.filter(status=status)
    return qs


@router.post("/projects", response={201: ProjectOut})
def project_create(request: HttpRequest, data: ProjectIn) -> Any:
    """A proposal with its use, run and a budget and targets for each calendar year."""
    user = _reader(request)
    region = selectors.city_get(user, data.pooling_region)
    area = None
    if data.key_area_id:
        area = selectors.key_areas_visible(user).filter(pk=data.key_area_id).first()
        if area is None:
            raise InvalidInput(_("Choose a key area of this pooling region."), "key_area_id")
    project = services.project_propose(
        actor=user,
        pooling_region=region,
        title=data.title,
        purpose=data.purpose,
        use=data.use,
        proposer=data.proposer,
        cost_basis=data.cost_basis,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        years=[{**y.dict(), "amount": str(y.amount)} for y in data.years],
        target_industries=data.target_industries,
        target_enterprises=data.target_enterprises,
        key_area=area,
    )
    return Status(201, project)


@router.get("/projects/{fee_project_id}", response=ProjectOut)
def project(request: HttpRequest, fee_project_id: Id) -> Any:
    return selectors.project_get(_reader(request), fee_project_id)


@router.post("/projects/{fee_project_id}/review", response=ProjectOut)
def project_review(request: HttpRequest, fee_project_id: Id, data: ReviewIn) -> Any:
    """Approves (committing against the remaining budget, never over it) or rejects."""
    user = _reader(request)
    found = selectors.project_get(user, fee_project_id)
    _managed(request, found)
    return services.project_review(actor=user, project=found, approve=data.approve, note=data.note)


@router.post("/projects/{fee_project_id}/procurement", response={201: ProcurementOut})
def project_procurement(request: HttpRequest, fee_project_id: Id, data: ProcurementIn) -> Any:
    user = _reader(request)
    found = selectors.project_get(user, fee_project_id)
    _managed(request, found)
    winner = selectors.institutions_visible(user).filter(pk=data.winner_id).first()
    if winner is None:
        raise InvalidInput(_("Choose the winning institution."), "winner_id")
    return Status(
        201,
        services.procurement_record(
            actor=user,
            project=found,
            method=data.method,
            held_on=data.held_on,
            bidders=data.bidders,
            bidder_count=data.bidder_count,
            winner=winner,
            price=str(data.price),
        ),
    )


@router.post("/projects/{fee_project_id}/contract", response={201: ContractOut})
def project_contract(request: HttpRequest, fee_project_id: Id, data: ContractIn) -> Any:
    user = _reader(request)
    found = selectors.project_get(user, fee_project_id)
    _managed(request, found)
    return Status(
        201,
        services.contract_create(
            actor=user,
            project=found,
            number=data.number,
            signed_on=data.signed_on,
            milestones=[{**m.dict(), "amount": str(m.amount)} for m in data.milestones],
        ),
    )


@router.get("/projects/{fee_project_id}/outputs", response=ProgressOut)
def project_outputs(request: HttpRequest, fee_project_id: Id) -> Any:
    """The targets and the outputs the platform counted for the project (never typed in)."""
    user = _reader(request)
    found = selectors.project_get(user, fee_project_id)
    return {
        "targets": selectors.project_targets(found),
        "counted": selectors.outputs_counted(user, found),
    }


@router.post("/projects/{fee_project_id}/close", response=EvaluationOut)
def project_close(request: HttpRequest, fee_project_id: Id, data: CloseIn) -> Any:
    user = _reader(request)
    found = selectors.project_get(user, fee_project_id)
    _managed(request, found)
    evaluation = services.project_close(
        actor=user, project=found, counted=selectors.outputs_counted(user, found), note=data.note
    )
    return {
        "project_id": found.pk,
        "met": evaluation.met,
        "results": evaluation.results,
        "evaluated_at": evaluation.evaluated_at,
        "note": evaluation.note,
    }


# --- contracts, milestones, payments ---------------------------------------------------------


@router.get("/contracts", response=list[ContractOut])
@paginated(page_size=50)
def contracts(request: HttpRequest) -> Any:
    return selectors.contracts_visible(_reader(request)).order_by("-signed_on", "-id")


@router.get("/contracts/{fee_contract_id}", response=ContractOut)
def contract(request: HttpRequest, fee_contract_id: Id) -> Any:
    return selectors.contract_get(_reader(request), fee_contract_id)


@router.post("/milestones/{fee_milestone_id}/accept", response=MilestoneOut)
def milestone_accept(
    request: HttpRequest,
    fee_milestone_id: Id,
    note: Form[Note],
    evidence: File[UploadedFile],
) -> Any:
    """Acceptance with its evidence (a PDF or a photo, checked from its content)."""
    user = _reader(request)
    found = selectors.milestone_get(user, fee_milestone_id)
    _managed(request, found.contract.project)
    return services.milestone_accept(actor=user, milestone=found, evidence=evidence, note=note)


@router.post("/milestones/{fee_milestone_id}/payments", response={201: PaymentOut})
def milestone_pay(request: HttpRequest, fee_milestone_id: Id, data: PaymentIn) -> Any:
    """Pays an accepted milestone, never beyond the milestone, the contract or the budget."""
    user = _reader(request)
    found = selectors.milestone_get(user, fee_milestone_id)
    _managed(request, found.contract.project)
    payment: Payment = services.payment_record(
        actor=user,
        milestone=found,
        amount=str(data.amount),
        paid_on=data.paid_on,
        voucher=data.voucher,
    )
    return Status(201, payment)


# --- registry, ledger, dashboard ---------------------------------------------------------------


@router.get("/institutions", response=list[InstitutionOut])
@paginated(page_size=100)
def institutions(request: HttpRequest) -> Any:
    return selectors.institutions_visible(_reader(request))


@router.put("/institutions/{fee_institution_id}/qualifications", response=InstitutionOut)
def institution_qualify(request: HttpRequest, fee_institution_id: Id, data: QualificationIn) -> Any:
    user = _reader(request)
    found = selectors.institution_get(user, fee_institution_id)
    return services.institution_qualify(
        actor=user,
        institution=found,
        qualifications=data.qualifications,
        qualified_until=data.qualified_until,
    )


@router.get("/ledger", response=list[LedgerOut])
@paginated(page_size=100)
def ledger(request: HttpRequest, year: Year | None = None) -> Any:
    """Every money movement with who and why, oldest first, with its chain of hashes."""
    qs = selectors.ledger_visible(_reader(request)).order_by("id")
    return qs.filter(budget__year=year) if year else qs


@router.get("/ledger/verify", response=VerifyOut)
def ledger_verify(request: HttpRequest) -> Any:
    _reader(request)
    broken = services.ledger_verify()
    return {
        "intact": broken is None,
        "first_broken_entry": broken.entry_id if broken else None,
        "problem": broken.problem if broken else None,
    }


@router.get("/dashboard", response=DashboardOut)
def dashboard(request: HttpRequest, year: Year | None = None) -> Any:
    user = _reader(request)
    data = selectors.dashboard(user, year=year or selectors.current_year())
    return {
        "year": data["year"],
        "regions": [
            {
                "pooling_region": r["code"],
                "name": r["name"],
                "cap": r["cap"],
                "budget": r["total"],
                **{
                    k: r[k]
                    for k in (
                        "publicity",
                        "training",
                        "committed",
                        "paid",
                        "publicity_paid",
                        "training_paid",
                    )
                },
            }
            for r in data["regions"]
        ],
        "months": data["months"],
        "by_status": [{"status": s["status"], "count": s["count"]} for s in data["by_status"]],
        "institutions": [
            {
                "institution_id": r["institution"].pk,
                "institution": r["institution"].name,
                **{
                    k: r[k]
                    for k in (
                        "contracts",
                        "value",
                        "paid",
                        "person_times",
                        "hazards_closed",
                        "enterprises_assessed",
                        "cost_per_person_time",
                    )
                },
            }
            for r in data["institutions"]
        ],
    }
