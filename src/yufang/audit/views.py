from __future__ import annotations

import itertools
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.audit.models import AuditEntry
from yufang.audit.selectors import AUDIT_READERS, audit_entries, entries_shown, record_types
from yufang.support.http import spreadsheet_response


@login_required
def entries(request: AuthedRequest) -> HttpResponse:
    if request.user.role not in AUDIT_READERS:
        raise PermissionDenied(_("Your role cannot read the audit log."))
    params = {k: request.GET.get(k, "").strip() for k in ("model", "object_id", "actor")}
    qs = audit_entries(request.user, **params)
    if request.GET.get("export") in ("xlsx", "csv"):
        return spreadsheet_response(
            _("audit-log"),
            [
                _("time"),
                _("actor"),
                _("action"),
                _("record type"),
                _("record id"),
                _("record"),
                _("changes"),
                _("reason"),
            ],
            (
                [
                    timezone.localtime(shown.entry.at).strftime("%Y-%m-%d %H:%M:%S"),
                    str(shown.entry.actor or _("system")),
                    shown.entry.get_action_display(),
                    shown.record_type,
                    shown.entry.object_id,
                    shown.entry.object_repr,
                    "; ".join(
                        f"{c.field}: {c.before} → {c.after}"
                        if c.is_update
                        else f"{c.field}: {c.after}"
                        for c in shown.changes
                    ),
                    shown.entry.reason,
                ]
                for chunk in _chunks(qs.iterator(chunk_size=500), 500)
                for shown in entries_shown(chunk)
            ),
            kind=request.GET["export"],
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/list.html",
        {
            "page_obj": page,
            "entries": entries_shown(page),
            "params": params,
            "record_types": record_types(),
        },
    )


def _chunks(items: Iterator[AuditEntry], size: int) -> Iterator[list[AuditEntry]]:
    return iter(lambda: list(itertools.islice(items, size)), [])
