from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from yufang.accounts.models import User


@admin.register(User)
class YufangUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "role", "region", "grid", "enterprise", "is_active")
    list_filter = ("role", "is_active")
    search_fields = ("username", "full_name", "phone")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "yufang",
            {
                "fields": (
                    "full_name",
                    "phone",
                    "role",
                    "region",
                    "grid",
                    "enterprise",
                    "institution",
                    "department",
                )
            },
        ),
    )
    raw_id_fields = ("region", "grid", "enterprise", "institution", "department")
