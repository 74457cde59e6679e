"""Plan sources: what an annual work plan's item can be linked to, and how far along it is.

A source has a kind (stored on the item), a label, the options it offers for a region and a
year (the records one can link to: a campaign, a meeting's tasks …) and the progress of one
option, 0..1, computed from the platform's own records through the owning module's selectors
(never typed in). Sources register here at import; other modules' sources are wired as their
selectors appear (docs/council.md lists them)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from yufang.regions.models import Region

Options = Callable[[Any, Region, int], list[tuple[str, str]]]
Progress = Callable[[Any, Region, int, str], float | None]


@dataclass(frozen=True)
class PlanSource:
    kind: str
    label: str | Promise
    options: Options
    progress: Progress


_SOURCES: dict[str, PlanSource] = {}


def register_source(source: PlanSource) -> PlanSource:
    _SOURCES[source.kind] = source
    return source


def sources() -> list[PlanSource]:
    return list(_SOURCES.values())


def source_of(kind: str) -> PlanSource | None:
    return _SOURCES.get(kind)


def _share(part: int, whole: int) -> float | None:
    return min(1.0, part / whole) if whole else None


def _region_q(region: Region, prefix: str) -> Q:
    """Records of an enterprise placed in the region (`prefix` leads to the enterprise)."""
    if region.level == Region.Level.PROVINCE:
        return Q()
    if region.level == Region.Level.CITY:
        return Q(**{f"{prefix}city_id": region.pk})
    return Q(**{f"{prefix}county_id": region.pk})


# --- training campaigns (yufang.training) -----------------------------------------------------


def _campaigns(user: Any, region: Region, year: int) -> Any:
    from yufang.training.selectors.campaigns import campaigns_visible

    return campaigns_visible(user).filter(starts_on__year__lte=year, ends_on__year__gte=year)


def _campaign_options(user: Any, region: Region, year: int) -> list[tuple[str, str]]:
    return [(str(c.pk), c.name) for c in _campaigns(user, region, year).order_by("starts_on")]


def _campaign_progress(user: Any, region: Region, year: int, reference: str) -> float | None:
    """Enterprises reached of the campaign's target enterprises."""
    from yufang.training.selectors.campaigns import campaign_progress

    campaign = _campaigns(user, region, year).filter(pk=int(reference or 0)).first()
    if campaign is None:
        return None
    shown = campaign_progress(campaign)["enterprises_share"]
    return None if shown is None else min(1.0, float(shown) / 100)


# --- hazards closure (yufang.hazards) ---------------------------------------------------------


def _hazard_options(user: Any, region: Region, year: int) -> list[tuple[str, str]]:
    return [("all", str(_("all hazards found in the year"))), ("major", str(_("major hazards")))]


def _hazard_progress(user: Any, region: Region, year: int, reference: str) -> float | None:
    """Hazards found in the year in the region that are closed."""
    from yufang.hazards.models import HazardLevel, HazardStatus
    from yufang.hazards.selectors import hazards_visible

    found = hazards_visible(user).filter(_region_q(region, "enterprise__"), reported_at__year=year)
    if reference == "major":
        found = found.filter(level=HazardLevel.MAJOR)
    return _share(found.filter(status=HazardStatus.CLOSED).count(), found.count())


# --- the joint meeting's own tasks ------------------------------------------------------------


def _task_options(user: Any, region: Region, year: int) -> list[tuple[str, str]]:
    from yufang.council.selectors import meetings_visible

    options = [("", str(_("all tasks due in the year")))]
    options += [
        (str(m.pk), f"{m.held_on.isoformat()} {m.title}")
        for m in meetings_visible(user).filter(joint_meeting__region=region, held_on__year=year)
    ]
    return options


def _task_progress(user: Any, region: Region, year: int, reference: str) -> float | None:
    """Tasks done of those due in the year (or of one meeting's), over the whole joint
    meeting: a liaison reads the same completion as the officials, not its department's."""
    from yufang.council.models import CouncilTask, TaskStatus
    from yufang.council.selectors import joint_meetings_visible

    tasks = CouncilTask.objects.filter(
        resolution__meeting__joint_meeting__in=joint_meetings_visible(user).filter(region=region)
    )
    if reference:
        tasks = tasks.filter(resolution__meeting_id=int(reference) if reference.isdigit() else 0)
    else:
        tasks = tasks.filter(deadline__gte=dt.date(year, 1, 1), deadline__lte=dt.date(year, 12, 31))
    return _share(tasks.filter(status=TaskStatus.DONE).count(), tasks.count())


# --- prevention-fee projects (yufang.funds) ------------------------------------------------


def _projects(user: Any, region: Region, year: int) -> Any:
    from yufang.funds.selectors import projects_visible

    return projects_visible(user).filter(years__year=year).distinct()


def _project_options(user: Any, region: Region, year: int) -> list[tuple[str, str]]:
    qs = _projects(user, region, year)
    if region.level != Region.Level.PROVINCE:
        qs = qs.filter(pooling_region_id=region.city_id or region.pk)
    return [(str(p.pk), p.title) for p in qs.order_by("starts_on", "pk")]


def _project_progress(user: Any, region: Region, year: int, reference: str) -> float | None:
    """The project's outputs counted by the platform against its targets: the mean share of
    each target met (capped at 1)."""
    from yufang.funds.selectors import outputs_counted, project_targets

    project = _projects(user, region, year).filter(pk=int(reference or 0)).first()
    if project is None:
        return None
    targets = project_targets(project)
    counted = outputs_counted(user, project)
    shares = [min(1.0, counted.get(k, 0) / v) for k, v in targets.items() if v]
    return sum(shares) / len(shares) if shares else None


# --- screening campaigns (yufang.grid) ----------------------------------------------------


def _screening_plans(user: Any, region: Region, year: int) -> Any:
    from yufang.grid.selectors import plans_visible

    try:
        qs = plans_visible(user)
    except PermissionDenied:
        return None
    return qs.filter(
        Q(starts_on__isnull=True) | Q(starts_on__year__lte=year),
        Q(ends_on__isnull=True) | Q(ends_on__year__gte=year),
    )


def _screening_options(user: Any, region: Region, year: int) -> list[tuple[str, str]]:
    qs = _screening_plans(user, region, year)
    return [] if qs is None else [(str(p.pk), p.name) for p in qs.order_by("pk")]


def _screening_progress(user: Any, region: Region, year: int, reference: str) -> float | None:
    """The campaign's screening tasks in the region due in the year that are done (cancelled
    ones left out)."""
    from yufang.grid.selectors import tasks_visible

    plans = _screening_plans(user, region, year)
    if plans is None or not plans.filter(pk=int(reference or 0)).exists():
        return None
    tasks = (
        tasks_visible(user)
        .filter(plan_id=int(reference), due_on__year=year)
        .filter(_region_q(region, "enterprise__"))
        .exclude(status="cancelled")
    )
    return _share(tasks.filter(status="done").count(), tasks.count())


# --- publicity campaigns (yufang.outreach) ------------------------------------------------


def _publicity(user: Any, region: Region, year: int) -> Any:
    from yufang.outreach.selectors import campaigns_visible

    return campaigns_visible(user).filter(starts_on__year__lte=year, ends_on__year__gte=year)


def _publicity_options(user: Any, region: Region, year: int) -> list[tuple[str, str]]:
    return [(str(c.pk), c.title) for c in _publicity(user, region, year)]


def _publicity_progress(user: Any, region: Region, year: int, reference: str) -> float | None:
    """A publicity campaign sets no numeric target: its progress is the share of its months
    (within the year, up to today) in which at least one activity was held."""
    from django.utils import timezone

    from yufang.outreach.selectors import activities_visible

    campaign = _publicity(user, region, year).filter(pk=int(reference or 0)).first()
    if campaign is None:
        return None
    start = max(campaign.starts_on, dt.date(year, 1, 1))
    end = min(campaign.ends_on, dt.date(year, 12, 31), timezone.localdate())
    if end < start:
        return 0.0
    months = {
        (y, m)
        for y in range(start.year, end.year + 1)
        for m in range(1, 13)
        if (y, m) >= (start.year, start.month) and (y, m) <= (end.year, end.month)
    }
    held = {
        (d.year, d.month)
        for d in activities_visible(user)
        .filter(campaign=campaign, held_on__gte=start, held_on__lte=end)
        .values_list("held_on", flat=True)
    }
    return _share(len(held & months), len(months))


register_source(
    PlanSource("training_campaign", _("training campaign"), _campaign_options, _campaign_progress)
)
register_source(PlanSource("hazards", _("hazards closed"), _hazard_options, _hazard_progress))
register_source(
    PlanSource("council_tasks", _("joint-meeting tasks"), _task_options, _task_progress)
)
register_source(
    PlanSource("fee_project", _("prevention-fee project"), _project_options, _project_progress)
)
register_source(
    PlanSource("screening_plan", _("screening campaign"), _screening_options, _screening_progress)
)
register_source(
    PlanSource(
        "publicity_campaign", _("publicity campaign"), _publicity_options, _publicity_progress
    )
)
