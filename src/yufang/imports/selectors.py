from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from yufang.imports.models import ColumnMapping, ImportJob


def import_jobs(user: Any) -> QuerySet[ImportJob]:
    """A person sees the imports they uploaded."""
    return ImportJob.objects.filter(created_by=user).order_by("-created_at")


def import_job_get(user: Any, pk: int) -> ImportJob:
    return get_object_or_404(import_jobs(user), pk=pk)


def column_mappings(user: Any, kind: str) -> QuerySet[ColumnMapping]:
    return ColumnMapping.objects.filter(created_by=user, kind=kind).order_by("name")
