"""The grid worker's phone pages: today's and the week's tasks, and a task's page (the
enterprise card, the short checklist, photos, location, a hazard found).

The pages work without JavaScript (the form posts here and goes through the same service as
the sync); with it, field.js queues the form's result on the phone and syncs it, so the pages
keep working with no network."""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping import require_role
from yufang.field import services
from yufang.field.views.pwa import PAGE_CACHE, USER_HEADER, page_cache
from yufang.grid import selectors as grid_selectors
from yufang.hazards.models import HazardLevel
from yufang.lib.errors import InvalidInput
from yufang.support.topics import Topic

# The task pages kept on the phone for a day with no signal (today's and the week's first).
CACHED_TASK_PAGES = 60
ANSWERS = (("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No")), ("na", gettext_lazy("N/A")))


def texts() -> dict[str, str]:
    """What field.js says, in the page's language."""
    return {
        "online": _("Online"),
        "offline": _("Offline"),
        "syncing": _("Syncing…"),
        "sync_failed": _("Could not sync now; the entries stay on the phone and are sent later."),
        "sign_in_to_sync": _("Sign in again to sync; the entries stay on the phone."),
        "not_saved": _("Could not save on this phone. Try again."),
        "waiting": _("%(n)s waiting to sync"),
        "dismiss": _("Dismiss"),
        "state_queued": _("waiting to sync"),
        "state_done": _("synced"),
        "state_replayed": _("already synced"),
        "state_conflict": _("conflict"),
        "state_invalid": _("to correct"),
        "task_queued": _("done, waiting to sync"),
        "task_done": _("done, synced"),
        "task_replayed": _("done, synced"),
        "task_conflict": _("conflict"),
        "task_invalid": _("to correct"),
        "hazard_at": _("Hazard at %(name)s"),
        "metres": _("%(n)s m"),
        "kilometres": _("%(n)s km"),
        "no_location": _("No location yet: allow location on this phone."),
        "location": _("Location %(lat)s, %(lng)s"),
        "accuracy": _("accuracy %(n)s m"),
        "no_accuracy": _("no accuracy"),
        "from_enterprise": _("%(d)s from the enterprise"),
        "signout_waiting": _(
            "%(n)s results recorded on this phone are not synced yet. Sync them before signing "
            "out: signing out clears this phone for the next user."
        ),
        "signout_offline": _(
            "Could not sync now: %(n)s results are still only on this phone. Sync when the "
            "network is back, or delete them."
        ),
        "signout_discard": _(
            "Delete %(n)s results that were never synced, and sign out? Tap “Delete them and "
            "sign out” again to confirm."
        ),
        "signout_clearing": _("Clearing this phone…"),
    }


def _layout(request: AuthedRequest) -> dict[str, Any]:
    return {
        "texts": texts(),
        "page_cache": page_cache(request.user.pk),
        "page_caches": PAGE_CACHE,
    }


def field_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page of the field app names its user (`X-Field-User`), so the service worker keeps it
    in that user's page cache and drops another user's pages; the browser's own HTTP cache and
    back-forward cache never keep it (a Back after sign-out must not show it)."""

    @functools.wraps(view)
    def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and request.user.is_authenticated:
            response[USER_HEADER] = str(request.user.pk)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped


def _card(task: Any, on: dt.date) -> dict[str, Any]:
    e = task.enterprise
    return {
        "task": task,
        "enterprise": e,
        "overdue": task.due_on < on,
        "due_today": task.due_on == on,
        "distance_m": getattr(task, "distance_m", None),
    }


@login_required
@field_page
def today(request: AuthedRequest) -> HttpResponse:
    require_role(request.user, Role.GRID_WORKER)
    on = timezone.localdate()
    user = request.user
    open_tasks = list(grid_selectors.worker_tasks(user, on=on))
    # Today's share keeps every deadline (`daily_pace`): the overdue, those due today, then
    # the soonest due at the pace the period needs; the week's share follows.
    pace = grid_selectors.daily_pace([t.due_on for t in open_tasks], on=on)
    due_now = [t for t in open_tasks if t.due_on <= on]
    ahead = [t for t in open_tasks if t.due_on > on]
    days_left_in_week = grid_selectors.working_days(on, on + dt.timedelta(days=6 - on.weekday()))
    todays = due_now + ahead[: max(0, pace - len(due_now))]
    weeks = ahead[len(todays) - len(due_now) :][: pace * max(0, days_left_in_week - 1)]
    today_cards = [
        _card(t, on)
        for t in grid_selectors.tasks_nearest_first(todays, latitude=None, longitude=None)
    ]
    week_cards = [_card(t, on) for t in weeks]
    shown = {t.pk for t in todays + weeks}
    later = [
        _card(t, on) for t in grid_selectors.worker_week(user, on=on).exclude(pk__in=shown)[:100]
    ]
    cache_urls = [reverse("field:today")] + [
        reverse("field:task", args=[c["task"].pk])
        for c in (today_cards + week_cards + later)[:CACHED_TASK_PAGES]
    ]
    return render(
        request,
        "field/today.html",
        {
            **_layout(request),
            "on": on,
            "today_cards": today_cards,
            "week_cards": week_cards,
            "later_cards": later,
            "cache_urls": cache_urls,
        },
    )


def _entries_from_form(request: AuthedRequest, task: Any, items: list[str]) -> list[Any]:
    post = request.POST
    done_at = timezone.now()
    answers = {
        text: post.get(f"answer_{i}", "") for i, text in enumerate(items) if post.get(f"answer_{i}")
    }
    key = post.get("key", "") or uuid.uuid4().hex
    entries = [
        services.Entry(
            key=key,
            kind="screening",
            task_id=task.pk,
            done_at=done_at,
            answers=answers,
            note=post.get("note", ""),
            latitude=post.get("latitude") or None,
            longitude=post.get("longitude") or None,
            accuracy_m=post.get("accuracy_m") or None,
            photos=[f.read() for f in request.FILES.getlist("photos")],
        )
    ]
    if post.get("hazard_found"):
        photo = request.FILES.get("hazard_photo")
        entries.append(
            services.Entry(
                key=post.get("hazard_key", "") or uuid.uuid4().hex,
                kind="hazard",
                task_id=task.pk,
                screening_key=key,
                done_at=done_at,
                topic=post.get("topic", ""),
                level=post.get("level", ""),
                description=post.get("description", ""),
                location=post.get("hazard_location", ""),
                latitude=post.get("latitude") or None,
                longitude=post.get("longitude") or None,
                photos=[photo.read()] if photo else [],
            )
        )
    return entries


@login_required
@field_page
def task(request: AuthedRequest, pk: int) -> HttpResponse:
    require_role(request.user, Role.GRID_WORKER)
    user = request.user
    found = grid_selectors.task_get(user, pk)
    card = grid_selectors.enterprise_card(user, found.enterprise)
    items = grid_selectors.duty_checklist(user, found)
    errors: dict[str, str] = {}
    results: list[services.EntryResult] = []
    if request.method == "POST":
        try:
            results = services.outbox_sync(
                actor=user, entries=_entries_from_form(request, found, items)
            )
        except InvalidInput as exc:
            errors = exc.errors
        refused = [r for r in results if r.status in ("conflict", "invalid")]
        if results and not refused:
            for r in results:
                messages.success(request, " ".join([str(r.message), *r.notes]))
            return redirect("field:today")
        for r in refused:
            errors[r.field or ""] = r.message
    open_for_me = found.status == "open" and found.worker_id in (None, user.pk)
    return render(
        request,
        "field/task.html",
        {
            **_layout(request),
            "found": found,
            "card": card,
            "items": list(enumerate(items)),
            "answers": ANSWERS,
            "open_for_me": open_for_me,
            "errors": errors,
            "data": request.POST,
            "key": uuid.uuid4().hex,
            "hazard_key": uuid.uuid4().hex,
            "topics": Topic.choices,
            "levels": HazardLevel.choices,
        },
    )
