from __future__ import annotations

from django.urls import path

from yufang.industries import views

app_name = "industries"
urlpatterns = [
    path("", views.industry_list, name="industries"),
    path("<str:code>/", views.industry_detail, name="industry"),
]
