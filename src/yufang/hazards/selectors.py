"""Reads for hazards and assessments. Every selector takes the user and scopes through
`accounts.scoping`: hazard → enterprise → city/county/grid, and institution staff through
the institution assigned to the assessment or hazard."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from yufang.accounts.models import Role
from yufang.accounts.scoping import ScopePaths, scope_queryset
from yufang.hazards import scoring
from yufang.hazards.models import (
    OPEN_STATUSES,
    RECTIFICATION_PENDING,
    Assessment,
    AssessmentStatus,
    Checklist,
    Escalation,
    Hazard,
    HazardLevel,
    HazardStatistic,
    HazardStatus,
    Measurement,
    NoticeIssuer,
    Photo,
    RectificationNotice,
    RiskColour,
)
from yufang.support.bounds import bounded_id

PATHS = ScopePaths.via_enterprise("enterprise", institution="institution")
ESCALATION_PATHS = ScopePaths.via_enterprise(
    "hazard__enterprise", institution="hazard__institution"
)


def open_hazard_topics(
    *, enterprise_ids: Iterable[int] | None = None, hazards: QuerySet[Hazard] | None = None
) -> dict[int, set[str]]:
    """Enterprise id → the prevention topics (`support.topics.Topic` values) of its hazards that
    are not closed. The targeted-training hook: training maps topics to courses and halls.

    Not scoped by user unless given the user's `hazards` (`hazards_visible`): other domains'
    selectors scope the enterprises themselves."""
    qs = (Hazard.objects.all() if hazards is None else hazards).exclude(status=HazardStatus.CLOSED)
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=list(enterprise_ids))
    found: dict[int, set[str]] = defaultdict(set)
    for enterprise_id, topic in qs.values_list("enterprise_id", "topic").distinct():
        found[enterprise_id].add(topic)
    return dict(found)


# --- checklists -----------------------------------------------------------------------------


def checklists_current(on: dt.date | None = None) -> list[Checklist]:
    """The version of each checklist in force on a date (today by default)."""
    on = on or timezone.localdate()
    latest: dict[str, Checklist] = {}
    for c in (
        Checklist.objects.filter(effective_from__lte=on)
        .annotate(item_count=Count("items"))
        .order_by("key", "version")
    ):
        latest[c.key] = c
    return list(latest.values())


def checklist_versions(key: str) -> QuerySet[Checklist]:
    return (
        Checklist.objects.filter(key=key).annotate(item_count=Count("items")).order_by("-version")
    )


BOARD_READERS = frozenset(
    {Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL, Role.AUDITOR, Role.ADMIN}
)


def pages_open_to(user: Any) -> dict[str, bool]:
    """Which of the hazards pages beyond the list, map, assessments, checklists and
    statistics a user may open (their tabs show by it): the work queue (not the enterprise's
    own), the board and the escalations (officials, auditors), the notice issuers (those who
    configure them)."""
    from yufang.accounts.scoping.hazards import may_configure_notice_issuers

    role = getattr(user, "role", None)
    return {
        "queue": role != Role.SAFETY_MANAGER,
        "board": role in BOARD_READERS,
        "escalations": role in BOARD_READERS,
        "issuers": may_configure_notice_issuers(user),
    }


def checklist_get(pk: int) -> Checklist:
    return get_object_or_404(Checklist.objects.prefetch_related("items"), pk=pk)


# --- hazards ----------------------------------------------------------------------------------


def hazards_visible(user: Any) -> QuerySet[Hazard]:
    return scope_queryset(user, Hazard.objects.all(), PATHS)


def with_overdue(qs: QuerySet[Hazard], today: dt.date | None = None) -> QuerySet[Hazard]:
    """Overdue is derived: the deadline has passed and the enterprise has not yet submitted
    its rectification."""
    today = today or timezone.localdate()
    return qs.filter(status__in=RECTIFICATION_PENDING, deadline__lt=today)


def is_overdue(hazard: Hazard, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return hazard.status in RECTIFICATION_PENDING and hazard.deadline < today


@dataclass
class HazardFilter:
    q: str = ""
    status: str = ""
    level: str = ""
    topic: str = ""
    county: str = ""
    overdue: bool = False
    escalated: bool = False
    open: bool = False
    enterprise: int | None = None
    assessment: int | None = None

    @classmethod
    def from_params(cls, params: Any) -> HazardFilter:
        def text(name: str) -> str:
            return (params.get(name) or "").strip()

        flag = {"1", "true", "on"}
        return cls(
            q=text("q"),
            status=text("status"),
            level=text("level"),
            topic=text("topic"),
            county=text("county"),
            overdue=text("overdue").lower() in flag,
            escalated=text("escalated").lower() in flag,
            open=text("open").lower() in flag,
            enterprise=bounded_id(text("enterprise")),
            assessment=bounded_id(text("assessment")),
        )

    def apply(self, qs: QuerySet[Hazard]) -> QuerySet[Hazard]:
        if self.q:
            qs = qs.filter(
                Q(description__icontains=self.q)
                | Q(enterprise__name__icontains=self.q)
                | Q(enterprise__credit_code__startswith=self.q.upper())
            )
        if self.status:
            qs = qs.filter(status=self.status)
        if self.open:
            qs = qs.filter(status__in=OPEN_STATUSES)
        if self.level:
            qs = qs.filter(level=self.level)
        if self.topic:
            qs = qs.filter(topic=self.topic)
        if self.county:
            qs = qs.filter(enterprise__county__code=self.county)
        if self.overdue:
            qs = with_overdue(qs)
        if self.escalated:
            qs = qs.filter(escalations__isnull=False).distinct()
        if self.enterprise:
            qs = qs.filter(enterprise_id=self.enterprise)
        if self.assessment:
            qs = qs.filter(assessment_id=self.assessment)
        return qs


def hazard_list(user: Any, filters: HazardFilter | None = None) -> QuerySet[Hazard]:
    qs = hazards_visible(user).select_related(
        "enterprise", "enterprise__county", "enterprise__city"
    )
    if filters is not None:
        qs = filters.apply(qs)
    return qs.annotate(
        escalation_count=Count("escalations", distinct=True),
    ).order_by("deadline", "id")


def hazard_get(user: Any, pk: int) -> Hazard:
    """A hazard the user may see, or 404."""
    return get_object_or_404(
        hazards_visible(user).select_related(
            "enterprise",
            "enterprise__city",
            "enterprise__county",
            "assessment",
            "checklist_item",
            "reported_by",
            "institution",
        ),
        pk=pk,
    )


def work_queue(user: Any) -> dict[str, QuerySet[Hazard]]:
    """What an inspector has to do: hazards to assign, submissions to verify, verified ones
    to close."""
    base = hazards_visible(user).select_related("enterprise", "enterprise__county")
    return {
        "to_assign": base.filter(status=HazardStatus.REPORTED).order_by("reported_at"),
        "to_verify": base.filter(status=HazardStatus.SUBMITTED).order_by("submitted_at"),
        "to_close": base.filter(status=HazardStatus.VERIFIED).order_by("verified_at"),
    }


def escalations_for(user: Any, *, open_only: bool = True) -> QuerySet[Escalation]:
    """Escalations addressed to this official's region (province officials: all)."""
    qs = scope_queryset(user, Escalation.objects.all(), ESCALATION_PATHS).select_related(
        "hazard", "hazard__enterprise", "region"
    )
    role = getattr(user, "role", None)
    if role in (Role.COUNTY_OFFICIAL, Role.CITY_OFFICIAL):
        qs = qs.filter(region_id=user.region_id)
    elif role not in (Role.PROVINCE_OFFICIAL, Role.ADMIN, Role.AUDITOR):
        return qs.none()
    if open_only:
        qs = qs.filter(answered_at__isnull=True)
    return qs.order_by("-escalated_at")


def photo_get(user: Any, pk: int) -> Photo:
    """A photo whose hazard or assessment the user may see, or 404: an upload is shown only
    to those who may see the record it belongs to."""
    return get_object_or_404(
        Photo.objects.filter(
            Q(hazard__in=hazards_visible(user).values("pk"))
            | Q(assessment__in=assessments_visible(user).values("pk"))
        ),
        pk=pk,
    )


# --- assessments --------------------------------------------------------------------------


def assessments_visible(user: Any) -> QuerySet[Assessment]:
    return scope_queryset(user, Assessment.objects.all(), PATHS)


def assessment_list(user: Any, *, status: str = "", q: str = "") -> QuerySet[Assessment]:
    qs = assessments_visible(user).select_related(
        "enterprise", "enterprise__county", "checklist", "assessor", "institution"
    )
    if status:
        qs = qs.filter(status=status)
    else:  # a cancelled draft is shown only to whoever asks for cancelled ones
        qs = qs.exclude(status=AssessmentStatus.CANCELLED)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(checklist__title__icontains=q))
    return qs.annotate(
        failed=Count("answers", filter=Q(answers__result="fail"), distinct=True)
    ).order_by("-visited_on", "-planned_on", "-id")


def assessment_get(user: Any, pk: int) -> Assessment:
    return get_object_or_404(
        assessments_visible(user).select_related(
            "enterprise", "enterprise__county", "enterprise__city", "checklist", "assessor"
        ),
        pk=pk,
    )


@dataclass
class MeasurementRow:
    measurement: Measurement
    name: str
    exceedance: scoring.Exceedance


def measurement_rows(assessment: Assessment) -> list[MeasurementRow]:
    rows = []
    for m in assessment.measurements.all():
        known = scoring.agents(m.sampled_on)
        rows.append(
            MeasurementRow(
                measurement=m,
                name=known.get(m.agent, (m.agent, m.agent, ""))[0],
                exceedance=scoring.exceedance(
                    agent=m.agent, sample_type=m.sample_type, value=m.value, sampled_on=m.sampled_on
                ),
            )
        )
    return rows


def assessment_report(assessment: Assessment) -> dict[str, Any]:
    """Everything the assessment report shows: answers by item, failures, scores and colour,
    measurements against limits, the hazards it raised."""
    answers = {a.item_id: a for a in assessment.answers.all()}
    items = list(assessment.checklist.items.all())
    hazards = list(assessment.hazards.order_by("id"))
    measurements = measurement_rows(assessment)
    score = scoring.assessment_score(
        assessment,
        found_major=any(h.level == HazardLevel.MAJOR for h in hazards),
        exposure_ratio=worst_ratio(r.exceedance for r in measurements),
    )
    return {
        "rows": [(item, answers.get(item.pk)) for item in items],
        "answered": len(answers),
        "failed": sum(1 for a in answers.values() if a.result == "fail"),
        "score": score,
        "measurements": measurements,
        "hazards": hazards,
        "photos": list(assessment.photos.all()),
    }


def worst_ratio(exceedances: Iterable[scoring.Exceedance]) -> Any:
    """The largest measured value / exposure limit among measurements above their limit."""
    ratios = [e.ratio for e in exceedances if e.ratio is not None]
    return max(ratios) if ratios else None


def enterprise_risk_colours(enterprise_ids: Iterable[int]) -> dict[int, RiskColour | None]:
    """Each enterprise's risk colour from its latest completed assessment, by the rule in
    `scoring.assessment_score`. Derived on read (three queries), never stored."""
    ids = list(enterprise_ids)
    latest: dict[int, Assessment] = {}
    for a in (
        Assessment.objects.filter(enterprise_id__in=ids, status=AssessmentStatus.COMPLETED)
        .annotate(
            found_major=Exists(
                Hazard.objects.filter(assessment=OuterRef("pk"), level=HazardLevel.MAJOR)
            )
        )
        .order_by("enterprise_id", "completed_at", "id")
    ):
        latest[a.enterprise_id] = a
    exceedances: dict[int, list[scoring.Exceedance]] = defaultdict(list)
    for m in Measurement.objects.filter(assessment_id__in=[a.pk for a in latest.values()]):
        exceedances[m.assessment_id].append(
            scoring.exceedance(
                agent=m.agent, sample_type=m.sample_type, value=m.value, sampled_on=m.sampled_on
            )
        )
    return {
        i: (
            scoring.assessment_score(
                latest[i],
                found_major=latest[i].found_major,  # type: ignore[attr-defined]
                exposure_ratio=worst_ratio(exceedances[latest[i].pk]),
            ).colour
            if i in latest
            else None
        )
        for i in ids
    }


# --- the board, the map and statistics ---------------------------------------------------------

AGE_BANDS = ((0, 30), (31, 90), (91, 180), (181, None))


def hazard_board(user: Any, *, county: str = "") -> dict[str, Any]:
    """The city hazard board: counts by level, status and age, overdue rate, median days to
    close and a monthly trend. A handful of queries over the visible hazards."""
    today = timezone.localdate()
    qs = hazards_visible(user)
    if county:
        qs = qs.filter(enterprise__county__code=county)
    by_status = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    open_qs = qs.filter(status__in=OPEN_STATUSES)
    by_level = dict(open_qs.values_list("level").annotate(n=Count("id")).order_by())
    open_total = sum(by_level.values())
    overdue = with_overdue(qs, today).count()
    pending = qs.filter(status__in=RECTIFICATION_PENDING).count()
    ages: Counter[int] = Counter()
    for reported_at in open_qs.values_list("reported_at", flat=True):
        days = (today - timezone.localdate(reported_at)).days
        for index, (low, high) in enumerate(AGE_BANDS):
            if days >= low and (high is None or days <= high):
                ages[index] += 1
                break
    since = today.replace(day=1) - dt.timedelta(days=365)
    durations = [
        (closed - reported).days
        for reported, closed in qs.filter(
            status=HazardStatus.CLOSED, closed_at__date__gte=since
        ).values_list("reported_at", "closed_at")
        if closed is not None
    ]
    trend_found: Counter[str] = Counter()
    trend_closed: Counter[str] = Counter()
    for reported_at in qs.filter(reported_at__date__gte=since).values_list(
        "reported_at", flat=True
    ):
        trend_found[timezone.localtime(reported_at).strftime("%Y-%m")] += 1
    for closed_at in qs.filter(closed_at__date__gte=since).values_list("closed_at", flat=True):
        trend_closed[timezone.localtime(closed_at).strftime("%Y-%m")] += 1  # type: ignore[arg-type]
    months = sorted(set(trend_found) | set(trend_closed))
    by_county = list(
        open_qs.values("enterprise__county__code", "enterprise__county__name")
        .annotate(
            open=Count("id"),
            major=Count("id", filter=Q(level=HazardLevel.MAJOR)),
            overdue=Count("id", filter=Q(status__in=RECTIFICATION_PENDING, deadline__lt=today)),
        )
        .order_by("-open")
    )
    return {
        "by_status": {s: by_status.get(s, 0) for s in HazardStatus.values},
        "by_level": {lv: by_level.get(lv, 0) for lv in HazardLevel.values},
        "open_total": open_total,
        "overdue": overdue,
        "overdue_rate": (overdue / pending) if pending else None,
        "ages": [ages.get(i, 0) for i in range(len(AGE_BANDS))],
        "median_days_to_close": statistics.median(durations) if durations else None,
        "closed_last_year": len(durations),
        "months": months,
        "trend_found": [trend_found.get(m, 0) for m in months],
        "trend_closed": [trend_closed.get(m, 0) for m in months],
        "by_county": by_county,
        "escalations_open": escalations_for(user).count(),
    }


def open_hazard_points(user: Any) -> list[dict[str, Any]]:
    """One point per enterprise with open hazards and coordinates, for the map."""
    today = timezone.localdate()
    return list(
        hazards_visible(user)
        .filter(
            status__in=OPEN_STATUSES,
            enterprise__latitude__isnull=False,
            enterprise__longitude__isnull=False,
        )
        .values(
            "enterprise_id",
            "enterprise__name",
            "enterprise__latitude",
            "enterprise__longitude",
            "enterprise__city__code",
        )
        .annotate(
            open=Count("id"),
            major=Count("id", filter=Q(level=HazardLevel.MAJOR)),
            overdue=Count("id", filter=Q(status__in=RECTIFICATION_PENDING, deadline__lt=today)),
        )
        .order_by("enterprise_id")
    )


def notice_issuer_for(enterprise: Any) -> tuple[str, str]:
    """The authority that issues a notice to an enterprise, and its seal's storage path:
    the county's configured issuer, else the city's, else the city's bureau by name
    ("<city>人力资源和社会保障局": a county's notices go out in its city bureau's name)."""
    configured = {
        i.region_id: i
        for i in NoticeIssuer.objects.filter(
            region_id__in=[enterprise.county_id, enterprise.city_id]
        )
    }
    for region_id in (enterprise.county_id, enterprise.city_id):
        if region_id in configured:
            return configured[region_id].name, configured[region_id].seal_path
    return f"{enterprise.city.name}人力资源和社会保障局", ""


@dataclass
class IssuerRow:
    region: Any
    issuer: NoticeIssuer | None
    name: str  # the configured name, or the one notices fall back to


def notice_issuer_rows(user: Any) -> list[IssuerRow]:
    """The cities and counties whose issuing authority this user may configure, with what
    their notices are issued under now."""
    from yufang.accounts.scoping import regions_visible
    from yufang.accounts.scoping.hazards import may_configure_issuer
    from yufang.regions.models import Region

    regions = [
        r
        for r in regions_visible(user)
        .filter(level__in=[Region.Level.CITY, Region.Level.COUNTY])
        .select_related("city")
        .order_by("code")
        if may_configure_issuer(user, r)
    ]
    issuers = {
        i.region_id: i for i in NoticeIssuer.objects.filter(region_id__in=[r.pk for r in regions])
    }
    rows = []
    for r in regions:
        city_id = r.pk if r.level == Region.Level.CITY else r.city_id
        city_name = r.name if r.level == Region.Level.CITY else (r.city.name if r.city else "")
        chosen = issuers.get(r.pk) or (issuers.get(city_id) if city_id else None)
        rows.append(
            IssuerRow(
                region=r,
                issuer=issuers.get(r.pk),
                name=chosen.name if chosen else f"{city_name}人力资源和社会保障局",
            )
        )
    return rows


def notices_visible(user: Any) -> QuerySet[RectificationNotice]:
    if getattr(user, "role", None) == Role.INSTITUTION_STAFF:
        return RectificationNotice.objects.filter(
            hazards__institution_id=user.institution_id
        ).distinct()
    return scope_queryset(
        user, RectificationNotice.objects.all(), ScopePaths.via_enterprise("enterprise")
    )


def notice_get(user: Any, pk: int) -> RectificationNotice:
    return get_object_or_404(notices_visible(user).select_related("enterprise", "issued_by"), pk=pk)


def notices_of(user: Any, hazard: Hazard) -> QuerySet[RectificationNotice]:
    return hazard.notices.order_by("-issued_at")


def statistics_periods() -> list[dict[str, Any]]:
    from yufang.hazards.services import statistics_due

    return [
        {
            "kind": r["kind"],
            "period_start": r["period_start"],
            "period_end": r["period_end"],
            "due": statistics_due(r["kind"], r["period_end"]),
            "rows": r["rows"],
        }
        for r in HazardStatistic.objects.values("kind", "period_start", "period_end")
        .annotate(rows=Count("id"))
        .order_by("-period_start", "kind")
    ]


def statistics_rows(user: Any, *, kind: str, period_start: dt.date) -> QuerySet[HazardStatistic]:
    return scope_queryset(
        user,
        HazardStatistic.objects.filter(kind=kind, period_start=period_start),
        ScopePaths(city="city", county="county", grid="enterprise__grid", enterprise="enterprise"),
    ).select_related("enterprise", "county", "city")


def statistics_by_region(rows: QuerySet[HazardStatistic]) -> list[dict[str, Any]]:
    from django.db.models import Sum

    fields = (
        "found_ordinary",
        "found_major",
        "closed_ordinary",
        "closed_major",
        "open_at_end",
        "overdue_at_end",
    )
    return list(
        rows.values("city__name", "county__code", "county__name")
        .annotate(enterprises=Count("id"), **{f: Sum(f) for f in fields})
        .order_by("county__code")
    )


def hazard_todos(user: Any) -> list[Any]:
    """Home-page to-dos: a safety manager's hazards to rectify (overdue ones as danger), an
    inspector's submissions to verify, an official's open escalations."""
    from django.urls import reverse
    from django.utils.translation import ngettext

    from yufang.support.todos import Todo

    role = getattr(user, "role", None)
    todos: list[Todo] = []
    list_url = reverse("hazards:hazards")
    if role == Role.SAFETY_MANAGER and user.enterprise_id:
        mine = hazards_visible(user).filter(
            status__in=[HazardStatus.ASSIGNED, HazardStatus.RECTIFYING]
        )
        overdue = with_overdue(mine).count()
        total = mine.count()
        if overdue:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)s hazard is past its rectification deadline.",
                        "%(n)s hazards are past their rectification deadline.",
                        overdue,
                    )
                    % {"n": overdue},
                    f"{list_url}?overdue=1",
                    "danger",
                )
            )
        if total - overdue > 0:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)s hazard to rectify.", "%(n)s hazards to rectify.", total - overdue
                    )
                    % {"n": total - overdue},
                    f"{list_url}?open=1",
                    "warning",
                )
            )
    if role in (
        Role.PROVINCE_OFFICIAL,
        Role.CITY_OFFICIAL,
        Role.COUNTY_OFFICIAL,
        Role.INSTITUTION_STAFF,
    ):
        to_verify = hazards_visible(user).filter(status=HazardStatus.SUBMITTED).count()
        if to_verify:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)s hazard rectification to verify.",
                        "%(n)s hazard rectifications to verify.",
                        to_verify,
                    )
                    % {"n": to_verify},
                    reverse("hazards:queue"),
                    "warning",
                )
            )
    if role in (Role.PROVINCE_OFFICIAL, Role.CITY_OFFICIAL, Role.COUNTY_OFFICIAL):
        escalated = escalations_for(user).count()
        if escalated:
            todos.append(
                Todo(
                    ngettext(
                        "%(n)s escalated hazard awaits your answer.",
                        "%(n)s escalated hazards await your answer.",
                        escalated,
                    )
                    % {"n": escalated},
                    reverse("hazards:escalations"),
                    "danger",
                )
            )
    return todos


# --- for other domains' set-based reads (subqueries, never user-scoped) ------------------------


def assessed_enterprise_ids() -> QuerySet[Any]:
    """The ids of enterprises with a completed assessment, as a subquery
    (`enterprise_id__in=...`): those with a risk colour at all; every other enterprise is
    unassessed. Lets a caller decide in SQL who needs `enterprise_risk_colours`."""
    return Assessment.objects.filter(status=AssessmentStatus.COMPLETED).values("enterprise_id")


def enterprises_with_open_major_hazards() -> QuerySet[Any]:
    """The ids of enterprises with a major hazard not yet closed, as a subquery
    (`pk__in=...`). Not scoped by user: the caller scopes the enterprises."""
    return Hazard.objects.filter(level=HazardLevel.MAJOR, status__in=OPEN_STATUSES).values(
        "enterprise_id"
    )


def hazards_reported_since(enterprise_id: int, since: dt.date) -> QuerySet[Hazard]:
    """An enterprise's hazards reported on or after a day, oldest first. Not scoped by user."""
    return Hazard.objects.filter(
        enterprise_id=enterprise_id, reported_at__date__gte=since
    ).order_by("pk")
