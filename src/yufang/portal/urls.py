from __future__ import annotations

from django.urls import path

from yufang.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("inbox/", views.inbox, name="inbox"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:pk>/evidence/", views.request_evidence, name="request_evidence"),
    path("roster/", views.roster, name="roster"),
    path("roster/<int:pk>/decide/", views.roster_decide, name="roster_decide"),
    path("self-assessments/", views.self_assessments, name="self_assessments"),
    path("self-assessments/new/", views.self_assessment_new, name="self_assessment_new"),
    path("self-assessments/<int:pk>/", views.self_assessment, name="self_assessment"),
    path("desk/", views.desk, name="desk"),
    path("premiums/", views.premiums, name="premiums"),
    path("premiums/new/", views.premium_new, name="premium_new"),
    path("premiums/<int:pk>/", views.premium, name="premium"),
    path("rates/", views.rate_runs, name="rate_runs"),
    path("rates/<int:pk>/", views.rate_run, name="rate_run"),
    path("rates/<int:pk>/review/", views.rate_run_review, name="rate_run_review"),
]
