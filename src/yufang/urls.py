from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from yufang.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # One sign-in for everyone: the admin's own login form would bypass the lockout's
    # per-account serialisation, so it sends people to the platform's.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("accounts/", include("yufang.accounts.urls")),
    path("audit/", include("yufang.audit.urls")),
    path("policy/", include("yufang.policy.urls")),
    path("regions/", include("yufang.regions.urls")),
    path("industries/", include("yufang.industries.urls")),
    path("enterprises/", include("yufang.enterprises.urls")),
    path("imports/", include("yufang.imports.urls")),
    path("injuries/", include("yufang.injuries.urls")),
    path("hazards/", include("yufang.hazards.urls")),
    path("training/", include("yufang.training.urls")),
    path("notifications/", include("yufang.notifications.urls")),
    path("grid/", include("yufang.grid.urls")),
    path("field/", include("yufang.field.urls")),
    path("portal/", include("yufang.portal.urls")),
    path("recognition/", include("yufang.recognition.urls")),
    path("funds/", include("yufang.funds.urls")),
    path("outreach/", include("yufang.outreach.urls")),
    path("council/", include("yufang.council.urls")),
    path("", include("yufang.home.urls")),
]
