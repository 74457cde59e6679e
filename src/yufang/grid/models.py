"""Grid governance: who works which grid, what they screen and what they found.

The grids themselves are the backbone's (`regions.Grid`); this module adds the workers'
assignments, the enterprises' placement in a grid, the county's duty lists, the screening
plans, the tasks they generate and the screenings (visits) that complete them.
Overdue is derived (open and past `due_on`), never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GridRole(models.TextChoices):
    LEADER = "leader", _("grid leader")
    FULL_TIME = "full_time", _("full-time grid worker")
    PART_TIME = "part_time", _("part-time grid worker")


class GridAssignment(models.Model):
    """A grid worker works a grid from `started_on` until `ended_on` (open: still there).
    A worker may cover several grids, and a grid may have several workers."""

    grid = models.ForeignKey(
        "regions.Grid",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="worker_assignments",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        on_delete=models.PROTECT,
        related_name="grid_assignments",
    )
    grid_role = models.CharField(
        _("grid role"), max_length=12, choices=GridRole.choices, default=GridRole.FULL_TIME
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("grid assignment")
        verbose_name_plural = _("grid assignments")
        ordering = ["grid_id", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "worker"],
                condition=Q(ended_on__isnull=True),
                name="grid_assignment_one_open_per_worker",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="grid_assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["worker", "ended_on"], name="grid_assign_worker_idx")]

    def __str__(self) -> str:
        return f"{self.worker} @ {self.grid}"


class PlacementMethod(models.TextChoices):
    MANUAL = "manual", _("by hand")
    IMPORT = "import", _("by import")
    AUTOMATIC = "automatic", _("automatic (nearest grid centre)")


class GridPlacement(models.Model):
    """How an enterprise came to be in its grid (the grid itself is `Enterprise.grid`):
    by hand, by import, or automatically to the nearest grid centre of its township."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="grid_placement",
    )
    grid = models.ForeignKey(
        "regions.Grid", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("placed"), max_length=10, choices=PlacementMethod.choices)
    distance_m = models.PositiveIntegerField(_("distance to the grid centre (m)"), null=True)
    placed_at = models.DateTimeField(_("placed at"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("grid placement")
        verbose_name_plural = _("grid placements")

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.grid_id} ({self.method})"


class DutyList(models.Model):
    """A county's duty list (职责清单) for one grid role, in force from `valid_from` until a
    later list for the same county and role replaces it."""

    county = models.ForeignKey(
        "regions.Region", verbose_name=_("county"), on_delete=models.PROTECT, related_name="+"
    )
    grid_role = models.CharField(_("grid role"), max_length=12, choices=GridRole.choices)
    valid_from = models.DateField(_("in force from"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("edited by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("edited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("duty list")
        verbose_name_plural = _("duty lists")
        ordering = ["county_id", "grid_role", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "grid_role", "valid_from"], name="duty_list_one_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.county_id} {self.grid_role} {self.valid_from}"


class DutyItem(models.Model):
    """One prevention item of a duty list; `in_checklist` items make the short screening
    checklist a grid worker answers at each visit."""

    duty_list = models.ForeignKey(
        DutyList, verbose_name=_("duty list"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("prevention item"), max_length=300)
    in_checklist = models.BooleanField(_("asked at each screening"), default=True)

    class Meta:
        verbose_name = _("duty item")
        verbose_name_plural = _("duty items")
        ordering = ["duty_list_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["duty_list", "position"], name="duty_item_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class PlanKind(models.TextChoices):
    ROUTINE = "routine", _("routine (by risk colour)")
    CAMPAIGN = "campaign", pgettext_lazy("screening campaign", "campaign")


class CampaignTarget(models.TextChoices):
    INDUSTRIES = "industries", _("chosen industries")
    PRIORITY_LIST = "priority_list", _("the injury priority list (key industries)")
    MAJOR_HAZARDS = "major_hazards", _("enterprises with open major hazards")


class ScreeningPlan(models.Model):
    """What generates screening tasks: the routine plan (one, province-wide; frequency by the
    enterprise's risk colour from `grid.yaml`) or a campaign over a region and dates."""

    kind = models.CharField(_("kind"), max_length=10, choices=PlanKind.choices)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the whole province."),
    )
    target = models.CharField(
        _("enterprises"), max_length=16, choices=CampaignTarget.choices, blank=True
    )
    industry_codes = models.JSONField(_("industries"), default=list, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("screening plan")
        verbose_name_plural = _("screening plans")
        ordering = ["kind", "-starts_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="routine"), name="screening_plan_one_routine"
            ),
            models.CheckConstraint(
                condition=Q(kind="routine")
                | Q(starts_on__isnull=False, ends_on__gte=models.F("starts_on")),
                name="screening_plan_campaign_dates",
            ),
        ]

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """What a person reads: the routine plan by its kind (its stored name is a key), a
        campaign by its name."""
        return str(_("routine screening")) if self.kind == PlanKind.ROUTINE else self.name


class TaskStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class ScreeningTask(models.Model):
    """One enterprise to screen in one period of one plan. The unique constraint on
    (enterprise, plan, period_start) makes generation rerunnable: a rerun adds nothing."""

    # The enterprise, grid and worker keys have no index of their own: the unique constraint
    # leads with the enterprise, the grid and worker indexes below with theirs, and every
    # index costs each of a period's 500,000 inserted tasks.
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="screening_tasks",
        db_index=False,
    )
    grid = models.ForeignKey(
        "regions.Grid",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        related_name="screening_tasks",
        db_index=False,
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening_tasks",
        db_index=False,
    )
    plan = models.ForeignKey(
        ScreeningPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="tasks"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"))
    closed_at = models.DateTimeField(_("done or cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("screening task")
        verbose_name_plural = _("screening tasks")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "plan", "period_start"],
                name="screening_task_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="screening_task_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["grid", "status", "due_on"], name="grid_task_grid_idx"),
            models.Index(fields=["worker", "status", "due_on"], name="grid_task_worker_idx"),
            models.Index(fields=["period_start", "plan"], name="grid_task_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.period_start}"


class Screening(models.Model):
    """A visit's result: where and when the worker was (the phone's time and position, with
    its accuracy), the checklist answers, a note and photos. A position far from the
    enterprise is flagged (`far_from_enterprise`), never refused or hidden. A replayed
    submission with the same `idempotency_key` returns this screening."""

    task = models.OneToOneField(
        ScreeningTask,
        verbose_name=_("screening task"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="screening",
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    grid = models.ForeignKey(
        "regions.Grid", verbose_name=_("grid"), on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("grid worker"),
        on_delete=models.PROTECT,
        related_name="screenings",
    )
    done_at = models.DateTimeField(_("screened at"), db_index=True)
    recorded_at = models.DateTimeField(_("received at"), auto_now_add=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    accuracy_m = models.PositiveIntegerField(_("accuracy (m)"), null=True, blank=True)
    distance_m = models.PositiveIntegerField(_("distance from the enterprise (m)"), null=True)
    far_from_enterprise = models.BooleanField(_("far from the enterprise"), default=False)
    answers = models.JSONField(_("checklist answers"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    idempotency_key = models.CharField(
        _("idempotency key"), max_length=80, null=True, blank=True, unique=True
    )
    external_id = models.CharField(_("external platform's id"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-done_at", "id"]
        indexes = [
            models.Index(fields=["grid", "done_at"], name="grid_screening_grid_idx"),
            models.Index(fields=["worker", "done_at"], name="grid_screening_worker_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.done_at:%Y-%m-%d}"


class ScreeningPhoto(models.Model):
    """A photo taken at a screening (proof of presence or of a finding); served only through
    the scoped view `grid:photo`."""

    screening = models.ForeignKey(
        Screening, verbose_name=_("screening"), on_delete=models.CASCADE, related_name="photos"
    )
    image_path = models.CharField(_("image"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("screening photo")
        verbose_name_plural = _("screening photos")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.image_path


class ScreeningFinding(models.Model):
    """A hazard reported at a screening (the hazard itself lives in the hazard loop)."""

    screening = models.ForeignKey(
        Screening, verbose_name=_("screening"), on_delete=models.CASCADE, related_name="findings"
    )
    hazard = models.OneToOneField(
        "hazards.Hazard",
        verbose_name=_("hazard"),
        on_delete=models.PROTECT,
        related_name="screening_finding",
    )

    class Meta:
        verbose_name = _("screening finding")
        verbose_name_plural = _("screening findings")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.screening_id}: {self.hazard_id}"


class EnterpriseClosure(models.Model):
    """An enterprise found closed (停产、注销) at a screening or told by the bureau: its open
    tasks are cancelled and no new ones are generated for it while it is closed."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="grid_closure",
    )
    closed_on = models.DateField(_("closed on"))
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("enterprise closure")
        verbose_name_plural = _("enterprise closures")

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.closed_on}"


class GridDayCount(models.Model):
    """A grid's coverage figures of one local day, kept by every write that changes them
    (`grid.services.coverage_counts`), so that a city's coverage sums a row per grid and day
    rather than reading every task and screening. On the day a task is due: `due` (not
    cancelled), `on_time` (done by that day) and `open`; on the day of a screening:
    `screenings`, `far` (far from the enterprise) and `findings`."""

    grid = models.ForeignKey(
        "regions.Grid",
        verbose_name=pgettext_lazy("coverage count", "grid"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(pgettext_lazy("coverage count", "day"))
    due = models.IntegerField(pgettext_lazy("coverage count", "due"), default=0)
    on_time = models.IntegerField(pgettext_lazy("coverage count", "done on time"), default=0)
    open = models.IntegerField(pgettext_lazy("coverage count", "open"), default=0)
    screenings = models.IntegerField(pgettext_lazy("coverage count", "screenings"), default=0)
    far = models.IntegerField(pgettext_lazy("coverage count", "far from the enterprise"), default=0)
    findings = models.IntegerField(pgettext_lazy("coverage count", "hazards found"), default=0)

    class Meta:
        verbose_name = pgettext_lazy("coverage count", "grid coverage of a day")
        verbose_name_plural = pgettext_lazy("coverage count", "grid coverage by day")
        constraints = [
            models.UniqueConstraint(fields=["grid", "day"], name="grid_day_count_unique"),
        ]
        # The coverage's overdue figure reads the open tasks' days before today.
        indexes = [models.Index(fields=["day", "grid"], name="grid_day_count_day")]

    def __str__(self) -> str:
        return f"{self.grid_id} {self.day}"


class FirstScreening(models.Model):
    """An enterprise's first screening, written once by the screening that makes it (its
    primary key is the enterprise, so two first screenings at once cannot both count): what
    `GridEnterpriseCount.screened` counts, and what tells a city's coverage which of its
    enterprises were never screened without reading every screening."""

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="grid_first_screening",
    )
    screening = models.OneToOneField(
        Screening, verbose_name=_("screening"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("first screening")
        verbose_name_plural = _("first screenings")

    def __str__(self) -> str:
        return f"{self.enterprise_id}: {self.screening_id}"


class GridEnterpriseCount(models.Model):
    """How many of the enterprises now in a grid (not closed) have ever been screened, kept
    by the first screening, a closure and every move of an enterprise in the registry
    (`grid.services.coverage_counts`). A grid's enterprises never screened are its
    enterprises less this count."""

    grid = models.OneToOneField(
        "regions.Grid",
        verbose_name=pgettext_lazy("coverage count", "grid"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    screened = models.IntegerField(
        pgettext_lazy("coverage count", "enterprises screened"), default=0
    )

    class Meta:
        verbose_name = pgettext_lazy("coverage count", "enterprises screened in a grid")
        verbose_name_plural = pgettext_lazy("coverage count", "enterprises screened by grid")

    def __str__(self) -> str:
        return f"{self.grid_id}: {self.screened}"
