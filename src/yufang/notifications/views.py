from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yufang.notifications.selectors import inbox, unread_count
from yufang.notifications.services import notification_mark_read


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(inbox(request.user, unread_only=unread_only), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page, "unread": unread_count(request.user), "unread_only": unread_only},
    )


@login_required
def open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Marks one notification read and follows its link."""
    notification = inbox(request.user).filter(pk=pk).first()
    if notification is None:
        # Someone else's notification, like any record outside the scope, is not found.
        raise Http404
    notification_mark_read(user=request.user, ids=[pk])
    # Links are stored by our own services; still, never send anyone off the site.
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    notification_mark_read(user=request.user)
    return redirect("notifications:inbox")
