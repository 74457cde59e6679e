"""Bases and halls."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.accounts.models import Role
from yufang.accounts.scoping import regions_visible
from yufang.accounts.scoping.institutions import institutions_pickable
from yufang.accounts.scoping.training import may_run_training
from yufang.lib.errors import InvalidInput
from yufang.organisations.models import Institution
from yufang.regions.models import Region
from yufang.support.topics import Topic
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.views.common import (
    RUNNERS,
    _attempt,
    _int,
)


@login_required
def bases_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        if not may_run_training(user):
            raise PermissionDenied(_("Your role cannot run training here."))
        institution = (
            user.institution
            if user.role == Role.INSTITUTION_STAFF
            else Institution.objects.filter(pk=_int(request.POST.get("institution")) or 0).first()
        )
        city = (
            regions_visible(user)
            .filter(level=Region.Level.CITY, code=request.POST.get("city", ""))
            .first()
        )

        def create() -> None:
            if institution is None:
                raise InvalidInput({"institution": _("Choose the operating institution.")})
            if city is None:
                raise InvalidInput({"city": _("Choose a city.")})
            svc.base_create(
                actor=user,
                name=request.POST.get("name", ""),
                city=city,
                address=request.POST.get("address", ""),
                institution=institution,
            )

        errors = _attempt(request, create, reverse("training:bases"))
        if isinstance(errors, HttpResponse):
            return errors
    return render(
        request,
        "training/bases.html",
        {
            "bases": sel.bases_visible(user).annotate(hall_count=Count("halls")),
            "errors": errors,
            "may_create": user.role in RUNNERS,
            "cities": regions_visible(user).filter(level=Region.Level.CITY),
            "institutions": institutions_pickable(user).filter(kind=Institution.Kind.TRAINING),
        },
    )


@login_required
def base(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    base = sel.base_get(user, pk)
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        errors = _attempt(
            request,
            lambda: svc.hall_create(
                actor=user,
                base=base,
                name=request.POST.get("name", ""),
                topic=request.POST.get("topic", ""),
                capacity=_int(request.POST.get("capacity")) or 0,
            ),
            reverse("training:base", args=[pk]),
        )
        if isinstance(errors, HttpResponse):
            return errors
    return render(
        request,
        "training/base_detail.html",
        {
            "base": base,
            "halls": sel.halls_of(base),
            "errors": errors,
            "may_run": svc.may_run(user, institution_id=base.institution_id, city_id=base.city_id),
            "topics": Topic.choices,
        },
    )
