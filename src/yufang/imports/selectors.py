from __future__ import annotations

import io
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from openpyxl import Workbook

from yufang.imports.models import ColumnMapping, ImportJob
from yufang.support.bounds import bounded_id
from yufang.support.import_kinds import Importer


def import_jobs(user: Any) -> QuerySet[ImportJob]:
    """A person sees the imports they uploaded."""
    return ImportJob.objects.filter(created_by=user).order_by("-created_at")


def import_job_get(user: Any, pk: int) -> ImportJob:
    """One of the user's imports; an id beyond the column's range is as absent as any."""
    if bounded_id(pk) is None:
        raise Http404
    return get_object_or_404(import_jobs(user), pk=pk)


def column_mappings(user: Any, kind: str) -> QuerySet[ColumnMapping]:
    return ColumnMapping.objects.filter(created_by=user, kind=kind).order_by("name")


def import_template_xlsx(importer: Importer) -> bytes:
    """An empty file of an import kind for a bureau to fill in: its columns under the
    headers people use (the first alias), then a sheet of what each column takes."""
    workbook = Workbook(write_only=True)
    data = workbook.create_sheet(title=str(_("data"))[:31])
    data.append([c.aliases[0] if c.aliases else c.name for c in importer.columns])
    notes = workbook.create_sheet(title=str(_("columns"))[:31])
    notes.append(
        [
            str(_("header")),
            str(_("column")),
            str(_("required")),
            str(_("accepted values")),
            str(_("when blank")),
            str(_("also recognised as")),
        ]
    )
    for c in importer.columns:
        notes.append(
            [
                c.aliases[0] if c.aliases else c.name,
                str(c.label),
                str(_("yes")) if c.required else str(_("no")),
                " / ".join(str(v) for v in c.accepted) or str(c.help),
                str(c.default),
                ", ".join(c.aliases[1:]),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
