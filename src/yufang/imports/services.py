from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.scoping.imports import importable, require_import
from yufang.imports.models import ColumnMapping, ImportJob
from yufang.lib.errors import InvalidInput
from yufang.lib.spreadsheets import (
    XLSX_MAGIC,
    SpreadsheetError,
    Table,
    read_table,
    table_shape,
)
from yufang.support.bounds import bounded_year
from yufang.support.bulk import collector_paused
from yufang.support.import_kinds import (
    Importer,
    Progress,
    RowError,
    Validated,
    guess_mapping,
    header_matches,
    importer_for,
    importers,
    limits_for,
    max_bytes_for,
)

PREVIEW_ROWS = 20
# A file of up to this many rows is read and checked in the request; a larger one in the
# background (the job shows "checking" until its preview and errors are stored).
CHECK_IN_REQUEST_ROWS = 2_000
# The errors kept on a job for its page and the API (a file with more has them counted).
MAX_STORED_ERRORS = 1_000
logger = logging.getLogger(__name__)


class ImportRefused(InvalidInput):
    """The file was refused as a whole; nothing was stored."""


def _progress_key(job_id: int) -> str:
    return f"import-progress:{job_id}"


def import_kind_for(actor: Any, kind: str) -> Importer:
    """The importer of this kind, if the actor may run it. The role comes first: a role
    that may import nothing is refused (403) whatever kind it names, and one that may import
    something is told an unknown kind by the field (422) or refused a kind not its own (403)."""
    if not importable(actor, importers()):
        raise PermissionDenied(_("Your role cannot import this kind of file."))
    try:
        importer = importer_for(kind)
    except KeyError as exc:
        raise ImportRefused(_("Unknown kind of import: %(kind)s") % {"kind": kind}, "kind") from exc
    require_import(actor, importer.roles)
    return importer


def _refuse_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise ImportRefused(
            _("The file is %(size)s; at most %(max)s may be uploaded.")
            % {"size": filesizeformat(size), "max": filesizeformat(max_bytes)},
            "file",
        )


def import_read(data: bytes, importer: Importer, *, progress: Progress | None = None) -> Table:
    """The file as a table, held to the kind's limits (a file over one is refused, naming
    the limit and the row)."""
    _refuse_size(len(data), max_bytes_for(importer))
    try:
        return read_table(data, limits=limits_for(importer), progress=progress)
    except SpreadsheetError as exc:
        raise ImportRefused(str(exc), "file") from exc


def _shape(data: bytes, importer: Importer) -> tuple[int, list[str]]:
    """Rows and headers of a file, counted without building it: the check of the limits
    before a file is taken in."""
    _refuse_size(len(data), max_bytes_for(importer))
    try:
        return table_shape(data, limits_for(importer))
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
    job.headers = table.headers
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
        job.result = {"preview": [], "headers": headers, "error_count": len(job.errors)}
        return Validated()
    validated = importer.validate(
        _records(table, job.column_mapping), user=job.created_by, options=job.options
    )
    job.errors = [e.as_dict() for e in validated.errors[:MAX_STORED_ERRORS]]
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
        "error_count": len(validated.errors),
    }
    return validated


def _check_later_or_now(job: ImportJob, importer: Importer, data: bytes | None = None) -> None:
    """Read and check the job's file once, storing headers, errors and preview on the job:
    now if it is small, else in the background (the job is "checking" until then)."""
    if job.total_rows > CHECK_IN_REQUEST_ROWS:
        job.status = ImportJob.Status.CHECKING
        job.save()
        from yufang.imports.tasks import import_job_check_task

        job_id = job.pk
        transaction.on_commit(lambda: import_job_check_task.delay(job_id))
        return
    if data is None:
        with job.file.open("rb") as fh:
            data = fh.read()
    _validate(job, importer, import_read(data, importer))
    job.save()


def import_job_check(job_id: int) -> ImportJob:
    """The background check of a large file: read it once, validate it, store the result.
    A job cancelled meanwhile is left as it is."""
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.status != ImportJob.Status.CHECKING:
        return job
    importer = importer_for(job.kind)

    def progress(done: int) -> None:
        cache.set(_progress_key(job.pk), done, 3600)

    try:
        with job.file.open("rb") as fh:
            table = import_read(fh.read(), importer, progress=progress)
        progress(len(table.rows))
    except (ImportRefused, OSError) as exc:
        job.status = ImportJob.Status.INVALID
        job.errors = [RowError(0, "file", str(getattr(exc, "message", exc))).as_dict()]
        job.result = {"preview": [], "headers": [], "error_count": 1}
    else:
        with collector_paused():
            _validate(job, importer, table)
    with transaction.atomic():
        if (
            not ImportJob.objects.select_for_update()
            .filter(pk=job.pk, status=ImportJob.Status.CHECKING)
            .exists()
        ):
            job.refresh_from_db()
            return job
        job.save()
    cache.delete(_progress_key(job.pk))
    return job


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
        year = bounded_year(text)
        if year is None or not 2000 <= year <= timezone.localdate().year:
            raise ImportRefused(
                _("Not a valid year: %(value)s") % {"value": text[:20]}, "headcount_year"
            )
        options["headcount_year"] = year
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
    importer = import_kind_for(actor, kind)
    max_bytes = max_bytes_for(importer)
    _refuse_size(upload.size or 0, max_bytes)
    data = upload.read(max_bytes + 1)
    rows, headers = _shape(data, importer)
    job = ImportJob(
        kind=kind,
        created_by=actor,
        original_name=(upload.name or "upload")[:255],
        encoding="" if data.startswith(XLSX_MAGIC) else _csv_encoding(data),
        options=options or {},
        headers=headers,
        total_rows=rows,
        column_mapping=(
            {k: v for k, v in mapping.mapping.items() if v in headers}
            if mapping is not None
            else guess_mapping(importer.columns, headers)
        ),
        status=ImportJob.Status.CHECKING,
    )
    job.file.save(upload.name or "upload", ContentFile(data), save=False)
    _check_later_or_now(job, importer, data)
    return job


def _csv_encoding(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gbk"
    return "utf-8"


@transaction.atomic
def import_job_remap(
    *, actor: Any, job: ImportJob, mapping: dict[str, str], save_as: str = ""
) -> ImportJob:
    """Change which file column feeds which field, validate again, optionally save the mapping."""
    importer = import_kind_for(actor, job.kind)
    if job.status not in (ImportJob.Status.INVALID, ImportJob.Status.PREVIEW):
        raise ImportRefused(
            _("The file is still being checked.")
            if job.status == ImportJob.Status.CHECKING
            else _("This import has already run.")
        )
    known = {c.name for c in importer.columns}
    wrong = {
        column: (
            _("No such column: %(column)s") % {"column": column}
            if column not in known
            else _("The file has no header “%(header)s”.") % {"header": header}
        )
        for column, header in mapping.items()
        if column not in known or header not in job.headers
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
    _check_later_or_now(job, importer)
    return job


@transaction.atomic
def import_job_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    import_kind_for(actor, job.kind)
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
        ImportJob.Status.CHECKING,
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
        table = import_read(fh.read(), importer)
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
    if job.status in (ImportJob.Status.RUNNING, ImportJob.Status.CHECKING):
        return int(cache.get(_progress_key(job.pk), 0))
    return job.processed_rows
