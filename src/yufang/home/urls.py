from __future__ import annotations

from django.urls import path

from yufang.home import views

app_name = "home"
urlpatterns = [path("", views.index, name="index")]
