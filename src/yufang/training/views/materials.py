"""Materials."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from yufang.accounts.http import AuthedRequest
from yufang.accounts.scoping.training import may_publish_materials
from yufang.lib.errors import InvalidInput
from yufang.support.topics import Topic
from yufang.training import selectors as sel
from yufang.training import services as svc
from yufang.training.models import (
    Material,
)
from yufang.training.views.common import (
    RUNNERS,
    _attempt,
    _int,
    _page,
)
from yufang.training.views.courses import (
    _upload_response,
)


@login_required
def materials_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    errors: dict[str, str] | HttpResponse = {}
    if request.method == "POST":
        if not may_publish_materials(user):
            raise PermissionDenied(_("Your role cannot publish materials."))
        p = request.POST

        def create() -> None:
            upload = request.FILES.get("file")
            if upload is None:
                raise InvalidInput({"file": _("Upload the file.")})
            svc.material_create(
                actor=user,
                title=p.get("title", ""),
                kind=p.get("kind", ""),
                topic=p.get("topic", ""),
                file=upload,
                series=p.get("series", ""),
                authors=p.get("authors", ""),
                publisher=p.get("publisher", ""),
                year=_int(p.get("year")),
                description=p.get("description", ""),
            )

        errors = _attempt(request, create, reverse("training:materials"))
        if isinstance(errors, HttpResponse):
            return errors
    qs = sel.materials_visible(user)
    topic = request.GET.get("topic", "")
    if topic:
        qs = qs.filter(topic=topic)
    return render(
        request,
        "training/materials.html",
        {
            "page_obj": _page(request, qs),
            "errors": errors,
            "topics": Topic.choices,
            "kinds": Material.Kind.choices,
            "topic": topic,
            "may_create": user.role in RUNNERS,
        },
    )


@login_required
def material_download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    material = sel.material_get(request.user, pk)
    response = _upload_response(material.file, download=True)
    svc.material_download(material=material)
    return response
