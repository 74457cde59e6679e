from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldConfig(AppConfig):
    """The field app: the grid worker's phone pages, installable and usable offline, a face
    over the grid module's services."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.field"
    verbose_name = _("Field app")

    def ready(self) -> None:
        from yufang.accounts.models import Role
        from yufang.support.landing import register_landing

        # The grid worker's day is the task list: opening the platform lands there.
        register_landing(Role.GRID_WORKER, "field:today")
