from __future__ import annotations

from django.urls import path

from yufang.training import views

app_name = "training"
urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/", views.session_list_view, name="sessions"),
    path("sessions/new/", views.session_new, name="session_new"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/book/", views.session_book, name="session_book"),
    path("sessions/<int:pk>/sign-up/", views.session_sign_up, name="session_sign_up"),
    path("sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/photos/", views.session_photo, name="session_photo"),
    path("sessions/<int:pk>/feedback/", views.session_feedback, name="session_feedback"),
    path("sessions/<int:pk>/qr.png", views.session_qr, name="session_qr"),
    path("enrollments/<int:pk>/cancel/", views.enrollment_cancel, name="enrollment_cancel"),
    path("enrollments/<int:pk>/check-in/", views.enrollment_check_in, name="enrollment_check_in"),
    path("enrollments/<int:pk>/qr.png", views.enrollment_qr, name="enrollment_qr"),
    path("check-in/session/<str:token>/", views.check_in_session, name="check_in_session"),
    path("check-in/<str:token>/", views.check_in, name="check_in"),
    path("mine/", views.my_enrollments, name="my_enrollments"),
    path("bases/", views.base_list, name="bases"),
    path("bases/<int:pk>/", views.base_detail, name="base"),
    path("trainees/", views.trainee_list, name="trainees"),
    path("trainees/<int:pk>/", views.trainee_detail, name="trainee"),
    path("courses/", views.course_list, name="courses"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson"),
    path("lessons/<int:pk>/heartbeat/", views.lesson_heartbeat, name="lesson_heartbeat"),
    path("questions/", views.question_list, name="questions"),
    path("questions/new/", views.question_edit, name="question_new"),
    path("questions/<int:pk>/", views.question_edit, name="question_edit"),
    path("exams/", views.exam_list, name="exams"),
    path("exams/<int:pk>/", views.exam_detail, name="exam"),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("certificates/", views.certificate_list, name="certificates"),
    path("certificates/verify/<str:code>/", views.certificate_verify, name="verify"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("targeting/", views.targeting, name="targeting"),
    path("materials/", views.material_list, name="materials"),
    path("materials/<int:pk>/download/", views.material_download, name="material_download"),
    path("statistics/", views.statistics, name="statistics"),
]
