from __future__ import annotations

from django.urls import path

from yufang.recognition import views

app_name = "recognition"

urlpatterns = [
    path("", views.index, name="index"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/letter.pdf", views.letter, name="letter"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("apply/", views.public_apply, name="public_apply"),
    path("apply/<int:pk>/", views.public_application, name="public_application"),
    path("apply/<int:pk>/letter.pdf", views.public_letter, name="public_letter"),
]
