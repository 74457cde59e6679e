from __future__ import annotations

from django.urls import path

from yufang.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.index, name="index"),
    path("grids/", views.grids, name="grids"),
    path("map/<str:level>.geojson", views.map_view, name="map"),
    path("<str:code>/pilot/", views.pilot, name="pilot"),
]
