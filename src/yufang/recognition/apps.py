from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    """Accident reports and injury recognition: from the enterprise's report to the bureau's
    decision, which becomes an injury case."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "yufang.recognition"
    verbose_name = _("Accident reports and injury recognition")

    def ready(self) -> None:
        from yufang.recognition import tasks  # noqa: F401 - declares the periodic schedule
        from yufang.recognition.selectors import recognition_todos
        from yufang.support.todos import register_todos

        register_todos(recognition_todos)
        from yufang.recognition import panels  # noqa: F401 - the enterprise page's panel
