"""Procurement (method by threshold), contracts with milestones and their payment schedule,
acceptance with evidence, and payments that never go beyond the contract or the budget."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from yufang.accounts.scoping.funds import may_manage_fee, may_manage_registry
from yufang.audit.services import audit_create, audit_update, snapshot
from yufang.funds.models import (
    Budget,
    Contract,
    LedgerKind,
    Milestone,
    Payment,
    Procurement,
    ProcurementMethod,
    Project,
    ProjectStatus,
)
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
from yufang.funds.services.projects import commitments_of, paid_of, project_total
from yufang.lib.errors import InvalidInput
from yufang.organisations.models import Institution

EVIDENCE_TYPES = {"pdf", "jpg", "jpeg", "png", "webp"}


def methods_allowed(project: Project, price: Decimal) -> list[str]:
    """The procurement methods a price allows under the thresholds in force."""
    rules = fee_rules(project.starts_on.year)
    if price >= rules.open_tender_from:
        return [ProcurementMethod.OPEN_TENDER]
    if price >= rules.competitive_from:
        return [ProcurementMethod.OPEN_TENDER, ProcurementMethod.COMPETITIVE]
    return list(ProcurementMethod.values)


def _manage(actor: Any, project: Project) -> None:
    if not may_manage_fee(actor, pooling_region_id=project.pooling_region_id):
        refuse(_("Only the pooling region's officials manage its projects."))


@transaction.atomic
def procurement_record(
    *,
    actor: Any,
    project: Project,
    method: str,
    held_on: Any,
    bidders: str,
    bidder_count: Any,
    winner: Institution,
    price: Any,
) -> Procurement:
    _manage(actor, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.status != ProjectStatus.APPROVED:
        raise InvalidInput(_("Only an approved project is procured."), "status")
    if Procurement.objects.filter(project=project).exists():
        raise InvalidInput(_("This project's procurement is already recorded."), "method")
    amount = parse_amount(price, "price")
    day = parse_date(held_on, "held_on")
    count = parse_count(bidder_count, "bidder_count")
    if count < 1:
        raise InvalidInput(_("Give the number of bidders."), "bidder_count")
    bidders = require_text(bidders, "bidders", limit=2000)
    if amount > project_total(project):
        raise InvalidInput(
            _("The price is above the project's approved amount of %(total)s yuan.")
            % {"total": project_total(project)},
            "price",
        )
    allowed = methods_allowed(project, amount)
    if method not in allowed:
        raise InvalidInput(
            _("A price of %(price)s yuan must be procured by: %(methods)s.")
            % {
                "price": amount,
                "methods": "、".join(str(ProcurementMethod(m).label) for m in allowed),
            },
            "method",
        )
    if winner.qualified_until is not None and winner.qualified_until < day:
        raise InvalidInput(
            _("The winner's qualification ended on %(day)s.")
            % {"day": winner.qualified_until.isoformat()},
            "winner",
        )
    procurement = Procurement.objects.create(
        project=project,
        method=method,
        held_on=day,
        bidders=bidders,
        bidder_count=count,
        winner=winner,
        price=amount,
        recorded_by=actor,
    )
    audit_create(actor, procurement)
    return procurement


@transaction.atomic
def contract_create(
    *,
    actor: Any,
    project: Project,
    number: str,
    signed_on: Any,
    milestones: Iterable[Mapping[str, Any]],
) -> Contract:
    """The contract with the procurement's winner, at its price, with milestones whose
    scheduled payments add up to the contract value."""
    _manage(actor, project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    procurement = Procurement.objects.filter(project=project).first()
    if procurement is None:
        raise InvalidInput(_("Record the procurement first."), "number")
    if Contract.objects.filter(project=project).exists():
        raise InvalidInput(_("This project already has its contract."), "number")
    number = require_text(number, "number", limit=60)
    day = parse_date(signed_on, "signed_on")
    rows: list[Milestone] = []
    errors: dict[str, str] = {}
    for index, raw in enumerate(milestones):
        prefix = f"milestones.{index}."
        try:
            rows.append(
                Milestone(
                    number=index + 1,
                    title=require_text(raw.get("title"), prefix + "title", limit=200),
                    deliverables=require_text(
                        raw.get("deliverables"), prefix + "deliverables", limit=5000
                    ),
                    due_on=parse_date(raw.get("due_on"), prefix + "due_on"),
                    amount=parse_amount(raw.get("amount"), prefix + "amount"),
                )
            )
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    if not rows:
        raise InvalidInput(_("Give at least one milestone."), "milestones")
    scheduled = sum((m.amount for m in rows), Decimal("0.00"))
    if scheduled != procurement.price:
        raise InvalidInput(
            _(
                "The milestones' payments add up to %(scheduled)s yuan; the contract value is "
                "%(price)s yuan."
            )
            % {"scheduled": scheduled, "price": procurement.price},
            "milestones",
        )
    contract = Contract.objects.create(
        project=project,
        institution=procurement.winner,
        number=number,
        amount=procurement.price,
        signed_on=day,
        recorded_by=actor,
    )
    for m in rows:
        m.contract = contract
    Milestone.objects.bulk_create(rows)
    audit_create(actor, contract)
    return contract


def _check_evidence(upload: UploadedFile) -> None:
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = int(settings.FUNDS_EVIDENCE_MAX_BYTES)
    if ext not in EVIDENCE_TYPES:
        raise InvalidInput(_("Evidence is a PDF or a photo (JPG, PNG, WebP)."), "evidence")
    if (upload.size or 0) > limit:
        raise InvalidInput(
            _("The file is larger than %(mb)s MB.") % {"mb": limit // (1024 * 1024)}, "evidence"
        )
    upload.seek(0)
    if ext == "pdf":
        if upload.read(5) != b"%PDF-":
            raise InvalidInput(_("The file is not a PDF."), "evidence")
    else:
        try:
            with Image.open(upload) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise InvalidInput(_("The file is not an image."), "evidence") from exc
    upload.seek(0)


@transaction.atomic
def milestone_accept(
    *, actor: Any, milestone: Milestone, evidence: UploadedFile | None, note: str
) -> Milestone:
    """Acceptance (验收) of a milestone's deliverables, with its evidence."""
    contract = milestone.contract
    _manage(actor, contract.project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.accepted_at is not None:
        raise InvalidInput(_("This milestone is already accepted."), "evidence")
    if evidence is None:
        raise InvalidInput(_("Attach the acceptance evidence."), "evidence")
    _check_evidence(evidence)
    note = require_text(note, "note", limit=2000)
    before = snapshot(milestone)
    milestone.evidence.save(evidence.name or "evidence", evidence, save=False)
    milestone.accepted_at = timezone.now()
    milestone.accepted_by = actor
    milestone.acceptance_note = note
    milestone.save()
    audit_update(actor, milestone, before, reason=note)
    return milestone


def _budget_for(project: Project, day: dt.date) -> Budget:
    """The budget a payment is charged to: the project's year of the payment's date (the
    last year of the run after it, the first before it)."""
    years = list(project.years.order_by("year").values_list("year", flat=True))
    year = min(max(day.year, years[0]), years[-1])
    return Budget.objects.select_for_update().get(
        pooling_region_id=project.pooling_region_id, year=year
    )


@transaction.atomic
def payment_record(
    *, actor: Any, milestone: Milestone, amount: Any, paid_on: Any, voucher: str = ""
) -> Payment:
    """Pays an accepted milestone: never above what is left of the milestone, the contract or
    the project's commitment of the budget it is charged to."""
    contract = milestone.contract
    project = contract.project
    _manage(actor, project)
    value = parse_amount(amount, "amount")
    day = parse_date(paid_on, "paid_on")
    voucher = optional_text(voucher, "voucher", limit=60)
    if project.status != ProjectStatus.APPROVED:
        raise InvalidInput(_("Only an approved, open project is paid."), "amount")
    budget = _budget_for(project, day)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    rules = fee_rules(project.starts_on.year)
    if rules.payment_requires_acceptance.value and milestone.accepted_at is None:
        raise InvalidInput(_("A milestone is paid only after its acceptance."), "amount")
    paid_milestone = milestone.payments.aggregate(t=Sum("amount"))["t"] or Decimal("0.00")
    paid_contract = Payment.objects.filter(milestone__contract=contract).aggregate(t=Sum("amount"))[
        "t"
    ] or Decimal("0.00")
    left_milestone = milestone.amount - paid_milestone
    left_contract = contract.amount - paid_contract
    if value > left_contract:
        raise InvalidInput(
            _("%(amount)s yuan is more than the %(left)s yuan left of the contract.")
            % {"amount": value, "left": left_contract},
            "amount",
        )
    if value > left_milestone:
        raise InvalidInput(
            _("%(amount)s yuan is more than the %(left)s yuan left of this milestone.")
            % {"amount": value, "left": left_milestone},
            "amount",
        )
    held = commitments_of(project).get(budget.pk, Decimal("0.00"))
    spent = paid_of(project).get(budget.pk, Decimal("0.00"))
    if value > held - spent:
        raise InvalidInput(
            _(
                "%(amount)s yuan is more than the %(left)s yuan the project still holds of the "
                "%(year)s budget."
            )
            % {"amount": value, "left": held - spent, "year": budget.year},
            "amount",
        )
    payment = Payment.objects.create(
        milestone=milestone, amount=value, paid_on=day, voucher=voucher, paid_by=actor
    )
    audit_create(actor, payment)
    ledger_append(
        budget=budget,
        kind=LedgerKind.PAYMENT,
        use=project.use,
        amount=value,
        project=project,
        payment=payment,
        actor=actor,
        reason=_("Milestone %(number)s paid: %(title)s")
        % {"number": milestone.number, "title": milestone.title},
    )
    return payment


@transaction.atomic
def institution_qualify(
    *, actor: Any, institution: Institution, qualifications: str, qualified_until: Any
) -> Institution:
    """Keeps an institution's entry in the registry: its qualifications and until when."""
    if not may_manage_registry(actor, city_id=institution.city_id):
        refuse(_("The registry is kept by the officials of the institution's city."))
    text = require_text(qualifications, "qualifications", limit=5000)
    until = parse_date(qualified_until, "qualified_until") if qualified_until else None
    before = snapshot(institution)
    institution.qualifications = text
    institution.qualified_until = until
    institution.save(update_fields=["qualifications", "qualified_until"])
    audit_update(actor, institution, before)
    return institution
