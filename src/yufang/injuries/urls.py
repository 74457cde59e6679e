from __future__ import annotations

app_name = "injuries"
urlpatterns: list = []
