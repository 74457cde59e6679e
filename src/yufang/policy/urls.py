from __future__ import annotations

from django.urls import path

from yufang.policy import views

app_name = "policy"

urlpatterns = [
    path("calendar/", views.days, name="days"),
    path("calendar/new/", views.day_new, name="day_new"),
    path("calendar/import/", views.days_import, name="days_import"),
    path("calendar/<int:pk>/delete/", views.day_delete, name="day_delete"),
]
