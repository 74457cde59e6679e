"""Trainees."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping import sees_person_names
from yufang.accounts.scoping.imports import may_import
from yufang.training import selectors as sel
from yufang.training.importers import trainee_importer
from yufang.training.models import (
    KeyRole,
)
from yufang.training.views.common import (
    _page,
)


@login_required
def trainees_view(request: AuthedRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    qs = sel.trainee_search(request.user, sel.trainees_visible(request.user), q)
    role = request.GET.get("key_role", "")
    if role:
        qs = qs.filter(key_role=role)
    return render(
        request,
        "training/trainees.html",
        {
            "page_obj": _page(request, qs),
            "roles": KeyRole.choices,
            "q": q,
            "key_role": role,
            "may_import": may_import(request.user, trainee_importer.roles),
            "shows_ids": sees_person_names(request.user),
        },
    )


@login_required
def trainee(request: AuthedRequest, pk: int) -> HttpResponse:
    trainee = sel.trainee_get(request.user, pk)
    hours = sel.key_people_hours(request.user)
    mine = next((h for h in hours if h.trainee.pk == trainee.pk), None)
    return render(
        request,
        "training/trainee_detail.html",
        {
            "trainee": trainee,
            "shown": sel.trainee_shown(request.user, trainee),
            "enrollments": sel.enrollments_visible(request.user).filter(trainee=trainee),
            "certificates": sel.certificates_visible(request.user).filter(trainee=trainee),
            "attempts": sel.attempts_visible(request.user).filter(trainee=trainee),
            "hours": mine,
            "today": timezone.localdate(),
        },
    )
