"""Coverage: per city, county, township or grid, how much of the due screening was done on
time, what is overdue, hazards found per 100 screenings, the workers' activity and the
enterprises never screened or not screened in their period. A handful of grouped queries
over the user's scope, never a query per row; every figure has a records link
(`records_url`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from yufang import policy
from yufang.accounts.scoping.grid import by_grid, grids_read
from yufang.enterprises.models import Enterprise
from yufang.grid.models import (
    GridAssignment,
    GridDayCount,
    GridEnterpriseCount,
    PlanKind,
    Screening,
    ScreeningTask,
    TaskStatus,
)
from yufang.regions.models import Grid, Region

LEVELS = ("city", "county", "township", "grid")
# The path from a task (or screening, assignment) to the area it is counted in.
AREA_PATH = {"city": "grid__city", "county": "grid__county", "township": "grid__township"}
KINDS = (
    "due",
    "on_time",
    "overdue",
    "screenings",
    "findings",
    "far",
    "never",
    "not_in_period",
    "workers",
    "idle",
)


@dataclass(frozen=True)
class Window:
    """The screenings counted: due (or done) from `start` to `end`, both included."""

    start: dt.date
    end: dt.date

    @classmethod
    def last_days(cls, today: dt.date, days: int) -> Window:
        return cls(today - dt.timedelta(days=days - 1), today)


@dataclass
class CoverageRow:
    key: int
    code: str
    name: str
    level: str
    due: int = 0
    on_time: int = 0
    overdue: int = 0
    screenings: int = 0
    findings: int = 0
    far: int = 0
    enterprises: int = 0
    never: int = 0
    not_in_period: int = 0
    workers: int = 0
    idle: int = 0
    links: dict[str, str] = field(default_factory=dict)

    @property
    def on_time_share(self) -> Decimal | None:
        if not self.due:
            return None
        return (Decimal(self.on_time) / Decimal(self.due)).quantize(Decimal("0.001"), ROUND_HALF_UP)

    @property
    def on_time_percent(self) -> Decimal | None:
        share = self.on_time_share
        return None if share is None else (share * 100).quantize(Decimal("0.1"))

    @property
    def findings_per_100(self) -> Decimal | None:
        if not self.screenings:
            return None
        return (Decimal(self.findings) * 100 / Decimal(self.screenings)).quantize(
            Decimal("0.1"), ROUND_HALF_UP
        )

    @property
    def active(self) -> int:
        return self.workers - self.idle


def _key(level: str) -> str:
    return AREA_PATH.get(level, "grid")


def area_filter(level: str, key: int, *, via: str = "grid") -> Q:
    """The filter to the records of one area, for a model reaching its grid by `via`."""
    if level == "grid":
        return Q(**{f"{via}_id": key})
    return Q(**{f"{via}__{level}_id": key})


def records_url(
    kind: str, level: str, key: int | None, window: Window, base: str | None = None
) -> str:
    params: dict[str, Any] = {"kind": kind, "from": window.start, "to": window.end}
    if key is not None:
        params["level"], params["area"] = level, key
    return f"{base or reverse('grid:records')}?{urlencode(params)}"


def _count_by(qs: QuerySet[Any], path: str, **aggregates: Any) -> dict[int, dict[str, int]]:
    return {
        row[path]: row
        for row in qs.values(path).annotate(**aggregates).order_by()
        if row[path] is not None
    }


def due_tasks(user: Any, window: Window) -> QuerySet[ScreeningTask]:
    return (
        by_grid(user, ScreeningTask.objects.all())
        .filter(due_on__gte=window.start, due_on__lte=window.end)
        .exclude(status=TaskStatus.CANCELLED)
    )


class LocalDay(TruncDate):
    """A moment's local calendar day. On SQLite, Django computes `__date` by calling back into
    Python for every row (three quarters of the coverage's time at city scale); a zone
    without summer time is a fixed offset, which SQLite's own date() applies."""

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        zone = timezone.get_current_timezone()
        year = timezone.now().year
        offsets = {
            dt.datetime(year, m, 1, tzinfo=dt.UTC).astimezone(zone).utcoffset() for m in (1, 7)
        }
        offset = offsets.pop() if len(offsets) == 1 else None
        if offset is None:
            return super().as_sql(compiler, connection, **extra)  # type: ignore[no-any-return]
        sql, params = compiler.compile(self.lhs)
        minutes = int(offset.total_seconds() // 60)
        return f"date({sql}, %s)", (*params, f"{minutes:+d} minutes")


def on_time_q() -> Q:
    return Q(status=TaskStatus.DONE) & Q(
        LessThanOrEqual(LocalDay("screening__done_at"), F("due_on"))
    )


def overdue_tasks(user: Any, today: dt.date) -> QuerySet[ScreeningTask]:
    return by_grid(user, ScreeningTask.objects.all()).filter(
        status=TaskStatus.OPEN, due_on__lt=today
    )


def start_of(day: dt.date) -> dt.datetime:
    """The first moment of a local day (a range on `done_at` uses its index; `__date` not)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def window_screenings(user: Any, window: Window) -> QuerySet[Screening]:
    return by_grid(user, Screening.objects.all()).filter(
        done_at__gte=start_of(window.start),
        done_at__lt=start_of(window.end + dt.timedelta(days=1)),
    )


def recently_active(today: dt.date) -> Exists:
    """Whether an assignment's worker screened since `idle_since(today)`."""
    return Exists(
        Screening.objects.filter(
            worker_id=OuterRef("worker_id"), done_at__gte=start_of(idle_since(today))
        )
    )


def enterprises_in_grids(user: Any) -> QuerySet[Enterprise]:
    grids = grids_read(user, Grid.objects.all())
    return Enterprise.objects.filter(grid__in=grids.values("pk")).exclude(
        grid_closure__isnull=False
    )


def never_screened(qs: QuerySet[Enterprise]) -> QuerySet[Enterprise]:
    """Enterprises with no first screening (the record the screened counts are kept from)."""
    return qs.filter(grid_first_screening__isnull=True)


def missed_tasks(user: Any, today: dt.date) -> QuerySet[ScreeningTask]:
    """Routine tasks whose period ended without a screening. An open task is in its
    enterprise's grid (a move takes it along, `placement.registry_watch`), so an area's
    enterprises not screened in their period are read from its grids' tasks, by the index
    of open tasks per grid and due day (a routine task is due on its period's last day),
    not by asking each of its enterprises."""
    return overdue_tasks(user, today).filter(
        plan__kind=PlanKind.ROUTINE, period_end__lt=today, enterprise__grid_closure__isnull=True
    )


def active_assignments(user: Any) -> QuerySet[GridAssignment]:
    return by_grid(user, GridAssignment.objects.all()).filter(
        ended_on__isnull=True, worker__is_active=True
    )


def idle_since(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=int(policy.value("grid_idle_worker_days", on=today)))


def _areas(user: Any, level: str, within: Q) -> list[CoverageRow]:
    grids = grids_read(user, Grid.objects.all()).filter(within)
    if level == "grid":
        return [
            CoverageRow(key=g["pk"], code=g["code"], name=g["name"], level=level)
            for g in grids.values("pk", "code", "name").order_by("code")
        ]
    ids = grids.values(f"{level}_id")
    return [
        CoverageRow(key=r["pk"], code=r["code"], name=r["name"], level=level)
        for r in Region.objects.filter(pk__in=ids).values("pk", "code", "name").order_by("code")
    ]


def coverage(
    user: Any,
    *,
    level: str,
    window: Window,
    today: dt.date,
    within: Region | None = None,
) -> list[CoverageRow]:
    """One row per area of `level` (city, county, township, grid) in the user's scope,
    optionally only those inside the region `within`."""
    if level not in LEVELS:
        level = "grid"
    area_field = ""
    if within is not None and within.level != Region.Level.PROVINCE:
        area_field = f"{Region.Level(within.level).name.lower()}_id"

    def inside(via: str) -> Q:
        # The area's records by their grid's region (an indexed column), not by a list of the
        # grids' ids: a city has thousands of grids.
        if not area_field:
            return Q()
        return Q(**{f"{via}{area_field}": within.pk})  # type: ignore[union-attr]

    rows = _areas(user, level, inside(""))
    if not rows:
        return rows
    by_key = {r.key: r for r in rows}
    path = _key(level)
    task_where = inside("grid__")
    key_of = f"{path}_id" if level != "grid" else "grid_id"
    # The task and screening figures sum the counts kept per grid and day (see
    # `grid.services.coverage_counts`).
    # One read of the area's days: those of the window, and those before today with tasks
    # still open.
    days = Q(day__gte=window.start, day__lte=window.end)
    late = Q(day__lt=today, open__gt=0)
    in_window = _count_by(
        by_grid(user, GridDayCount.objects.all()).filter(task_where).filter(days | late),
        key_of,
        due=Sum("due", filter=days),
        on_time=Sum("on_time", filter=days),
        screenings=Sum("screenings", filter=days),
        far=Sum("far", filter=days),
        findings=Sum("findings", filter=days),
        overdue=Sum("open", filter=late),
    )
    ent_path = f"grid__{level}_id" if level != "grid" else "grid_id"
    # The area's enterprises less its closed ones: a count of the grids' index alone.
    grids = grids_read(user, Grid.objects.all()).values("pk")
    ent_total = _count_by(
        Enterprise.objects.filter(grid__in=grids).filter(inside("grid__")), ent_path, n=Count("*")
    )
    closed = _count_by(
        Enterprise.objects.filter(grid__in=grids, grid_closure__isnull=False).filter(
            inside("grid__")
        ),
        ent_path,
        n=Count("*"),
    )
    # Never screened: the area's enterprises less those screened, kept per grid.
    screened = _count_by(
        by_grid(user, GridEnterpriseCount.objects.all()).filter(task_where),
        key_of,
        n=Sum("screened"),
    )
    ent_missed = _count_by(
        missed_tasks(user, today).filter(task_where),
        key_of,
        n=Count("enterprise_id", distinct=True),
    )
    # A worker has one open assignment per grid (a constraint): no DISTINCT needed.
    workers = _count_by(
        active_assignments(user).filter(task_where),
        key_of,
        n=Count("pk"),
        active=Count("pk", filter=Q(recently_active(today))),
    )
    base = reverse("grid:records")
    for key, row in by_key.items():
        counted = in_window.get(key, {})
        row.due = counted.get("due") or 0
        row.on_time = counted.get("on_time") or 0
        row.overdue = counted.get("overdue") or 0
        row.screenings = counted.get("screenings") or 0
        row.far = counted.get("far") or 0
        row.findings = counted.get("findings") or 0
        row.enterprises = ent_total.get(key, {}).get("n", 0) - closed.get(key, {}).get("n", 0)
        row.never = row.enterprises - (screened.get(key, {}).get("n") or 0)
        row.not_in_period = ent_missed.get(key, {}).get("n", 0)
        row.workers = workers.get(key, {}).get("n", 0)
        row.idle = row.workers - (workers.get(key, {}).get("active") or 0)
        # Built by hand: every part is ASCII (dates, a level name, ids), and urlencode for
        # ten links of thousands of grids costs more than the queries.
        prefix = f"{base}?from={window.start}&to={window.end}&level={level}&area={key}&kind="
        row.links = {k: prefix + k for k in KINDS}
    return rows


def coverage_total(rows: list[CoverageRow], window: Window) -> CoverageRow:
    total = CoverageRow(key=0, code="", name="", level="")
    for r in rows:
        for name in (
            "due",
            "on_time",
            "overdue",
            "screenings",
            "findings",
            "far",
            "enterprises",
            "never",
            "not_in_period",
            "workers",
            "idle",
        ):
            setattr(total, name, getattr(total, name) + getattr(r, name))
    total.links = {k: records_url(k, "", None, window) for k in KINDS}
    return total


def lagging(rows: list[CoverageRow], on: dt.date) -> list[CoverageRow]:
    """Areas whose share done on time is below `grid_lagging_share`, worst first."""
    limit = Decimal(str(policy.value("grid_lagging_share", on=on)))
    found = [r for r in rows if r.on_time_share is not None and r.on_time_share < limit]
    return sorted(found, key=lambda r: (r.on_time_share, r.code))


def records(
    user: Any, *, kind: str, level: str, area: int | None, window: Window, today: dt.date
) -> QuerySet[Any]:
    """The records behind a figure of `coverage`: tasks, screenings, enterprises or the
    workers' assignments."""

    def within(qs: QuerySet[Any], via: str = "grid") -> QuerySet[Any]:
        return qs.filter(area_filter(level, area, via=via)) if area and level in LEVELS else qs

    if kind in ("due", "on_time"):
        qs = within(due_tasks(user, window))
        if kind == "on_time":
            qs = qs.filter(on_time_q())
        return qs.select_related("enterprise", "grid", "worker", "screening").order_by(
            "due_on", "pk"
        )
    if kind == "overdue":
        return (
            within(overdue_tasks(user, today))
            .select_related("enterprise", "grid", "worker")
            .order_by("due_on", "pk")
        )
    if kind in ("screenings", "findings", "far"):
        qs = within(window_screenings(user, window))
        if kind == "findings":
            qs = qs.filter(findings__isnull=False).distinct()
        if kind == "far":
            qs = qs.filter(far_from_enterprise=True)
        return (
            qs.select_related("enterprise", "grid", "worker")
            .annotate(finding_count=Count("findings"))
            .order_by("-done_at", "pk")
        )
    if kind == "never":
        qs = never_screened(within(enterprises_in_grids(user)))
        return qs.select_related("grid", "township").order_by("name", "pk")
    if kind == "not_in_period":
        missed = within(missed_tasks(user, today)).values("enterprise_id")
        return (
            Enterprise.objects.filter(pk__in=missed)
            .select_related("grid", "township")
            .order_by("name", "pk")
        )
    qs = within(active_assignments(user)).select_related("worker", "grid")
    if kind == "idle":
        qs = qs.exclude(recently_active(today))
    return qs.order_by("grid__code", "worker__username")
