from __future__ import annotations

from django.urls import path

from yufang.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.jobs, name="jobs"),
    path("new/<str:kind>/", views.job_new, name="job_new"),
    path("template/<str:kind>.xlsx", views.template, name="template"),
    path("<int:pk>/", views.job, name="job"),
    path("<int:pk>/mapping/", views.job_remap, name="job_remap"),
    path("<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("<int:pk>/progress/", views.job_progress, name="job_progress"),
]
