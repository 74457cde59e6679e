from __future__ import annotations

from django.urls import path

from yufang.funds import views

app_name = "funds"

urlpatterns = [
    path("", views.index, name="index"),
    path("budgets/<str:code>/<int:year>/", views.budget, name="budget"),
    path("budgets/<str:code>/<int:year>/raise/", views.raise_view, name="raise"),
    path("budgets/<str:code>/<int:year>/disclose/", views.disclose, name="disclose"),
    path("projects/", views.projects, name="projects"),
    path("key-areas/", views.key_area_new, name="key_area_new"),
    path("projects/<int:pk>/", views.project, name="project"),
    path("projects/<int:pk>/review/", views.project_review, name="project_review"),
    path("projects/<int:pk>/procurement/", views.procurement, name="procurement"),
    path("projects/<int:pk>/contract/", views.contract_new, name="contract_new"),
    path("projects/<int:pk>/close/", views.project_close, name="project_close"),
    path("contracts/<int:pk>/", views.contract, name="contract"),
    path("milestones/<int:pk>/accept/", views.milestone_accept, name="milestone_accept"),
    path("milestones/<int:pk>/pay/", views.milestone_pay, name="milestone_pay"),
    path("milestones/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("institutions/", views.institutions, name="institutions"),
    path("institutions/<int:pk>/", views.institution_qualify, name="institution_qualify"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("ledger/", views.ledger, name="ledger"),
    path("disclosure/", views.disclosures, name="disclosures"),
    path("disclosure/<str:code>/<int:year>/", views.disclosure, name="disclosure"),
]
