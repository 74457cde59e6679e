from __future__ import annotations

from django.urls import path

from yufang.hazards import views

app_name = "hazards"
urlpatterns = [
    path("", views.index, name="index"),
    path("list/", views.hazards_view, name="hazards"),
    path("new/", views.hazard_new, name="hazard_new"),
    path("<int:pk>/", views.hazard, name="hazard"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("queue/", views.queue, name="queue"),
    path("board/", views.board, name="board"),
    path("map/", views.map_view, name="map"),
    path("escalations/", views.escalations, name="escalations"),
    path("escalations/<int:pk>/answer/", views.escalation_answer_view, name="escalation_answer"),
    path("assessments/", views.assessments_view, name="assessments"),
    path("assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/fill/", views.assessment_fill, name="assessment_fill"),
    path("assessments/<int:pk>/cancel/", views.assessment_cancel, name="assessment_cancel"),
    path("checklists/", views.checklists_view, name="checklists"),
    path("checklists/<int:pk>/", views.checklist, name="checklist"),
    path("checklists/<int:pk>/edit/", views.checklist_edit, name="checklist_edit"),
    path("issuers/", views.notice_issuers, name="notice_issuers"),
    path("issuers/<int:pk>/seal/", views.notice_issuer_seal, name="notice_issuer_seal"),
    path("notices/<int:pk>.pdf", views.notice_pdf_view, name="notice_pdf"),
    path("notices/verify/<str:token>/", views.notice_verify, name="notice_verify"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("statistics/<str:kind>/<str:start>/", views.statistics_period, name="statistics_period"),
]
