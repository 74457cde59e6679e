from __future__ import annotations

from django.urls import path

from yufang.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/<str:kind>/", views.job_new, name="new"),
    path("template/<str:kind>.xlsx", views.job_template, name="template"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/mapping/", views.job_remap, name="remap"),
    path("<int:pk>/confirm/", views.job_confirm, name="confirm"),
    path("<int:pk>/cancel/", views.job_cancel, name="cancel"),
    path("<int:pk>/progress/", views.job_progress, name="progress"),
]
