from __future__ import annotations

from django.urls import path

from yufang.council import views

app_name = "council"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.joint_meeting, name="joint_meeting"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("board/", views.board, name="board"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("shared/", views.shared, name="shared"),
    path("exchange/", views.exchange, name="exchange"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>.docx", views.report_docx, name="report_docx"),
    path("reports/<int:pk>.pdf", views.report_pdf, name="report_pdf"),
]
