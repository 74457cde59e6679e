from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.audit.selectors import AUDIT_READERS, audit_entries
from yufang.lib.http import spreadsheet_response


@login_required
def entry_list(request: AuthedRequest) -> HttpResponse:
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
                    e.at.isoformat(),
                    e.actor.username if e.actor else "",
                    e.action,
                    e.model,
                    e.object_id,
                    e.object_repr,
                    str(e.changes),
                    e.reason,
                ]
                for e in qs.iterator()
            ),
            kind=request.GET["export"],
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "audit/list.html", {"page_obj": page, "params": params})
