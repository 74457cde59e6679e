from __future__ import annotations

from django.urls import path

from yufang.field import views

app_name = "field"

urlpatterns = [
    path("", views.today, name="today"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    # The service worker's own address decides its scope: served here, it covers /field/.
    path("sw.js", views.sw, name="sw"),
]
