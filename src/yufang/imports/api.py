"""Imports over the API, for a bureau's systems that deliver files at night: upload a file of
any registered kind, read the job's status, progress, errors and preview, confirm or cancel
it. The same services as the pages: the same checks, all rows or none, the same audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile

from yufang.accounts.scoping.imports import importable
from yufang.imports.models import ImportJob
from yufang.imports.selectors import import_job_get, import_jobs, import_template_xlsx
from yufang.imports.services import (
    ImportRefused,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_job_progress,
    import_job_remap,
    import_options,
)
from yufang.support.bounds import Code, Id, Name, Note, Year, paginated
from yufang.support.import_kinds import importer_for, importers, limits_for, max_bytes_for

router = Router(tags=["imports"])


class ColumnOut(Schema):
    name: str
    label: str
    required: bool
    aliases: list[str]
    accepted: list[str]
    default: str


class LimitsOut(Schema):
    # Rows of data (blank rows not counted), columns, characters in a cell, bytes in a file.
    rows: int
    columns: int
    cell_chars: int
    bytes: int


class ImportKindOut(Schema):
    kind: str
    label: str
    columns: list[ColumnOut]
    # A file over one of these is refused (422 naming the limit and the row).
    limits: LimitsOut


class HeaderMatchOut(Schema):
    header: str
    column: str


class ImportJobOut(Schema):
    id: int
    kind: str
    status: str
    status_label: str
    file_name: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    total_rows: int
    valid_rows: int | None
    processed_rows: int
    error_count: int
    options: dict[str, Any]
    column_mapping: dict[str, str]
    # Each header of the file and the column it was matched to ("" when none).
    headers: list[HeaderMatchOut]
    # What the import wrote: {"created": n, "updated": n}.
    counts: dict[str, int]


class RowErrorOut(Schema):
    row: int
    field: str
    message: str


def _job_out(job: ImportJob) -> dict[str, Any]:
    result = job.result or {}
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": str(job.get_status_display()),
        "file_name": job.original_name,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
        "total_rows": job.total_rows,
        "valid_rows": result.get("valid_rows"),
        "processed_rows": import_job_progress(job),
        "error_count": result.get("error_count", len(job.errors)),
        "options": job.options,
        "column_mapping": job.column_mapping,
        "headers": [
            {"header": m["header"], "column": m["column"]} for m in result.get("headers", [])
        ],
        "counts": {k: v for k, v in result.items() if k in ("created", "updated")},
    }


@router.get("/kinds", response=list[ImportKindOut])
def kinds(request: HttpRequest) -> list[dict[str, Any]]:
    """The kinds of file the caller's role may import, with their columns and the values
    each coded column accepts."""
    return [
        {
            "kind": i.kind,
            "label": str(i.label),
            "columns": [
                {
                    "name": c.name,
                    "label": str(c.label),
                    "required": c.required,
                    "aliases": list(c.aliases),
                    "accepted": [str(v) for v in c.accepted],
                    "default": str(c.default),
                }
                for c in i.columns
            ],
            "limits": {
                "rows": limits_for(i).rows,
                "columns": limits_for(i).columns,
                "cell_chars": limits_for(i).cell,
                "bytes": max_bytes_for(i),
            },
        }
        for i in importable(request.user, importers())
    ]


@router.get("/kinds/{kind}/template")
def template(request: HttpRequest, kind: Code) -> HttpResponse:
    """An empty XLSX of this kind, with a sheet of the values each column accepts."""
    try:
        importer = importer_for(kind)
    except KeyError as exc:
        raise ImportRefused(_("Unknown kind of import: %(kind)s") % {"kind": kind}, "kind") from exc
    response = HttpResponse(
        import_template_xlsx(importer),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


@router.post("/jobs", response={201: ImportJobOut})
def job_upload(
    request: HttpRequest,
    kind: Form[Code],
    file: File[UploadedFile],
    update_existing: Form[bool] = False,
    skip_invalid_rows: Form[bool] = False,
    headcount_year: Form[Year | None] = None,
) -> Status:
    """Upload a file (CSV or XLSX) and have it checked whole; nothing is written until the
    job is confirmed. A file that cannot be read is a 422; a file with bad rows is a job
    with status "invalid" whose errors name each row and field."""
    options = import_options(
        update_existing=update_existing,
        skip_invalid_rows=skip_invalid_rows,
        headcount_year=headcount_year,
    )
    job = import_job_create(actor=request.user, kind=kind, upload=file, options=options)
    return Status(201, _job_out(job))


@router.get("/jobs", response=list[ImportJobOut])
@paginated(page_size=50)
def job_list(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The caller's imports, newest first."""
    return _JobPage(import_jobs(request.user))


class _JobPage:
    """The caller's jobs for the paginator: counted in the database, and only the page's
    jobs read and shown."""

    def __init__(self, jobs: QuerySet[ImportJob]) -> None:
        self.jobs = jobs

    def __len__(self) -> int:
        return self.jobs.count()

    def __getitem__(self, page: slice) -> list[dict[str, Any]]:
        return [_job_out(job) for job in self.jobs[page]]


@router.get("/jobs/{job_id}", response=ImportJobOut)
def job_detail(request: HttpRequest, job_id: Id) -> dict[str, Any]:
    return _job_out(import_job_get(request.user, job_id))


@router.get("/jobs/{job_id}/errors", response=list[RowErrorOut])
@paginated(page_size=100)
def job_errors(request: HttpRequest, job_id: Id):  # type: ignore[no-untyped-def]
    """Every error by row and field (row 0 is the whole file)."""
    return import_job_get(request.user, job_id).errors


@router.get("/jobs/{job_id}/preview", response=list[dict[str, Any]])
@paginated(page_size=20)
def job_preview(request: HttpRequest, job_id: Id):  # type: ignore[no-untyped-def]
    """The first rows as they will be written, with the defaults given to blank cells."""
    return import_job_get(request.user, job_id).result.get("preview", [])


class MappingIn(Schema):
    # {column: header in the file}; columns left out are not read.
    mapping: dict[Code, Note]
    # Save the mapping under this name for later files (pages offer it on upload).
    save_as: Name = ""


@router.put("/jobs/{job_id}/mapping", response=ImportJobOut)
def job_remap(request: HttpRequest, job_id: Id, payload: MappingIn) -> dict[str, Any]:
    """Say which header feeds which column, and have the file checked again. An unknown
    column or a header the file lacks is a 422 naming the column."""
    job = import_job_remap(
        actor=request.user,
        job=import_job_get(request.user, job_id),
        mapping=payload.mapping,
        save_as=payload.save_as,
    )
    return _job_out(job)


@router.post("/jobs/{job_id}/confirm", response=ImportJobOut)
def job_confirm(request: HttpRequest, job_id: Id) -> dict[str, Any]:
    """Import a checked file: all its rows (or, if chosen, all its valid rows) or none."""
    job = import_job_confirm(actor=request.user, job=import_job_get(request.user, job_id))
    return _job_out(import_job_get(request.user, job.pk))


@router.post("/jobs/{job_id}/cancel", response=ImportJobOut)
def job_cancel(request: HttpRequest, job_id: Id) -> dict[str, Any]:
    """Drop a job that has not run: nothing is written and the stored file is deleted."""
    job = import_job_cancel(actor=request.user, job=import_job_get(request.user, job_id))
    return _job_out(job)
