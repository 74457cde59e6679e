from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping.imports import importable
from yufang.imports.models import ImportJob
from yufang.imports.selectors import (
    column_mappings,
    import_job_get,
    import_jobs,
    import_template_xlsx,
)
from yufang.imports.services import (
    ImportRefused,
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    import_job_progress,
    import_job_remap,
    import_kind_for,
    import_options,
)
from yufang.support.bounds import bounded_id
from yufang.support.import_kinds import importer_for, importers, limits_for, max_bytes_for


@login_required
def jobs(request: AuthedRequest) -> HttpResponse:
    # The list shows no job's errors, preview or headers: they are not read.
    jobs = import_jobs(request.user).defer("errors", "result", "headers", "column_mapping")
    page = Paginator(jobs, 30).get_page(request.GET.get("page"))
    labels = {i.kind: i.label for i in importers()}
    for job in page:
        job.kind_label = labels.get(job.kind, job.kind)  # type: ignore[attr-defined]
    kinds = importable(request.user, importers())
    return render(request, "imports/list.html", {"page_obj": page, "kinds": kinds})


@login_required
def job_new(request: AuthedRequest, kind: str) -> HttpResponse:
    try:
        importer = import_kind_for(request.user, kind)
    except ImportRefused as exc:
        raise Http404(kind) from exc
    mappings = column_mappings(request.user, kind)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        mapping = mappings.filter(pk=bounded_id(request.POST.get("mapping")) or 0).first()
        if upload is None:
            error = _("Choose a file to upload.")
        else:
            try:
                options = import_options(
                    update_existing=request.POST.get("update_existing") == "1",
                    skip_invalid_rows=request.POST.get("skip_invalid_rows") == "1",
                    headcount_year=request.POST.get("headcount_year"),
                )
                job = import_job_create(
                    actor=request.user, kind=kind, upload=upload, options=options, mapping=mapping
                )
            except ImportRefused as exc:
                error = exc.message
            else:
                return redirect("imports:job", pk=job.pk)
    return render(
        request,
        "imports/new.html",
        {
            "importer": importer,
            "mappings": mappings,
            "error": error,
            "asks_year": any(c.name == "headcount_year" for c in importer.columns),
            "columns": [
                (c, _shown_aliases(c.aliases, get_language() or "")) for c in importer.columns
            ],
            "limits": limits_for(importer),
            "max_bytes": max_bytes_for(importer),
        },
    )


def _shown_aliases(aliases: tuple[str, ...], language: str) -> list[str]:
    """The header words to show: the Chinese interface leaves out the English ones (they
    are still recognised)."""
    if language.startswith("zh"):
        return [a for a in aliases if not a.isascii()]
    return list(aliases)


@login_required
def template(request: AuthedRequest, kind: str) -> HttpResponse:
    """An empty file of this kind, with a sheet of the values each column accepts."""
    try:
        importer = importer_for(kind)
    except KeyError as exc:
        raise Http404(kind) from exc
    response = HttpResponse(
        import_template_xlsx(importer),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.xlsx"'
    return response


@login_required
def job(request: AuthedRequest, pk: int) -> HttpResponse:
    job = import_job_get(request.user, pk)
    importer = importer_for(job.kind)
    # What the upload read and checked once is stored on the job: a view reads no file.
    headers = (
        job.headers if job.status in (ImportJob.Status.INVALID, ImportJob.Status.PREVIEW) else []
    )
    errors = Paginator(job.errors, 100).get_page(request.GET.get("page"))
    preview = job.result.get("preview") or []
    labels = {**_PREVIEW_LABELS, **{c.name: c.label for c in importer.columns}}
    # Each error names its column in words, as the column list does.
    errors.object_list = [
        {**e, "label": labels.get(e["field"], e["field"])} for e in errors.object_list
    ]
    return render(
        request,
        "imports/detail.html",
        {
            "job": job,
            "importer": importer,
            "headers": headers,
            "page_obj": errors,
            "progress": import_job_progress(job),
            "preview_head": [labels.get(k, k) for k in (preview[0] if preview else {})],
            "matched": [
                {**m, "label": labels.get(m["column"], "")} for m in job.result.get("headers", [])
            ],
            "may_cancel": job.status in _CANCELLABLE,
            "error_count": job.result.get("error_count", len(job.errors)),
        },
    )


_CANCELLABLE = (
    ImportJob.Status.CHECKING,
    ImportJob.Status.INVALID,
    ImportJob.Status.PREVIEW,
    ImportJob.Status.QUEUED,
)
# Preview fields that are not columns of the file.
_PREVIEW_LABELS = {
    "row": _lazy("Row"),
    "action": _lazy("action"),
    "risk_class": _lazy("insurance risk class"),
    "previous": _lazy("recorded before"),
}


@login_required
@require_POST
def job_remap(request: AuthedRequest, pk: int) -> HttpResponse:
    job = import_job_get(request.user, pk)
    importer = importer_for(job.kind)
    mapping = {c.name: request.POST.get(f"map_{c.name}", "") for c in importer.columns}
    try:
        import_job_remap(
            actor=request.user,
            job=job,
            mapping={k: v for k, v in mapping.items() if v},
            save_as=request.POST.get("save_as", ""),
        )
    except ImportRefused as exc:
        messages.error(request, exc.message)
    return redirect("imports:job", pk=pk)


@login_required
@require_POST
def job_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    job = import_job_get(request.user, pk)
    try:
        import_job_confirm(actor=request.user, job=job)
    except ImportRefused as exc:
        messages.error(request, exc.message)
    return redirect("imports:job", pk=pk)


@login_required
@require_POST
def job_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    job = import_job_get(request.user, pk)
    try:
        import_job_cancel(actor=request.user, job=job)
    except ImportRefused as exc:
        messages.error(request, exc.message)
    return redirect("imports:job", pk=pk)


@login_required
def job_progress(request: AuthedRequest, pk: int) -> HttpResponse:
    job = import_job_get(request.user, pk)
    response = render(
        request, "imports/_progress.html", {"job": job, "progress": import_job_progress(job)}
    )
    # A check that has ended has stored its errors and preview: the whole page shows them.
    if request.GET.get("checking") and job.status != ImportJob.Status.CHECKING:
        response["HX-Refresh"] = "true"
    return response
