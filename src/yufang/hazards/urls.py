from __future__ import annotations

app_name = "hazards"
urlpatterns: list = []
