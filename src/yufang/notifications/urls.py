from __future__ import annotations

from django.urls import path

from yufang.notifications import phone_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("read-all/", views.read_all, name="read_all"),
    path("<int:pk>/", views.open_view, name="open"),
    path("phone/", phone_views.phone_verify, name="phone_verify"),
]
