"""The joint meeting (联席会议) of a region: its member departments and their liaisons, its
meetings with their agenda, minutes, attendance, attachments and resolutions, the tasks the
resolutions assign to departments and the departments' progress reports; the region's annual
work plan, the yearly data exchange and the five-year plan's yearly report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JointMeeting(models.Model):
    """A region's standing joint-meeting system: one per region."""

    region = models.OneToOneField(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    convener = models.CharField(_("convener"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("joint meeting")
        verbose_name_plural = _("joint meetings")
        ordering = ["region__code"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A department that sits on a joint meeting (成员单位)."""

    joint_meeting = models.ForeignKey(
        JointMeeting, on_delete=models.CASCADE, related_name="memberships"
    )
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("member department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    remit = models.CharField(_("remit"), max_length=500, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("member department")
        verbose_name_plural = _("member departments")
        ordering = ["department__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["joint_meeting", "department"], name="council_membership_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.department)


class Liaison(models.Model):
    """A member department's liaison (联络员): a department-liaison account on the roster."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="liaisons")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.CharField(pgettext_lazy("council", "position"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        constraints = [
            models.UniqueConstraint(fields=["membership", "user"], name="council_liaison_unique")
        ]

    def __str__(self) -> str:
        return str(self.user)


class MeetingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("meeting", "open")
    CLOSED = "closed", pgettext_lazy("meeting", "closed")


class Meeting(models.Model):
    """One sitting of a joint meeting. Once closed its record is final."""

    joint_meeting = models.ForeignKey(
        JointMeeting, on_delete=models.PROTECT, related_name="meetings"
    )
    title = models.CharField(pgettext_lazy("council", "title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.OPEN
    )
    closed_at = models.DateTimeField(pgettext_lazy("meeting", "closed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="council_meeting_closed_has_time",
                condition=Q(status="open") | Q(closed_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    DEPUTY = "deputy", _("sent a deputy")
    ABSENT = "absent", _("absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    department = models.ForeignKey(
        "organisations.Department", on_delete=models.PROTECT, related_name="+"
    )
    attendee = models.CharField(_("attendee"), max_length=100, blank=True)
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["department__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "department"], name="council_attendance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.get_status_display()}"


class Attachment(models.Model):
    """A file of a meeting (a report, a presentation): served only through a scoped view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=200)
    path = models.CharField(max_length=300)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Resolution(models.Model):
    """A decision of a meeting (议定事项), numbered within it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("resolution"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")
        ordering = ["meeting_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="council_resolution_number")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class TaskStatus(models.TextChoices):
    OPEN = "open", _("in progress")
    DONE = "done", _("done")


class CouncilTask(models.Model):
    """A task a resolution assigns to one member department, with a deadline (督办任务).
    Overdue is derived (deadline passed and not done)."""

    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="tasks")
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("owner department"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(pgettext_lazy("council", "task"), max_length=300)
    deadline = models.DateField(pgettext_lazy("council", "deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # When the reminder before the deadline and the escalation after it were sent: records of
    # what was sent, so that the periodic run sends each once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assigned task")
        verbose_name_plural = _("assigned tasks")
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                name="council_task_done_has_time",
                condition=Q(status="open") | Q(done_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProgressReport(models.Model):
    """What the assigned department reports on its task, with evidence."""

    task = models.ForeignKey(CouncilTask, on_delete=models.CASCADE, related_name="reports")
    department = models.ForeignKey(
        "organisations.Department", on_delete=models.PROTECT, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("progress"))
    completes = models.BooleanField(_("task completed"), default=False)
    evidence_name = models.CharField(
        pgettext_lazy("council", "evidence"), max_length=200, blank=True
    )
    evidence_path = models.CharField(max_length=300, blank=True)
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["reported_at", "id"]

    def __str__(self) -> str:
        return f"{self.task} {self.reported_at:%Y-%m-%d}"


class WorkPlan(models.Model):
    """A region's annual prevention work plan (年度工作计划)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(pgettext_lazy("council", "title"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["-year", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="council_work_plan_unique")
        ]

    def __str__(self) -> str:
        return self.title


class WorkPlanItem(models.Model):
    """An item of the plan linked to what the platform tracks (a plan source, see
    `council.sources`); its completion is computed from those records, never typed in."""

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("item"), max_length=300)
    source = models.CharField(_("linked to"), max_length=40)
    reference = models.CharField(_("record"), max_length=60, blank=True)
    department = models.ForeignKey(
        "organisations.Department",
        verbose_name=_("lead department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan items")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class ExchangeKind(models.TextChoices):
    INJURY_RECOGNITION = "injury_recognition", _("injury recognitions")
    OCCUPATIONAL_DISEASE = "occupational_disease", _("occupational-disease reports")
    ACCIDENT = "accident", _("accidents")


class ExchangeFigure(models.Model):
    """One figure of the yearly data exchange between HRSS, health and emergency management
    (鲁人社规〔2018〕3号 Art. 4): a count for a county (or city) and year, from a department."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=24, choices=ExchangeKind.choices)
    source = models.CharField(_("from department"), max_length=20)
    cases = models.PositiveIntegerField(_("cases"))
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("exchanged figure")
        verbose_name_plural = _("exchanged figures")
        ordering = ["year", "region__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "kind", "source"], name="council_exchange_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.get_kind_display()}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")


class YearlyReport(models.Model):
    """The five-year plan's yearly progress report of a region to the province. The figures
    are assembled from the platform when shown; the text sections are written here."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    summary = models.TextField(_("summary of the year's work"), blank=True)
    joint_work = models.TextField(_("joint work of the departments"), blank=True)
    problems = models.TextField(_("problems"), blank=True)
    next_year = models.TextField(_("plans for next year"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")
        ordering = ["-year", "region__code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="council_yearly_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year}"
