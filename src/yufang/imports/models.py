from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded file on its way in: validated, previewed, confirmed, applied.

    All-or-nothing: the rows are written in one transaction after a preview with no errors.
    """

    class Status(models.TextChoices):
        # A large file is read and checked in the background after the upload.
        CHECKING = "checking", _("checking")
        INVALID = "invalid", _("has errors")
        PREVIEW = "preview", _("ready to import")
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    kind = models.CharField(_("kind"), max_length=40)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    # The file's header row, as read once when it was taken in (the mapping offers these).
    headers = models.JSONField(_("headers in the file"), default=list)
    # {target column: header in the file}
    column_mapping = models.JSONField(_("column mapping"), default=dict)
    options = models.JSONField(_("options"), default=dict)
    # [{"row": 3, "field": "credit_code", "message": "..."}]; row 0 is the whole file. At
    # most the first MAX_STORED_ERRORS; result["error_count"] counts them all.
    errors = models.JSONField(_("errors"), default=list)
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.original_name}"


class ColumnMapping(models.Model):
    """A saved column mapping for a bureau's own spreadsheet layout, reused on later uploads."""

    kind = models.CharField(_("kind"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    mapping = models.JSONField(_("column mapping"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name", "created_by"], name="column_mapping_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name
