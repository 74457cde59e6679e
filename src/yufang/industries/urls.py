from __future__ import annotations

from django.urls import path

from yufang.industries import views

app_name = "industries"
urlpatterns = [
    path("", views.industries, name="industries"),
    path("<str:code>/", views.industry, name="industry"),
]
