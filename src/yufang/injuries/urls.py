from __future__ import annotations

from django.urls import path

from yufang.injuries import views

app_name = "injuries"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rates/", views.rates, name="rates"),
    path("targets/", views.targets, name="targets"),
    path("priority/", views.priority, name="priority"),
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/<int:pk>/", views.case, name="case"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/delete/", views.case_delete_view, name="case_delete"),
    path("cases/<int:pk>/reveal/", views.case_reveal, name="case_reveal"),
    path("headcounts/", views.headcounts, name="headcounts"),
]
