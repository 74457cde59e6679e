from __future__ import annotations

from django.urls import path

from yufang.grid.views import coverage, grids, planning, work

app_name = "grid"

urlpatterns = [
    path("", coverage.index, name="index"),
    path("records/", coverage.records, name="records"),
    path("grids/<int:pk>/", grids.grid, name="grid"),
    path("grids/<int:pk>/assign/", grids.assign, name="assign"),
    path("grids/<int:pk>/reassign/", grids.reassign, name="reassign"),
    path("grids/<int:pk>/place/", grids.place, name="place"),
    path("assignments/<int:pk>/end/", grids.assignment_end, name="assignment_end"),
    path("place-automatically/", grids.place_automatically, name="place_automatically"),
    path("duty/", planning.duty, name="duty"),
    path("plans/", planning.plans, name="plans"),
    path("tasks/<int:pk>/", work.task, name="task"),
    path("screenings/<int:pk>/", work.screening, name="screening"),
    path("photos/<int:pk>/", work.photo, name="photo"),
    path("my-work/", work.my_work, name="my_work"),
]
