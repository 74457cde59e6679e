"""Reads of the enterprise self-service. Every selector takes the user and returns only what
that user may see (`accounts/scoping/portal.py`); the enterprise's home reuses the registry's
panels and the other modules' selectors instead of copying them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang import policy
from yufang.accounts.models import Role
from yufang.accounts.scoping.portal import (
    PORTAL_DECIDERS,
    may_decide_for,
    portal_records_q,
    portal_runs_q,
)
from yufang.enterprises.models import Enterprise, InsuredHeadcount, size_label
from yufang.injuries.models import RATE_KINDS
from yufang.notifications.selectors import inbox
from yufang.portal.models import (
    ChangeField,
    ChangeRequest,
    DeadlineStage,
    FloatingRate,
    FloatingRateRun,
    Indicator,
    InsuredPerson,
    PremiumPaid,
    RequestStatus,
    RosterChange,
    RosterKind,
    RunStatus,
    SelfAssessment,
)
from yufang.support.bounds import bounded_year
from yufang.support.todos import Todo, todos_for


def _scoped(user: Any, qs: QuerySet[Any]) -> QuerySet[Any]:
    q = portal_records_q(user)
    return qs if q is None else qs.filter(q)


def change_requests_visible(user: Any) -> QuerySet[ChangeRequest]:
    return _scoped(user, ChangeRequest.objects.select_related("enterprise", "submitted_by"))


def change_request_get(user: Any, pk: int) -> ChangeRequest:
    return get_object_or_404(change_requests_visible(user), pk=pk)


def self_assessments_visible(user: Any) -> QuerySet[SelfAssessment]:
    return _scoped(user, SelfAssessment.objects.select_related("enterprise", "checklist"))


def self_assessment_get(user: Any, pk: int) -> SelfAssessment:
    return get_object_or_404(self_assessments_visible(user), pk=pk)


def self_assessment_rows(assessment: SelfAssessment) -> list[dict[str, Any]]:
    """Each checklist item with the enterprise's answer and note."""
    return [
        {
            "item": item,
            "answer": assessment.answers.get(str(item.number), ""),
            "note": assessment.notes.get(str(item.number), ""),
        }
        for item in assessment.checklist.items.order_by("number")
    ]


def roster_changes_visible(user: Any) -> QuerySet[RosterChange]:
    return _scoped(user, RosterChange.objects.select_related("enterprise"))


def roster_change_get(user: Any, pk: int) -> RosterChange:
    return get_object_or_404(roster_changes_visible(user), pk=pk)


def insured_people_visible(user: Any) -> QuerySet[InsuredPerson]:
    return _scoped(user, InsuredPerson.objects.select_related("enterprise"))


def runs_visible(user: Any) -> QuerySet[FloatingRateRun]:
    q = portal_runs_q(user)
    qs = FloatingRateRun.objects.select_related("region").annotate(enterprises=Count("rates"))
    return qs if q is None else qs.filter(q)


def run_get(user: Any, pk: int) -> FloatingRateRun:
    return get_object_or_404(runs_visible(user), pk=pk)


def rates_visible(user: Any) -> QuerySet[FloatingRate]:
    """An enterprise reads its rates once the bureau has reviewed the run."""
    qs = _scoped(user, FloatingRate.objects.select_related("enterprise", "run"))
    if getattr(user, "role", None) == Role.SAFETY_MANAGER:
        qs = qs.filter(run__status=RunStatus.REVIEWED)
    return qs


def rates_of_run(user: Any, run: FloatingRateRun) -> QuerySet[FloatingRate]:
    return rates_visible(user).filter(run=run).order_by("-grade", "enterprise__name")


def requested_label(request: ChangeRequest) -> str:
    """The requested value as people read it (a size's label, not its code)."""
    if request.field == ChangeField.SIZE:
        return size_label(request.requested_value)
    if request.field == ChangeField.INSURED_HEADCOUNT and request.headcount_year:
        return _("%(count)s (year %(year)s)") % {
            "count": request.requested_value,
            "year": request.headcount_year,
        }
    return request.requested_value


def request_deadline(request: ChangeRequest | RosterChange) -> dt.date:
    """When the bureau should have decided (`change_request_decision_days`)."""
    submitted = timezone.localdate(request.submitted_at)
    days = int(policy.value("change_request_decision_days", submitted))
    return submitted + dt.timedelta(days=days)


def pending_for_desk(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    requests = list(change_requests_visible(user).filter(status=RequestStatus.PENDING))
    roster = list(
        roster_changes_visible(user)
        .filter(status=RequestStatus.PENDING)
        .order_by("enterprise__name", "submitted_at", "id")
    )
    items: list[Any] = [*requests, *roster]
    for item in items:
        item.deadline = request_deadline(item)
        item.is_late = item.deadline < today
        item.may_decide = may_decide_for(user, item.enterprise)
    for r in requests:
        r.requested_label = requested_label(r)  # type: ignore[attr-defined]
    for c in roster:
        # Submitted after the worker's registration deadline: the bureau sees it was late.
        c.registered_late = c.kind == RosterKind.ADD and registration_deadline(  # type: ignore[attr-defined]
            c.effective_on
        ) < timezone.localdate(c.submitted_at)
    return {"requests": requests, "roster": roster}


# --- premiums paid ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PremiumFilter:
    """The filters of the premiums list; the same names in the URL, the API and the export."""

    year: int | None = None
    region: str = ""
    industry: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params: Any) -> PremiumFilter:
        def text(name: str) -> str:
            return str(params.get(name) or "").strip()[:64]

        return cls(
            year=bounded_year(text("year")),
            region=text("region"),
            industry=text("industry").upper(),
            q=text("q"),
        )

    def apply(self, qs: QuerySet[PremiumPaid]) -> QuerySet[PremiumPaid]:
        if self.year:
            qs = qs.filter(year=self.year)
        if self.region:
            qs = qs.filter(
                Q(enterprise__city__code=self.region)
                | Q(enterprise__county__code=self.region)
                | Q(enterprise__township__code=self.region)
            )
        if self.industry:
            if self.industry.isalpha():
                qs = qs.filter(enterprise__industry__section=self.industry)
            else:
                qs = qs.filter(enterprise__industry__code__startswith=self.industry)
        if self.q:
            qs = qs.filter(
                Q(enterprise__name__icontains=self.q)
                | Q(enterprise__credit_code__startswith=self.q.upper())
            )
        return qs


def premiums_visible(user: Any) -> QuerySet[PremiumPaid]:
    """Premiums paid: the bureau's side in its scope; an enterprise its own."""
    return _scoped(
        user,
        PremiumPaid.objects.select_related(
            "enterprise", "enterprise__county", "enterprise__industry"
        ).order_by("-year", "enterprise__name", "id"),
    )


def premium_get(user: Any, pk: int) -> PremiumPaid:
    return get_object_or_404(premiums_visible(user), pk=pk)


# --- a new worker's registration deadline ------------------------------------------------------

# A refused add older than this is history, not a worker still waiting to be registered.
LOOKBACK_DAYS = 365


def registration_deadline(effective_on: dt.date) -> dt.date:
    """The last day to register a worker who started on `effective_on`."""
    return effective_on + dt.timedelta(days=int(policy.value("roster_add_days", effective_on)))


@dataclass(frozen=True)
class Unregistered:
    change: RosterChange
    deadline: dt.date
    stage: str  # DeadlineStage, or "" when the deadline is not near yet


def stage_on(deadline: dt.date, today: dt.date) -> str:
    if deadline < today:
        return DeadlineStage.LATE
    if (deadline - today).days <= int(policy.value("roster_add_warning_days", today)):
        return DeadlineStage.NEAR
    return ""


def unregistered_adds(changes: QuerySet[RosterChange], today: dt.date) -> list[Unregistered]:
    """The adds among `changes` still not registered: pending, or refused with no later add
    for the same person and the person not on the roster since."""
    later = RosterChange.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        id_digest=OuterRef("id_digest"),
        kind=RosterKind.ADD,
        submitted_at__gt=OuterRef("submitted_at"),
    ).exclude(status=RequestStatus.REFUSED)
    insured = InsuredPerson.objects.filter(
        enterprise_id=OuterRef("enterprise_id"),
        id_digest=OuterRef("id_digest"),
        insured_until__isnull=True,
    )
    rows = (
        changes.filter(
            kind=RosterKind.ADD,
            effective_on__gte=today - dt.timedelta(days=LOOKBACK_DAYS),
        )
        .alias(later_add=Exists(later), insured=Exists(insured))
        .filter(
            Q(status=RequestStatus.PENDING)
            | Q(status=RequestStatus.REFUSED, later_add=False, insured=False)
        )
        .select_related("enterprise")
        .order_by("effective_on", "id")
    )
    found = []
    for change in rows:
        deadline = registration_deadline(change.effective_on)
        found.append(Unregistered(change, deadline, stage_on(deadline, today)))
    return found


# --- an enterprise's floating rate and what prevention would change ---------------------------


def unconfirmed_rules(on: dt.date) -> list[str]:
    return [str(n) for n in policy.value("floating_rate_unconfirmed", on)]


def rate_explained(rate: FloatingRate) -> dict[str, Any]:
    """A rate as the page shows it: the indicator that moved it and what prevention would
    change, in words."""
    notes = []
    if rate.hazards_closed_grade != rate.grade:
        notes.append(
            _("Closing its occupational-health hazards: %(from)s%% → %(to)s%% of base")
            % {"from": rate.grade, "to": rate.hazards_closed_grade}
        )
    if rate.prevented_grade != rate.grade:
        notes.append(
            _(
                "Closing its hazards and a year without a new injury (its people trained): "
                "%(from)s%% → %(to)s%% of base"
            )
            % {"from": rate.grade, "to": rate.prevented_grade}
        )
    if not notes:
        notes.append(_("Prevention would not change the grade of this period."))
    return {
        "rate": rate,
        "moved_by": Indicator(rate.moved_by).label if rate.moved_by in Indicator.values else "",
        "prevention": notes,
    }


def latest_rate_of(user: Any, enterprise: Enterprise) -> FloatingRate | None:
    return (
        rates_visible(user)
        .filter(enterprise=enterprise)
        .order_by("-run__year", "-run__run_at", "-id")
        .first()
    )


# --- the enterprise's injury rate beside its industry's and its region's ---------------------


@dataclass(frozen=True)
class RateRow:
    label: str
    cases: int
    insured: int
    rate: Decimal | None


def _rate_row(label: str, cases: int, insured: int) -> RateRow:
    value = None if not insured else (Decimal(cases) * 1000 / insured).quantize(Decimal("0.01"))
    return RateRow(label, cases, insured, value)


def injury_rate_comparison(enterprise: Enterprise) -> dict[str, Any]:
    """The enterprise's injury rate per 1,000 insured in the last year with a headcount,
    beside its industry division's in its city and its city's. Aggregates only: no record
    about a person shows."""
    from yufang.injuries.selectors import cases_visible
    from yufang.portal.services.rates import BUREAU

    latest = enterprise.headcounts.order_by("-year").first()
    if latest is None:
        return {"year": None, "rows": []}
    year = latest.year
    cases = cases_visible(BUREAU).filter(accident_date__year=year, kind__in=RATE_KINDS)
    headcounts = InsuredHeadcount.objects.filter(year=year)
    city = Q(enterprise__city_id=enterprise.city_id)
    division = Q(enterprise__industry__division_code=enterprise.industry.division_code)

    def sums(q: Q) -> tuple[int, int]:
        return (
            cases.filter(q).count(),
            int(headcounts.filter(q).aggregate(n=Sum("insured_headcount"))["n"] or 0),
        )

    own = sums(Q(enterprise=enterprise))
    industry = sums(city & division)
    region = sums(city)
    return {
        "year": year,
        "rows": [
            _rate_row(_("This enterprise"), *own),
            _rate_row(
                _("Its industry in %(city)s (division %(division)s)")
                % {"city": enterprise.city.name, "division": enterprise.industry.division_code},
                *industry,
            ),
            _rate_row(_("All of %(city)s") % {"city": enterprise.city.name}, *region),
        ],
    }


# --- its people's learning: courses to assign, their progress, certificates to renew ---------


def training_overview(user: Any, *, limit: int = 5) -> dict[str, Any]:
    """The enterprise's online courses with how many of its people started and finished each,
    and its certificates near expiry, through the training module's own selectors."""
    from yufang.training import selectors as training

    courses = []
    for course in training.courses_visible(user).order_by("title")[:limit]:
        lessons = course.lessons.count()
        learners = [t.done for t in training.course_progress_of(user, course)]  # type: ignore[attr-defined]
        courses.append(
            {
                "course": course,
                "started": len(learners),
                "finished": sum(1 for done in learners if lessons and done >= lessons),
            }
        )
    expiring = list(
        training.certificates_expiring(user).select_related("trainee").order_by("expires_on")[:5]
    )
    return {"courses": courses, "expiring": expiring}


# --- links to the injury recognition module, when it exists ---------------------------------


def recognition_links() -> list[dict[str, str]]:
    links = []
    for name, label in (
        ("recognition:report_new", _("Report an accident")),
        ("recognition:index", _("Accident reports and injury recognition")),
    ):
        try:
            links.append({"url": reverse(name), "label": label})
        except NoReverseMatch:
            continue
    return links


# --- the inbox: tasks, deadlines and decisions in one list -----------------------------------


@dataclass(frozen=True)
class InboxItem:
    kind: str  # "task", "deadline", "decision", "message"
    text: str
    url: str
    level: str = "info"
    when: dt.datetime | None = None
    unread: bool = False


def _registration_item(u: Unregistered) -> InboxItem:
    person = f"{u.change.person_name} {u.change.id_masked}"
    if u.stage == DeadlineStage.LATE:
        text = _(
            "Late: %(person)s, who started on %(start)s, was not registered for work-injury "
            "insurance by %(date)s"
        )
    else:
        text = _(
            "Register %(person)s, who started on %(start)s, for work-injury insurance by %(date)s"
        )
    return InboxItem(
        "deadline",
        text
        % {
            "person": person,
            "start": u.change.effective_on.isoformat(),
            "date": u.deadline.isoformat(),
        },
        reverse("portal:roster"),
        "danger" if u.stage == DeadlineStage.LATE else "warning",
    )


def inbox_items(user: Any, *, limit: int = 40) -> list[InboxItem]:
    today = timezone.localdate()
    items: list[InboxItem] = [
        InboxItem("task", str(t.text), t.url, t.level) for t in todos_for(user)
    ]
    if user.role == Role.SAFETY_MANAGER:
        for r in change_requests_visible(user).filter(status=RequestStatus.PENDING):
            deadline = request_deadline(r)
            items.append(
                InboxItem(
                    "deadline",
                    _("The bureau decides on your %(field)s request by %(date)s")
                    % {"field": r.get_field_display(), "date": deadline.isoformat()},
                    reverse("portal:request_detail", args=[r.pk]),
                    "warning" if deadline < today else "info",
                )
            )
        for u in unregistered_adds(roster_changes_visible(user), today):
            if u.stage:
                items.append(_registration_item(u))
    decided_urls = set()
    since = timezone.now() - dt.timedelta(days=60)
    for r in (
        change_requests_visible(user).filter(decided_at__gte=since).order_by("-decided_at")[:10]
    ):
        url = reverse("portal:request_detail", args=[r.pk])
        decided_urls.add(url)
        items.append(
            InboxItem(
                "decision",
                _("%(field)s: %(status)s by the bureau")
                % {
                    "field": r.get_field_display(),
                    "status": r.get_status_display(),
                },
                url,
                "warning" if r.status == RequestStatus.REFUSED else "info",
                r.decided_at,
            )
        )
    for n in inbox(user).order_by("-created_at", "-id")[:limit]:
        if n.url in decided_urls:
            continue  # the decision itself is listed above
        items.append(
            InboxItem(
                "message",
                n.title,
                n.url or reverse("notifications:inbox"),
                "info",
                n.created_at,
                n.read_at is None,
            )
        )
    return items[:limit]


def portal_todos(user: Any) -> list[Todo]:
    """The home page's to-dos: officials' requests and roster changes to decide, and the
    enterprise's refused requests to read."""
    role = getattr(user, "role", None)
    if role in PORTAL_DECIDERS:
        pending = pending_counts(user)
        found = []
        if pending["requests"]:
            found.append(
                Todo(
                    _("%(n)s enterprise requests to change bureau data await a decision")
                    % {"n": pending["requests"]},
                    reverse("portal:desk"),
                    "warning",
                )
            )
        if pending["roster"]:
            found.append(
                Todo(
                    _("%(n)s insured roster changes await a decision") % {"n": pending["roster"]},
                    reverse("portal:desk"),
                    "warning",
                )
            )
        return found
    if role == Role.SAFETY_MANAGER and user.enterprise_id:
        refused = roster_changes_visible(user).filter(
            status=RequestStatus.REFUSED,
            decided_at__gte=timezone.now() - dt.timedelta(days=30),
        )
        count = refused.count()
        if count:
            return [
                Todo(
                    _("%(n)s roster changes were refused by the bureau") % {"n": count},
                    reverse("portal:roster"),
                    "warning",
                )
            ]
    return []


def pending_counts(user: Any) -> dict[str, int]:
    return {
        "requests": change_requests_visible(user).filter(status=RequestStatus.PENDING).count(),
        "roster": roster_changes_visible(user).filter(status=RequestStatus.PENDING).count(),
    }
