from __future__ import annotations

from django.urls import path

from yufang.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprises, name="enterprises"),
    path("new/", views.enterprise_new, name="enterprise_new"),
    path("mine/", views.mine, name="mine"),
    path("options/<str:kind>/", views.options, name="options"),
    path("pick/", views.pick, name="pick"),
    path("<int:pk>/", views.enterprise, name="enterprise"),
    path("<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
]
