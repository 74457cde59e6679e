from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.imports.models import ColumnMapping, ImportJob
from yufang.imports.registry import (
    Importer,
    RowError,
    Validated,
    guess_mapping,
    header_matches,
    importer_for,
)
from yufang.lib.bulk import collector_paused
from yufang.lib.errors import InvalidInput
from yufang.lib.spreadsheets import SpreadsheetError, Table, read_table

PREVIEW_ROWS = 20
logger = logging.getLogger(__name__)


class ImportRefused(InvalidInput):
    """The file was refused as a whole; nothing was stored."""


def _progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def _importer(kind: str, actor: Any) -> Importer:
    try:
        importer = importer_for(kind)
    except KeyError as exc:
        raise ImportRefused(_("Unknown kind of import: %(kind)s") % {"kind": kind}, "kind") from exc
    if getattr(actor, "role", None) not in importer.roles:
        raise PermissionDenied(_("Your role cannot import this kind of file."))
    return importer


def _refuse_size(size: int) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("The file is %(size)s; at most %(max)s may be uploaded.")
            % {"size": filesizeformat(size), "max": filesizeformat(settings.IMPORT_MAX_BYTES)},
            "file",
        )


def import_read(data: bytes) -> Table:
    _refuse_size(len(data))
    try:
        return read_table(data)
    except SpreadsheetError as exc:
        raise ImportRefused(str(exc), "file") from exc


def _records(table: Table, mapping: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    return [
        (number, {target: cells.get(header, "") for target, header in mapping.items()})
        for number, cells in table.rows
    ]


def _validate(job: ImportJob, importer: Importer, table: Table) -> Validated:
    """Validate the whole table into the job's status, errors and preview (with the column
    each header was matched to)."""
    job.total_rows = len(table.rows)
    headers = header_matches(importer.columns, table.headers, job.column_mapping)
    missing = [c for c in importer.columns if c.required and c.name not in job.column_mapping]
    if missing:
        job.errors = [
            RowError(
                0,
                c.name,
                _("No column in the file is mapped to “%(column)s”.") % {"column": c.label},
            ).as_dict()
            for c in missing
        ]
        job.status = ImportJob.Status.INVALID
        job.result = {"preview": [], "headers": headers}
        return Validated()
    validated = importer.validate(
        _records(table, job.column_mapping), user=job.created_by, options=job.options
    )
    job.errors = [e.as_dict() for e in validated.errors]
    skip_invalid = bool(job.options.get("skip_invalid_rows"))
    job.status = (
        ImportJob.Status.INVALID
        if job.errors and (not skip_invalid or not validated.rows)
        else ImportJob.Status.PREVIEW
    )
    job.result = {
        "preview": validated.preview[:PREVIEW_ROWS],
        "valid_rows": len(validated.rows),
        "headers": headers,
    }
    return validated


def import_options(
    *, update_existing: bool = False, skip_invalid_rows: bool = False, headcount_year: Any = None
) -> dict[str, Any]:
    """The user's choices for an import, as the pages and the API take them. A year for
    headcounts given without one is asked, never guessed."""
    options: dict[str, Any] = {
        "update_existing": bool(update_existing),
        "skip_invalid_rows": bool(skip_invalid_rows),
    }
    text = "" if headcount_year is None else str(headcount_year).strip()
    if text:
        if not (text.isdigit() and 2000 <= int(text) <= timezone.localdate().year):
            raise ImportRefused(
                _("Not a valid year: %(value)s") % {"value": text}, "headcount_year"
            )
        options["headcount_year"] = int(text)
    return options


@transaction.atomic
def import_job_create(
    *,
    actor: Any,
    kind: str,
    upload: UploadedFile,
    options: dict[str, Any] | None = None,
    mapping: ColumnMapping | None = None,
) -> ImportJob:
    """Store an upload and validate it whole; nothing is imported until it is confirmed."""
    importer = _importer(kind, actor)
    _refuse_size(upload.size or 0)
    data = upload.read(settings.IMPORT_MAX_BYTES + 1)
    table = import_read(data)
    job = ImportJob(
        kind=kind,
        created_by=actor,
        original_name=(upload.name or "upload")[:255],
        encoding=table.encoding,
        options=options or {},
        column_mapping=(
            {k: v for k, v in mapping.mapping.items() if v in table.headers}
            if mapping is not None
            else guess_mapping(importer.columns, table.headers)
        ),
        status=ImportJob.Status.INVALID,
    )
    job.file.save(upload.name or "upload", ContentFile(data), save=False)
    _validate(job, importer, table)
    job.save()
    return job


def import_job_headers(job: ImportJob) -> list[str]:
    with job.file.open("rb") as fh:
        return import_read(fh.read()).headers


@transaction.atomic
def import_job_remap(
    *, actor: Any, job: ImportJob, mapping: dict[str, str], save_as: str = ""
) -> ImportJob:
    """Change which file column feeds which field, validate again, optionally save the mapping."""
    importer = _importer(job.kind, actor)
    if job.status not in (ImportJob.Status.INVALID, ImportJob.Status.PREVIEW):
        raise ImportRefused(_("This import has already run."))
    with job.file.open("rb") as fh:
        table = import_read(fh.read())
    known = {c.name for c in importer.columns}
    wrong = {
        column: (
            _("No such column: %(column)s") % {"column": column}
            if column not in known
            else _("The file has no header “%(header)s”.") % {"header": header}
        )
        for column, header in mapping.items()
        if column not in known or header not in table.headers
    }
    if wrong:
        raise ImportRefused(wrong)
    job.column_mapping = dict(mapping)
    if save_as.strip():
        ColumnMapping.objects.update_or_create(
            kind=job.kind,
            name=save_as.strip()[:100],
            created_by=actor,
            defaults={"mapping": job.column_mapping},
        )
    _validate(job, importer, table)
    job.save()
    return job


@transaction.atomic
def import_job_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    _importer(job.kind, actor)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can confirm it."))
    if job.status != ImportJob.Status.PREVIEW:
        raise ImportRefused(
            _("This import has been cancelled.")
            if job.status == ImportJob.Status.CANCELLED
            else _("Only a file without errors can be imported.")
        )
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["status"])
    from yufang.imports.tasks import import_job_run_task

    transaction.on_commit(lambda: import_job_run_task.delay(job.pk))
    return job


@transaction.atomic
def import_job_cancel(*, actor: Any, job: ImportJob) -> ImportJob:
    """Drop an import that has not started: nothing is written, the stored file is deleted."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.created_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded the file can cancel it."))
    if job.status not in (
        ImportJob.Status.INVALID,
        ImportJob.Status.PREVIEW,
        ImportJob.Status.QUEUED,
    ):
        raise ImportRefused(_("This import has already run and cannot be cancelled."))
    job.status = ImportJob.Status.CANCELLED
    job.finished_at = timezone.now()
    if job.file:
        job.file.delete(save=False)
    job.save(update_fields=["status", "finished_at", "file"])
    return job


def import_job_run(job_id: int) -> ImportJob:
    """Validate again (the data may have changed since the preview) and write all rows or none.

    Python's cyclic collector is paused for the whole job (`collector_paused`): between the
    checks and the writes it would otherwise walk every object the checks left for the
    writes, a hundred thousand rows' worth, for no cycle.
    """
    with collector_paused():
        return _import_job_run(job_id)


def _import_job_run(job_id: int) -> ImportJob:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job
    importer = importer_for(job.kind)
    # Only a job still queued starts: one cancelled meanwhile has lost its file.
    started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING
    )
    if not started:
        job.refresh_from_db()
        return job
    with job.file.open("rb") as fh:
        table = import_read(fh.read())
    validated = _validate(job, importer, table)
    if job.status == ImportJob.Status.INVALID:
        job.finished_at = timezone.now()
        job.save()
        return job

    def progress(done: int) -> None:
        cache.set(_progress_key(job.pk), done, 3600)

    try:
        with transaction.atomic():
            counts = importer.apply(
                validated,
                user=job.created_by,
                options={**job.options, "import_job": job.pk},
                progress=progress,
            )
    except Exception as exc:
        job.status = ImportJob.Status.FAILED
        job.errors = [
            RowError(
                0, "", _("The import failed and nothing was written: %(error)s") % {"error": exc}
            ).as_dict()
        ]
        job.finished_at = timezone.now()
        job.save()
        logger.exception("import %s failed", job.pk)
        return job
    job.status = ImportJob.Status.DONE
    job.processed_rows = len(validated.rows)
    job.result = {**job.result, **counts}
    job.finished_at = timezone.now()
    job.save()
    cache.delete(_progress_key(job.pk))
    return job


def import_job_progress(job: ImportJob) -> int:
    if job.status == ImportJob.Status.RUNNING:
        return int(cache.get(_progress_key(job.pk), 0))
    return job.processed_rows
