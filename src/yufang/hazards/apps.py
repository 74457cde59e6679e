from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.hazards"
    verbose_name = _("Risk assessment and hazards")

    def ready(self) -> None:
        from yufang.hazards import tasks  # noqa: F401 - declares the periodic schedule
        from yufang.hazards.selectors import hazard_todos
        from yufang.support.todos import register_todos

        register_todos(hazard_todos)
        from yufang.hazards import panels  # noqa: F401 - the enterprise page's hazards panel
